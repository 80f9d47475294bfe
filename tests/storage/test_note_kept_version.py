"""The edited or drafted text kept beside the composed note: stored, backed up, gone at signing.

Every person here is invented.
"""

import json
from dataclasses import replace
from datetime import date, datetime

import pytest

from core.notes.model import NoteStatus, TextSource
from core.notes.records import seal_holds, signature_problems
from storage.records.codec import note_from_doc, note_to_doc
from storage.records.export_document import ExportDocumentError
from storage.records.repositories import Repositories
from storage.records.transfer import export_data, export_markdown, import_data, note_as_markdown
from tests.support.fictional_notes import SIGNER, fictional_client, fictional_draft
from tests.support.memory_vault import MemoryVault

EDITED = "## Data\n\nClient rehearsed the worry postponement plan twice this week.\n"


def repos_with_client():
    repos = Repositories.from_vault(MemoryVault())
    client = fictional_client()
    repos.clients.save(client)
    return repos, client


def through_json(value):
    return json.loads(json.dumps(value))


def composed_with_edits_kept(client, session_date=date(2025, 3, 4)):
    """A draft showing its composed note, the clinician's edited text kept for f9."""
    return replace(
        fictional_draft(client, session_date),
        kept_text=EDITED,
        kept_text_source=TextSource.EDITED.value,
    )


def test_the_kept_version_survives_the_stored_document():
    note = composed_with_edits_kept(fictional_client())
    doc = through_json(note_to_doc(note))
    assert (doc["kept_text"], doc["kept_text_source"]) == (EDITED, "edited")
    assert note_from_doc(doc) == note
    assert "worry postponement" not in doc["text"]  # beside the note, never in its text


def test_a_note_stored_before_kept_versions_existed_reads_with_none():
    doc = through_json(note_to_doc(fictional_draft(fictional_client())))
    del doc["kept_text"], doc["kept_text_source"]
    note = note_from_doc(doc)
    assert (note.kept_text, note.kept_text_source) == ("", "")


def test_a_saved_draft_reopens_with_both_versions_and_drops_the_kept_one_when_asked():
    repos, client = repos_with_client()
    draft = repos.notes.save_draft(composed_with_edits_kept(client))
    reopened = repos.notes.get(draft.id)
    assert reopened.text == draft.text and "## Data" in reopened.text
    assert (reopened.kept_text, reopened.kept_text_source) == (EDITED, "edited")
    # Shown as the edited text again: the composed one is recomposed from the form.
    repos.notes.save_draft(
        replace(reopened, text=EDITED, text_source="edited", kept_text="", kept_text_source="")
    )
    again = repos.notes.get(draft.id)
    assert (again.text, again.kept_text, again.kept_text_source) == (EDITED, "", "")


def test_signing_keeps_only_what_was_signed_and_the_seal_verifies():
    repos, client = repos_with_client()
    draft = repos.notes.save_draft(composed_with_edits_kept(client))
    signed = repos.notes.sign(draft.id, SIGNER, now=datetime(2025, 3, 4, 12, 0))
    stored = repos.notes.get(draft.id)
    assert stored == signed
    assert stored.status is NoteStatus.SIGNED
    assert (stored.kept_text, stored.kept_text_source) == ("", "")
    assert "worry postponement" not in stored.text
    assert signature_problems(stored) == []
    assert seal_holds(repos.notes.seal_key, stored.id, stored.signature)


def test_backup_export_and_import_keep_a_drafts_kept_version():
    source, client = repos_with_client()
    kept = source.notes.save_draft(composed_with_edits_kept(client))
    plain = source.notes.save_draft(fictional_draft(client, date(2025, 3, 11)))
    signed = source.notes.save_draft(composed_with_edits_kept(client, date(2025, 2, 25)))
    source.notes.sign(signed.id, SIGNER, now=datetime(2025, 2, 25, 12, 0))

    document = through_json(export_data(source))
    exported = {note["id"]: note for note in document["clients"][0]["notes"]}
    assert (exported[kept.id]["kept_text"], exported[kept.id]["kept_text_source"]) == (
        EDITED,
        "edited",
    )
    for note_id in (plain.id, signed.id):  # nothing kept: absent, as version 1 wrote notes
        assert "kept_text" not in exported[note_id]
        assert "kept_text_source" not in exported[note_id]

    target = Repositories.from_vault(MemoryVault())
    import_data(target, document)
    restored = target.notes.get(kept.id)
    assert (restored.text, restored.kept_text, restored.kept_text_source) == (
        kept.text,
        EDITED,
        "edited",
    )
    assert target.notes.get(plain.id).kept_text == ""
    # Importing the same backup again changes nothing.
    assert import_data(target, document).notes_unchanged == 3


def test_import_strips_control_characters_from_kept_text_as_from_text():
    source, client = repos_with_client()
    kept = source.notes.save_draft(composed_with_edits_kept(client))
    document = through_json(export_data(source))
    document["clients"][0]["notes"][0]["kept_text"] = "Client rehearsed\x1b[2J the plan.\x07"
    target = Repositories.from_vault(MemoryVault())
    import_data(target, document)
    assert target.notes.get(kept.id).kept_text == "Client rehearsed[2J the plan."


def refused(document) -> list[str]:
    with pytest.raises(ExportDocumentError) as error:
        import_data(Repositories.from_vault(MemoryVault()), document)
    return error.value.problems


def test_import_refuses_a_kept_version_that_is_not_text_or_says_no_source():
    source, client = repos_with_client()
    source.notes.save_draft(composed_with_edits_kept(client))
    document = through_json(export_data(source))
    note = document["clients"][0]["notes"][0]

    note["kept_text"] = ["not", "text"]
    assert refused(document) == ["clients[0].notes[0].kept_text: expected text, got list"]

    note["kept_text"], note["kept_text_source"] = EDITED, "composer"
    assert refused(document) == [
        "clients[0].notes[0].kept_text_source: expected one of model, edited"
    ]

    del note["kept_text_source"]
    assert refused(document) == [
        "clients[0].notes[0].kept_text_source: required with kept_text (model or edited)"
    ]

    note["kept_text_source"], note["text_source"] = "model", "edited"
    assert refused(document) == [
        "clients[0].notes[0].kept_text: only a draft showing its composed text keeps another version"
    ]


def test_import_refuses_kept_text_on_a_signed_note():
    source, client = repos_with_client()
    draft = source.notes.save_draft(fictional_draft(client))
    source.notes.sign(draft.id, SIGNER, now=datetime(2025, 3, 4, 12, 0))
    document = through_json(export_data(source))
    note = document["clients"][0]["notes"][0]
    note["kept_text"], note["kept_text_source"] = EDITED, "edited"
    assert refused(document) == [
        "clients[0].notes[0].kept_text: a signed note cannot hold a kept version; "
        "remove it from the file or export again"
    ]


def test_markdown_export_never_holds_the_kept_version(tmp_path):
    repos, client = repos_with_client()
    draft = repos.notes.save_draft(composed_with_edits_kept(client))
    assert "worry postponement" not in note_as_markdown(draft)
    (written,) = export_markdown(repos, tmp_path / "notes")
    markdown = written.read_text(encoding="utf-8")
    assert "## Data" in markdown
    assert "worry postponement" not in markdown


def test_import_refuses_an_unknown_text_source_the_editor_could_not_open():
    source, client = repos_with_client()
    source.notes.save_draft(fictional_draft(client))
    document = through_json(export_data(source))
    document["clients"][0]["notes"][0]["text_source"] = "typewriter"
    assert refused(document) == [
        "clients[0].notes[0].text_source: expected one of composer, model, edited"
    ]
