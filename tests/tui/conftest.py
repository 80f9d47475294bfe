"""Shared helpers for the terminal app's pilot tests: real vaults in tmp_path, polling waits."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from storage.vault.kdf import ARGON2ID, Bounds, KdfLimits, KdfParams
from tests.support.pilot import wait_until
from tui.config import Config

# Fictional throughout; the passphrase of every test vault.
TEST_PASSPHRASE = "correct horse battery staple, fictional"
TEST_TODAY = date(2026, 11, 20)
# Cheap key derivation, accepted only because these tests pass matching limits;
# the product always uses the vault's real cost and bounds.
CHEAP_KDF = KdfParams(ARGON2ID, 64, 1, 1)
CHEAP_LIMITS = KdfLimits(*(Bounds(1, 2**21) for _ in range(6)))


def screen_text(app) -> str:
    """Everything the user can read on the current screen, as plain text lines."""
    from textual.widgets import DataTable, Static

    parts = []
    for widget in app.screen.query("*"):
        if not widget.display:
            continue
        if isinstance(widget, Static):
            parts.append(_plain(widget.content))
        elif isinstance(widget, DataTable):
            for row in range(widget.row_count):
                parts.append(" | ".join(_plain(cell) for cell in widget.get_row_at(row)))
    return "\n".join(parts)


def _plain(value) -> str:
    return value.plain if hasattr(value, "plain") else str(value)


def table_rows(app, selector: str) -> list[list[str]]:
    from textual.widgets import DataTable

    table = app.screen.query_one(selector, DataTable)
    return [[_plain(cell) for cell in table.get_row_at(row)] for row in range(table.row_count)]


def _build_vault(path: Path, fill: Callable | None) -> None:
    from storage import Vault
    from storage.records.repositories import Repositories

    vault = Vault.create(path, TEST_PASSPHRASE, kdf=CHEAP_KDF, kdf_limits=CHEAP_LIMITS)
    try:
        repos = Repositories.from_vault(vault)
        if fill is None:
            from core.notes.model import Settings

            repos.settings.save(Settings(clinician_name="Robin Example", credentials="LCSW"))
        else:
            fill(repos, TEST_TODAY)
    finally:
        vault.close()


@pytest.fixture(scope="session")
def vault_templates(tmp_path_factory) -> dict[str, Path]:
    """Two vault files built once per run: empty, and the demo's fictional caseload."""
    from cli.demo import fill_caseload

    folder = tmp_path_factory.mktemp("vault-templates")
    templates = {"empty": folder / "empty.vault", "caseload": folder / "caseload.vault"}
    _build_vault(templates["empty"], None)
    _build_vault(templates["caseload"], fill_caseload)
    return templates


@pytest.fixture
def caseload_vault(tmp_path, vault_templates) -> Path:
    """A copy of the fictional caseload vault (six clients, eight weekly notes each)."""
    path = tmp_path / "vault" / "clinote.vault"
    path.parent.mkdir(mode=0o700)
    shutil.copyfile(vault_templates["caseload"], path)
    path.chmod(0o600)
    return path


@pytest.fixture
def empty_vault(tmp_path, vault_templates) -> Path:
    """A copy of a vault with clinician settings and no clients."""
    path = tmp_path / "vault" / "clinote.vault"
    path.parent.mkdir(mode=0o700)
    shutil.copyfile(vault_templates["empty"], path)
    path.chmod(0o600)
    return path


@pytest.fixture
def app_config(tmp_path) -> Config:
    return Config(path=tmp_path / "config" / "config.toml")


@pytest.fixture
def make_app(app_config):
    """ClinoteApp on a vault path, with its config file in tmp_path."""
    from tui.app import ClinoteApp

    def make(vault_path: Path, **options) -> ClinoteApp:
        options.setdefault("config", app_config)
        options.setdefault("kdf", CHEAP_KDF)
        options.setdefault("kdf_limits", CHEAP_LIMITS)
        return ClinoteApp(vault_path, **options)

    return make


async def unlock(pilot, passphrase: str = TEST_PASSPHRASE) -> None:
    """Type the passphrase on the unlock screen and wait for the caseload."""
    from tui.screens.caseload import CaseloadScreen

    app = pilot.app
    await wait_until(pilot, lambda: app.screen.query("#passphrase"))
    app.screen.query_one("#passphrase").value = passphrase
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, CaseloadScreen))
    await pilot.pause()


async def unlock_to_any(pilot, passphrase: str = TEST_PASSPHRASE) -> None:
    """Type the passphrase; the app decides what comes next (after a lock: where it was)."""
    from tui.screens.unlock import UnlockScreen

    app = pilot.app
    await wait_until(pilot, lambda: app.screen.query("#passphrase"))
    app.screen.query_one("#passphrase").value = passphrase
    await pilot.press("enter")
    await wait_until(pilot, lambda: not isinstance(app.screen, UnlockScreen))
    await pilot.pause()
