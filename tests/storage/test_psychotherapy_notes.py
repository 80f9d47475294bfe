"""Psychotherapy notes in a real vault: a record of their own, audited, never in the note."""

import json
from datetime import date, datetime

from core.notes.model import NoteStatus
from core.notes.records import render_note_with_addenda
from storage.records.export_document import ExportDocumentError
from storage.records.repositories import Repositories
from storage.records.transfer import export_data, export_json, export_markdown, import_data
from tests.storage.vault_fixtures import create_vault, open_vault
from tests.support.fictional_notes import SIGNER, fictional_client, fictional_draft

# A phrase that appears nowhere else: any output that shows it leaked the process note.
SENTINEL = "Lantern-heron countertransference sentinel"


def audit(vault) -> list[tuple[str, str | None]]:
    return [(row["event"], row["record_id"]) for row in vault.db.table("audit").all()]


def practice(vault) -> tuple[Repositories, str]:
    """One client with a signed note that has a psychotherapy note; returns the note id."""
    repos = Repositories.from_vault(vault)
    client = fictional_client()
    repos.clients.save(client)
    draft = repos.notes.save_draft(fictional_draft(client, date(2025, 3, 4)))
    repos.psychotherapy_notes.save(draft.id, client.id, f"{SENTINEL}: felt protective.")
    repos.notes.sign(draft.id, SIGNER, now=datetime(2025, 3, 4, 12, 0))
    return repos, draft.id


def test_a_psychotherapy_note_is_its_own_record_and_outlives_signing(vault_path):
    with create_vault(vault_path) as vault:
        repos, note_id = practice(vault)
        repos.psychotherapy_notes.save(note_id, repos.clients.list()[0].id, f"{SENTINEL} v2")
    with open_vault(vault_path) as vault:
        repos = Repositories.from_vault(vault)
        signed = repos.notes.get(note_id)
        assert signed.status is NoteStatus.SIGNED
        # Signing froze the progress note only; the process note stays editable and apart.
        assert SENTINEL not in render_note_with_addenda(signed)
        assert repos.psychotherapy_notes.get(note_id).text == f"{SENTINEL} v2"
        stored_notes = json.dumps(vault.db.table("notes").all())
        assert SENTINEL not in stored_notes
        assert all(
            not any("psychotherapy" in key for key in doc) for doc in vault.db.table("notes").all()
        )


def test_every_read_and_write_is_audited_without_its_text(vault_path):
    with create_vault(vault_path) as vault:
        repos, note_id = practice(vault)
        repos.psychotherapy_notes.get(note_id)
        events = audit(vault)
        assert ("psychotherapy_note_saved", note_id) in events
        assert ("psychotherapy_note_read", note_id) in events
        assert SENTINEL not in json.dumps(vault.db.table("audit").all())


def test_exports_leave_them_out_unless_asked(vault_path, tmp_path):
    with create_vault(vault_path) as vault:
        repos, _ = practice(vault)
        assert SENTINEL not in export_json(repos)
        written = export_markdown(repos, tmp_path / "md")
        assert written and all(SENTINEL not in path.read_text() for path in written)
        assert not any(
            event.startswith("psychotherapy_notes_exported") for event, _ in audit(vault)
        )
        included = export_json(repos, include_psychotherapy_notes=True)
        assert SENTINEL in included
        assert ("psychotherapy_notes_exported", None) in audit(vault)


def test_an_export_with_them_restores_them_on_import(vault_path, tmp_path):
    with create_vault(vault_path) as vault:
        repos, note_id = practice(vault)
        document = json.loads(json.dumps(export_data(repos, include_psychotherapy_notes=True)))
    assert document["version"] == 2
    with create_vault(tmp_path / "other" / "clinote.vault") as target_vault:
        target = Repositories.from_vault(target_vault)
        report = import_data(target, document)
        assert report.psychotherapy_notes_imported == 1
        assert target.psychotherapy_notes.get(note_id).text.startswith(SENTINEL)
        again = import_data(target, document)
        assert again.psychotherapy_notes_imported == 0


def test_a_psychotherapy_note_must_belong_to_a_note_of_its_client(vault_path):
    with create_vault(vault_path) as vault:
        repos, _ = practice(vault)
        document = json.loads(json.dumps(export_data(repos, include_psychotherapy_notes=True)))
    document["clients"][0]["psychotherapy_notes"][0]["note_id"] = "not-a-note"
    with create_vault(vault_path.parent / "other.vault") as target_vault:
        try:
            import_data(Repositories.from_vault(target_vault), document)
        except ExportDocumentError as error:
            assert error.problems == [
                "clients[0].psychotherapy_notes[0].note_id: not a note of this client"
            ]
            assert SENTINEL not in str(error)
        else:
            raise AssertionError("import accepted a psychotherapy note of no note")


def test_a_deleted_drafts_psychotherapy_note_does_not_break_the_export(vault_path, tmp_path):
    with create_vault(vault_path) as vault:
        repos, _ = practice(vault)
        client = repos.clients.list()[0]
        draft = repos.notes.save_draft(fictional_draft(client, date(2025, 3, 11)))
        repos.psychotherapy_notes.save(draft.id, client.id, "written before the draft went")
        repos.notes.delete_draft(draft.id)
        document = json.loads(json.dumps(export_data(repos, include_psychotherapy_notes=True)))
    assert [n["text"] for n in document["clients"][0]["psychotherapy_notes"]] == [
        f"{SENTINEL}: felt protective."
    ]
    with create_vault(tmp_path / "other" / "clinote.vault") as target_vault:
        report = import_data(Repositories.from_vault(target_vault), document)
        assert report.psychotherapy_notes_imported == 1


def test_deleting_a_draft_deletes_its_psychotherapy_note_in_the_same_commit(vault_path):
    with create_vault(vault_path) as vault:
        repos, signed_id = practice(vault)
        client = repos.clients.list()[0]
        draft = repos.notes.save_draft(fictional_draft(client, date(2025, 3, 11)))
        repos.psychotherapy_notes.save(draft.id, client.id, f"{SENTINEL}: about the draft.")
        frames_before, audit_before = vault._storage.vault_file.next_seq, len(audit(vault))
        assert repos.notes.delete_draft(draft.id) is True
        events = audit(vault)
        # One commit for both records (both or neither), then one per audit row.
        frames = vault._storage.vault_file.next_seq - frames_before
        assert frames == 1 + len(events) - audit_before
        assert ("draft_deleted", draft.id) in events
        assert ("psychotherapy_note_deleted", draft.id) in events
    with open_vault(vault_path) as vault:
        repos = Repositories.from_vault(vault)
        assert repos.notes.get(draft.id) is None
        assert not repos.psychotherapy_notes.exists(draft.id)
        # Nothing of it is left in the vault, reachable or not.
        assert "about the draft" not in json.dumps(vault.db.table("psychotherapy_notes").all())
        # The signed note's psychotherapy note is another session's: it stays.
        assert repos.psychotherapy_notes.get(signed_id).text == f"{SENTINEL}: felt protective."


def test_deleting_a_draft_without_a_psychotherapy_note_deletes_only_the_draft(vault_path):
    with create_vault(vault_path) as vault:
        repos, signed_id = practice(vault)
        client = repos.clients.list()[0]
        draft = repos.notes.save_draft(fictional_draft(client, date(2025, 3, 11)))
        assert repos.notes.delete_draft(draft.id) is False
        assert ("psychotherapy_note_deleted", draft.id) not in audit(vault)
        assert repos.notes.get(draft.id) is None
        assert repos.psychotherapy_notes.exists(signed_id)
