"""Signatures sealed with a key only the vault holds; forged or foreign ones import unverified."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime

from core.notes.model import NoteStatus, Settings
from core.notes.records import seal_holds, text_sha256
from storage import verify_vault
from storage.records.repositories import Repositories
from storage.records.signature_seals import SEALED_EVENT, SEALS_TABLE
from storage.records.transfer import export_data, import_data, note_as_markdown
from tests.storage.fast_kdf import PASSPHRASE, TEST_LIMITS
from tests.storage.vault_fixtures import create_vault, open_vault
from tests.support.fictional_notes import SIGNER, fictional_client, fictional_draft
from tests.support.memory_vault import MemoryVault

MALLORY = Settings(clinician_name="Mallory Evil", credentials="MD")


def memory_repos(seal_key: bytes | None = None) -> Repositories:
    vault = MemoryVault()
    return Repositories(
        vault.db, vault.record_event, check_note=lambda details, text: [], seal_key=seal_key
    )


def signed_export(signer: Settings, seal_key: bytes | None = None) -> tuple[dict, str]:
    """An export holding one signed note (and its id), made by a repository with `seal_key`."""
    repos = memory_repos(seal_key)
    client = fictional_client()
    repos.clients.save(client)
    draft = repos.notes.save_draft(fictional_draft(client, date(2025, 3, 4)))
    repos.notes.sign(draft.id, signer, now=datetime(2025, 3, 4, 12, 0).astimezone())
    return json.loads(json.dumps(export_data(repos))), draft.id


def audit_events(vault) -> list[str]:
    return [row["event"] for row in vault.db.table("audit").all()]


def test_the_seal_key_is_the_vaults_own_and_not_the_data_key(vault_path, tmp_path):
    with create_vault(vault_path) as vault:
        key = vault.seal_key()
        assert len(key) == 32 and key != vault._storage.vault_file._data_key
    with open_vault(vault_path) as vault:
        assert vault.seal_key() == key
    with create_vault(tmp_path / "other" / "other.vault") as other:
        assert other.seal_key() != key


def test_a_note_signed_elsewhere_imports_as_not_verified(vault_path):
    document, note_id = signed_export(MALLORY)  # another vault's key
    with create_vault(vault_path) as vault:
        repos = Repositories.from_vault(vault)
        assert import_data(repos, document).notes_added == 1
        note = repos.notes.get(note_id)
    assert note.status is NoteStatus.SIGNED and note.signature.seal is None
    assert note_as_markdown(note).startswith(
        "> Imported, signature not verified: 1 signature this vault could not verify.\n\n"
    )
    report = verify_vault(vault_path, PASSPHRASE, kdf_limits=TEST_LIMITS)
    assert report.unverified_signatures == 1


def test_a_forged_seal_does_not_verify(vault_path):
    document, note_id = signed_export(MALLORY)
    signature = document["clients"][0]["notes"][0]["signature"]
    signature["seal"] = "0" * 64
    with create_vault(vault_path) as vault:
        repos = Repositories.from_vault(vault)
        import_data(repos, document)
        assert repos.notes.get(note_id).signature.seal is None


def test_an_addendum_forged_in_the_vaults_clinicians_name_is_not_verified(vault_path):
    with create_vault(vault_path) as vault:
        repos = Repositories.from_vault(vault)
        client = fictional_client()
        repos.clients.save(client)
        draft = repos.notes.save_draft(fictional_draft(client, date(2025, 3, 4)))
        repos.notes.sign(draft.id, SIGNER, now=datetime(2025, 3, 4, 12, 0).astimezone())
        # The attacker adds an addendum "by Dana Reyes" with a repository of their own.
        forger = memory_repos()
        forger.clients.save(client)
        forger.db.table("notes").insert(repos.db.table("notes").all()[0])
        forger.notes.add_addendum(draft.id, "Client recanted everything.", "Correction", SIGNER)
        forged = json.loads(json.dumps(export_data(forger)))
        assert import_data(repos, forged).addenda_added == 1
        note = repos.notes.get(draft.id)
    assert note.signature.seal is not None  # the vault's own signature still verifies
    assert note.addenda[0].author == "Dana Reyes" and note.addenda[0].signature.seal is None
    assert "Imported, signature not verified: 1 signature" in note_as_markdown(note)


def test_reimporting_the_vaults_own_export_keeps_its_seals(vault_path):
    with create_vault(vault_path) as vault:
        repos = Repositories.from_vault(vault)
        client = fictional_client()
        repos.clients.save(client)
        draft = repos.notes.save_draft(fictional_draft(client, date(2025, 3, 4)))
        signed = repos.notes.sign(draft.id, SIGNER, now=datetime(2025, 3, 4, 12, 0).astimezone())
        document = json.loads(json.dumps(export_data(repos)))
        assert seal_holds(vault.seal_key(), draft.id, signed.signature)
        assert import_data(repos, document).notes_unchanged == 1
        assert repos.notes.get(draft.id) == signed


def test_a_seal_cannot_be_moved_to_another_note():
    key = bytes(32)
    repos = memory_repos(key)
    client = fictional_client()
    repos.clients.save(client)
    draft = repos.notes.save_draft(fictional_draft(client, date(2025, 3, 4)))
    signed = repos.notes.sign(draft.id, SIGNER, now=datetime(2025, 3, 4, 12, 0).astimezone())
    assert seal_holds(key, signed.id, signed.signature)
    assert not seal_holds(key, "another-note-id", signed.signature)
    assert not seal_holds(key, signed.id, replace(signed.signature, clinician_name="Mallory"))


def legacy_signed_doc(vault) -> str:
    """A signed note as a vault from before seals stored it: a bare SHA-256, no seal."""
    repos = Repositories(vault.db, vault.record_event, check_note=lambda details, text: [])
    client = fictional_client()
    repos.clients.save(client)
    draft = repos.notes.save_draft(fictional_draft(client, date(2025, 3, 4)))
    signed = repos.notes.sign(draft.id, SIGNER, now=datetime(2025, 3, 4, 12, 0).astimezone())
    notes = vault.db.table("notes")
    doc = dict(notes.all()[0])
    del doc["signature"]["seal"]
    assert doc["signature"]["text_sha256"] == text_sha256(signed.text)
    notes.update(doc, doc_ids=[notes.all()[0].doc_id])
    return draft.id


def test_signatures_of_an_older_vault_are_sealed_once_on_first_open(vault_path):
    with create_vault(vault_path) as vault:
        note_id = legacy_signed_doc(vault)  # no Repositories.from_vault yet: no marker
        assert SEALS_TABLE not in vault.db.tables()
    assert (
        verify_vault(vault_path, PASSPHRASE, kdf_limits=TEST_LIMITS).unverified_signatures is None
    )
    with open_vault(vault_path) as vault:
        repos = Repositories.from_vault(vault)
        note = repos.notes.get(note_id)
        assert seal_holds(vault.seal_key(), note_id, note.signature)
        assert audit_events(vault).count(SEALED_EVENT) == 1
    with open_vault(vault_path) as vault:
        Repositories.from_vault(vault)
        assert audit_events(vault).count(SEALED_EVENT) == 1  # once only
    assert verify_vault(vault_path, PASSPHRASE, kdf_limits=TEST_LIMITS).unverified_signatures == 0


def test_after_a_key_change_sealed_signatures_are_resealed_and_unverified_ones_stay(vault_path):
    foreign, foreign_id = signed_export(MALLORY)
    with create_vault(vault_path) as vault:
        repos = Repositories.from_vault(vault)
        import_data(repos, foreign)
        own_client = fictional_client("Riley Chen", "RC-0271")
        repos.clients.save(own_client)
        draft = repos.notes.save_draft(fictional_draft(own_client, date(2025, 3, 6)))
        repos.notes.sign(draft.id, SIGNER, now=datetime(2025, 3, 6, 12, 0).astimezone())
        # What a data-key rotation looks like to the seals: the marker names another key.
        seals = vault.db.table(SEALS_TABLE)
        seals.update({"key_id": "0" * 16}, doc_ids=[seals.all()[0].doc_id])
        notes = vault.db.table("notes")
        own = next(doc for doc in notes.all() if doc["id"] == draft.id)
        own_doc = dict(own)
        own_doc["signature"] = {**own_doc["signature"], "seal": "f" * 64}  # the old key's seal
        notes.update(own_doc, doc_ids=[own.doc_id])
    with open_vault(vault_path) as vault:
        repos = Repositories.from_vault(vault)
        key = vault.seal_key()
        assert seal_holds(key, draft.id, repos.notes.get(draft.id).signature)
        assert repos.notes.get(foreign_id).signature.seal is None
