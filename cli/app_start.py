"""Starting the full-screen app from the command line: config, stale hand-over files, demo."""

from __future__ import annotations

from cli.support import CliError, resolve_vault_path
from tui.app import ClinoteApp
from tui.config import ConfigError, load_config
from tui.external_editor import remove_stale_hand_over_folders
from tui.hardening import disable_core_dumps


def run_app(vault_arg: str | None = None, demo: bool = False) -> int:
    """Start the terminal app; returns the exit code."""
    disable_core_dumps()  # also here for callers that start the app without cli.main.main

    try:
        config = load_config()
    except ConfigError as error:
        raise CliError(str(error)) from None
    remove_stale_hand_over_folders()  # note text a killed session left in memory-backed storage
    if demo:
        from cli.demo import DemoVault

        with DemoVault() as demo_vault:
            app = ClinoteApp(demo_vault.path, demo=demo_vault, config=config)
            app.run()
            return app.return_code or 0
    app = ClinoteApp(resolve_vault_path(vault_arg), config=config)
    app.run()
    return app.return_code or 0
