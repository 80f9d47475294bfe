"""Import refuses what could overwrite newer work or escape the export folder (issue 8.11, low items)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from storage.records.export_document import ExportDocumentError
from storage.records.repositories import Repositories
from storage.records.transfer import export_data, export_markdown, import_data
from tests.support.fictional_notes import fictional_client, fictional_draft
from tests.support.memory_vault import MemoryVault


def new_repos() -> Repositories:
    vault = MemoryVault()
    return Repositories(vault.db, vault.record_event, check_note=lambda details, text: [])


@pytest.fixture
def document() -> dict:
    repos = new_repos()
    client = fictional_client()
    repos.clients.save(client)
    repos.notes.save_draft(fictional_draft(client, date(2025, 3, 4)))
    return json.loads(json.dumps(export_data(repos)))


def problems_of(document: dict) -> list[str]:
    target = new_repos()
    with pytest.raises(ExportDocumentError) as raised:
        import_data(target, document)
    assert target.clients.list() == []  # nothing written
    return raised.value.problems


@pytest.mark.parametrize("saved_at", [None, "2025-03-04T10:00:00"], ids=["null", "no-zone"])
def test_a_draft_without_a_zoned_save_time_is_refused_by_name(document, saved_at):
    note = document["clients"][0]["notes"][0]
    note["updated_at"] = saved_at
    assert problems_of(document) == [
        f"clients[0].notes[0].updated_at: the draft {note['id'][:8]} needs the time it was "
        "saved, with its UTC offset; export it again"
    ]


@pytest.mark.parametrize(
    "note_id", ["../../outside", "abc\x00def", "", "x" * 65, "note id"], ids=repr
)
def test_a_note_id_that_is_not_a_plain_token_is_refused(document, note_id):
    document["clients"][0]["notes"][0]["id"] = note_id
    assert problems_of(document) == [
        "clients[0].notes[0].id: an id is 1-64 letters, digits, - or _; export the file again"
    ]


def test_markdown_file_names_stay_in_the_folder_even_for_an_old_stored_id(tmp_path):
    repos = new_repos()
    client = fictional_client()
    repos.clients.save(client)
    # Stored before ids were checked on import.
    repos.notes.save_draft(replace(fictional_draft(client, date(2025, 3, 4)), id="../../x"))
    folder = tmp_path / "md"
    [written] = export_markdown(repos, folder)
    assert written.parent == folder
    assert written.name == "JA-0142_2025-03-04_x.md"


def test_an_imported_name_loses_bidi_controls_so_it_reads_as_it_is_stored(document):
    # Shown as "Dana Gray" by a bidi-aware terminal or EHR, stored as "Dana yarG".
    document["clients"][0]["name"] = "Dana \u202eyarG\u202c"
    target = new_repos()
    import_data(target, document)
    assert [client.name for client in target.clients.list()] == ["Dana yarG"]
