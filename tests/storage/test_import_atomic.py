"""An import is one vault commit: a bad note or a full disk leaves the vault exactly as before."""

from __future__ import annotations

import errno
import json
import os
from datetime import date, timedelta

import pytest

from storage import VaultWriteError
from storage.records.export_document import ExportDocumentError
from storage.records.repositories import Repositories
from storage.records.transfer import export_data, import_data
from tests.storage.vault_fixtures import create_vault, open_vault
from tests.support.fictional_notes import fictional_client, fictional_draft, fictional_plan
from tests.support.memory_vault import MemoryVault


def forty_notes_document() -> dict:
    """An export of one fictional client with a plan and 40 drafts."""
    memory = MemoryVault()
    repos = Repositories(memory.db, memory.record_event, check_note=lambda details, text: [])
    client = fictional_client("Morgan Vale", "MV-0040")
    repos.clients.save(client)
    repos.plans.save(fictional_plan(client))
    for week in range(40):
        repos.notes.save_draft(fictional_draft(client, date(2025, 1, 6) + timedelta(weeks=week)))
    return json.loads(json.dumps(export_data(repos)))


def vault_state(path) -> dict:
    with open_vault(path) as vault:
        return {
            name: [dict(doc) for doc in vault.db.table(name).all()]
            for name in ("clients", "plans", "notes", "audit")
            # the audit table gains an "unlocked" row per opening: compare the rest of it
        } | {"frames": vault._storage.vault_file.next_seq}


def without_unlocks(state: dict) -> dict:
    return {
        **state,
        "audit": [row for row in state["audit"] if row["event"] != "unlocked"],
        "frames": None,
    }


@pytest.fixture
def practice(vault_path):
    """A vault holding one other fictional client already."""
    with create_vault(vault_path) as vault:
        Repositories.from_vault(vault).clients.save(fictional_client("Sam Other", "SO-0001"))
    return vault_path


def test_an_import_is_one_commit(practice):
    with open_vault(practice) as vault:
        before = vault._storage.vault_file.next_seq
        report = import_data(Repositories.from_vault(vault), forty_notes_document())
        assert vault._storage.vault_file.next_seq == before + 1
        events = [row["event"] for row in vault.db.table("audit").all()]
    assert report.clients_added == 1 and report.notes_added == 40 and report.plans_updated == 1
    assert events[-1] == "imported"


def test_a_full_disk_leaves_the_vault_as_it_was(practice, monkeypatch):
    before = without_unlocks(vault_state(practice))
    document = forty_notes_document()
    with open_vault(practice) as vault:
        real_pwrite = os.pwrite

        def disk_full_for_big_writes(fd, data, offset):
            if len(data) > 4096:  # the import's frame, not the small audit rows
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return real_pwrite(fd, data, offset)

        monkeypatch.setattr(os, "pwrite", disk_full_for_big_writes)
        with pytest.raises(VaultWriteError, match="No space left on device"):
            import_data(Repositories.from_vault(vault), document)
        monkeypatch.setattr(os, "pwrite", real_pwrite)
        assert Repositories.from_vault(vault).clients.find_by_code("MV-0040") is None
    assert without_unlocks(vault_state(practice)) == before


def test_a_lone_surrogate_in_one_note_names_it_and_writes_nothing(practice):
    before = without_unlocks(vault_state(practice))
    text = json.dumps(forty_notes_document())
    document = json.loads(text)
    document["clients"][0]["notes"][17]["text"] = "Reported sleep \ud800 trouble."
    with open_vault(practice) as vault, pytest.raises(ExportDocumentError) as raised:
        import_data(Repositories.from_vault(vault), document)
    assert raised.value.problems == [
        "clients[0].notes[17].text: text is not valid Unicode (half of a surrogate pair)"
    ]
    assert without_unlocks(vault_state(practice)) == before


def test_the_import_command_names_a_full_disk(tmp_path, monkeypatch, capsys):
    from cli.main import main
    from storage import Vault

    passphrase = "correct horse battery staple, fictional"
    path = tmp_path / "practice.vault"
    Vault.create(path, passphrase).close()
    export = tmp_path / "export.json"
    export.write_text(json.dumps(forty_notes_document()), encoding="utf-8")
    real_pwrite = os.pwrite

    def disk_full_for_big_writes(fd, data, offset):
        if len(data) > 4096:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_pwrite(fd, data, offset)

    monkeypatch.setattr(os, "pwrite", disk_full_for_big_writes)
    monkeypatch.setenv("CLINOTE_PASSPHRASE", passphrase)
    assert main(["import", "--vault", str(path), str(export)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("clinote: nothing was imported: could not save to")
    assert "(No space left on device)" in err and "unexpected" not in err
