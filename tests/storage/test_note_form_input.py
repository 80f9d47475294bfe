"""A draft's entries that do not parse yet are kept as typed: stored, exported, never signed.

Every person here is invented.
"""

import json
from dataclasses import replace
from datetime import date, datetime

import pytest

from core.notes.model import NoteStatus
from core.notes.records import RULE_FORM_INPUT, SigningRefused
from storage.records.codec import note_from_doc, note_to_doc
from storage.records.export_document import ExportDocumentError
from storage.records.repositories import Repositories
from storage.records.transfer import export_data, import_data
from tests.support.fictional_notes import SIGNER, fictional_client, fictional_draft
from tests.support.memory_vault import MemoryVault

TYPED = (("session.start", "9:7x"), ("measures.phq9", "31"))


def repos_with_client():
    repos = Repositories.from_vault(MemoryVault())
    client = fictional_client()
    repos.clients.save(client)
    return repos, client


def through_json(value):
    return json.loads(json.dumps(value))


def test_typed_entries_survive_the_stored_document():
    note = replace(fictional_draft(fictional_client()), form_input=TYPED)
    doc = through_json(note_to_doc(note))
    assert doc["form_input"] == {"session.start": "9:7x", "measures.phq9": "31"}
    assert note_from_doc(doc) == note
    assert "9:7x" not in doc["text"]  # kept beside the note, never in its text


def test_a_note_stored_before_typed_entries_existed_reads_with_none():
    doc = through_json(note_to_doc(fictional_draft(fictional_client())))
    del doc["form_input"]
    assert note_from_doc(doc).form_input == ()


def test_entries_that_now_parse_leave_the_stored_draft():
    repos, client = repos_with_client()
    draft = repos.notes.save_draft(replace(fictional_draft(client), form_input=TYPED))
    assert repos.notes.get(draft.id).form_input == TYPED
    repos.notes.save_draft(replace(draft, form_input=()))
    assert repos.notes.get(draft.id).form_input == ()


def test_the_vault_refuses_to_sign_a_draft_with_unread_entries():
    repos, client = repos_with_client()
    draft = repos.notes.save_draft(replace(fictional_draft(client), form_input=TYPED))
    with pytest.raises(SigningRefused) as refused:
        repos.notes.sign(draft.id, SIGNER)
    unread = [f.field for f in refused.value.findings if f.rule_id == RULE_FORM_INPUT]
    assert unread == ["session.start", "measures.phq9"]
    assert repos.notes.get(draft.id).status is NoteStatus.DRAFT
    repos.notes.save_draft(replace(draft, form_input=()))
    assert repos.notes.sign(draft.id, SIGNER).status is NoteStatus.SIGNED


def test_export_and_import_keep_the_typed_entries():
    source, client = repos_with_client()
    draft = source.notes.save_draft(replace(fictional_draft(client), form_input=TYPED))
    plain = source.notes.save_draft(fictional_draft(client, date(2025, 3, 11)))
    document = through_json(export_data(source))
    exported = {note["id"]: note for note in document["clients"][0]["notes"]}
    assert exported[draft.id]["form_input"] == {"session.start": "9:7x", "measures.phq9": "31"}
    assert "form_input" not in exported[plain.id]  # as format version 1 wrote it

    target = Repositories.from_vault(MemoryVault())
    import_data(target, document)
    assert target.notes.get(draft.id).form_input == TYPED
    assert target.notes.get(plain.id).form_input == ()


def test_import_refuses_typed_entries_that_are_not_text_or_sit_on_a_signed_note():
    source, client = repos_with_client()
    draft = source.notes.save_draft(fictional_draft(client))
    source.notes.sign(draft.id, SIGNER, now=datetime(2025, 3, 4, 12, 0))
    document = through_json(export_data(source))
    note = document["clients"][0]["notes"][0]

    note["form_input"] = {"session.start": 930}
    with pytest.raises(ExportDocumentError) as refused:
        import_data(Repositories.from_vault(MemoryVault()), document)
    assert refused.value.problems == ["clients[0].notes[0].form_input: every entry must be text"]

    note["form_input"] = {"session.start": "9:7x"}
    with pytest.raises(ExportDocumentError) as refused:
        import_data(Repositories.from_vault(MemoryVault()), document)
    assert refused.value.problems == [
        "clients[0].notes[0].form_input: a signed note cannot hold unread form entries"
    ]
