"""The app marks a signature the vault could not verify (a note imported from elsewhere)."""

from __future__ import annotations

import json
from datetime import date, datetime

from core.notes.model import Settings
from storage import Vault
from storage.records.repositories import Repositories
from storage.records.transfer import export_data, import_data
from tests.support.fictional_notes import fictional_client, fictional_draft
from tests.support.memory_vault import MemoryVault
from tests.tui.conftest import CHEAP_LIMITS, TEST_PASSPHRASE, table_rows, unlock, wait_until
from tui.screens.client import ClientScreen


def foreign_signed_export() -> dict:
    memory = MemoryVault()
    repos = Repositories(memory.db, memory.record_event, check_note=lambda details, text: [])
    client = fictional_client("Quinn Fictional", "QF-0001")
    repos.clients.save(client)
    draft = repos.notes.save_draft(fictional_draft(client, date(2025, 3, 4)))
    signer = Settings(clinician_name="Mallory Evil", credentials="MD")
    repos.notes.sign(draft.id, signer, now=datetime(2025, 3, 4, 12, 0).astimezone())
    return json.loads(json.dumps(export_data(repos)))


async def test_client_screen_and_editor_say_the_signature_is_not_verified(make_app, empty_vault):
    with Vault.open(empty_vault, TEST_PASSPHRASE, kdf_limits=CHEAP_LIMITS) as vault:
        import_data(Repositories.from_vault(vault), foreign_signed_export())
    app = make_app(empty_vault)
    async with app.run_test(size=(100, 30)) as pilot:
        await unlock(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ClientScreen))
        [row] = table_rows(app, "#notes-table")
        assert "signed, unverified" in row
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen.query("#preview-source"))
        await pilot.pause()
        source = str(app.screen.query_one("#preview-source").content)
        assert "Signed by Mallory Evil, MD (1 imported, signature not verified)" in source


def test_verify_counts_signatures_it_could_not_verify(tmp_path, monkeypatch, capsys):
    from cli.main import main

    passphrase = "correct horse battery staple, fictional"
    path = tmp_path / "practice.vault"
    with Vault.create(path, passphrase) as vault:
        import_data(Repositories.from_vault(vault), foreign_signed_export())
    monkeypatch.setenv("CLINOTE_PASSPHRASE", passphrase)
    assert main(["verify", "--vault", str(path)]) == 0
    out = capsys.readouterr().out
    assert "note: 1 signature(s) imported, signature not verified" in out
