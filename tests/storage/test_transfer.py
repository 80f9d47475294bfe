"""Export and import: round trip, no duplicates, signed notes kept, files 0600."""

import copy
import json
import os
import stat
from dataclasses import replace
from datetime import date, datetime, time
from pathlib import Path

import pytest

from core.notes.model import ClientStatus, NoteStatus
from core.notes.records import signature_problems
from storage.records.errors import RecordNotFound
from storage.records.export_document import ExportDocumentError
from storage.records.repositories import Repositories
from storage.records.transfer import (
    export_data,
    export_json,
    export_markdown,
    import_data,
)
from tests.support.fictional_notes import (
    SIGNER,
    fictional_client,
    fictional_draft,
    fictional_plan,
)
from tests.support.memory_vault import MemoryVault

# These repositories stand for one practice's vault restored or copied: one seal key.
# (Signatures from another vault import as not verified: tests/storage/test_signature_seals.py.)
PRACTICE_SEAL_KEY = bytes(range(32))


def new_repos() -> tuple[Repositories, MemoryVault]:
    vault = MemoryVault()
    repos = Repositories(
        vault.db,
        vault.record_event,
        check_note=lambda details, text: [],
        seal_key=PRACTICE_SEAL_KEY,
    )
    return repos, vault


@pytest.fixture
def source():
    """A small practice: a signed note with an addendum, a late entry, drafts, a discharged client."""
    repos, _ = new_repos()
    jordan = fictional_client()
    riley = fictional_client("Riley Chen", "RC-0271", status=ClientStatus.DISCHARGED, dob=None)
    for client in (jordan, riley):
        repos.clients.save(client)
    repos.plans.save(fictional_plan(jordan))
    signed = repos.notes.save_draft(fictional_draft(jordan, date(2025, 3, 4)))
    repos.notes.sign(signed.id, SIGNER, now=datetime(2025, 3, 4, 12, 0))
    repos.notes.add_addendum(
        signed.id, "GAD-7 was 11.", "Scoring error", SIGNER, now=datetime(2025, 3, 5, 9, 0)
    )
    late = repos.notes.save_draft(fictional_draft(jordan, date(2025, 3, 11)))
    repos.notes.sign(late.id, SIGNER, now=datetime(2025, 3, 20, 8, 0))
    repos.notes.save_draft(fictional_draft(jordan, date(2025, 3, 18)))
    half_typed = fictional_draft(riley, date(2025, 2, 3))
    half_typed = replace(
        half_typed,
        details=replace(
            half_typed.details,
            session=replace(half_typed.details.session, start=time(9, 0), end=time(8, 0)),
        ),
    )
    repos.notes.save_draft(half_typed)
    return repos


def everything(repos: Repositories) -> dict:
    """What a user can read back: clients, plans and every note, by id."""
    return {
        client.id: (client, repos.plans.get(client.id), repos.notes.list_for_client(client.id))
        for client in repos.clients.list()
    }


def through_json(document: dict) -> dict:
    return json.loads(json.dumps(document))


def test_export_then_import_reproduces_the_same_data(source):
    document = through_json(export_data(source))
    assert document["format"] == "clinote-export" and document["version"] == 2
    target, vault = new_repos()
    report = import_data(target, document)
    assert (report.clients_added, report.notes_added, report.plans_updated) == (2, 4, 1)
    assert everything(target) == everything(source)
    assert [n.status for n in target.notes.list_for_client(source.clients.list()[0].id)] == [
        NoteStatus.DRAFT,
        NoteStatus.SIGNED,
        NoteStatus.SIGNED,
    ]
    assert vault.events == [("imported", None)]
    assert through_json(export_data(target))["clients"] == document["clients"]


def test_importing_twice_does_not_duplicate(source):
    document = through_json(export_data(source))
    target, vault = new_repos()
    import_data(target, document)
    again = import_data(target, document)
    assert (again.clients_added, again.clients_updated, again.notes_added) == (0, 0, 0)
    assert (again.notes_updated, again.plans_updated, again.notes_unchanged) == (0, 0, 4)
    assert again.kept_from_vault == []
    assert [len(vault.db.table(name)) for name in ("clients", "plans", "notes")] == [2, 1, 4]


def test_importing_into_the_vault_it_came_from_changes_nothing(source):
    report = import_data(source, through_json(export_data(source)))
    assert report.notes_unchanged == 4 and report.notes_added == 0


def test_export_of_one_client_by_code(source):
    document = export_data(source, client_code="rc-0271")
    assert [client["code"] for client in document["clients"]] == ["RC-0271"]
    assert len(document["clients"][0]["notes"]) == 1
    with pytest.raises(RecordNotFound, match="XX-0000"):
        export_data(source, client_code="XX-0000")


def test_export_is_audited_without_note_text(source):
    vault_events = []
    repos = Repositories(source.db, lambda event, record_id=None: vault_events.append(event))
    export_json(repos)
    export_data(repos, client_code="JA-0142")
    assert vault_events == ["exported", "exported"]


def test_a_signed_note_in_the_vault_is_never_replaced_by_a_different_one(source):
    document = through_json(export_data(source))
    target, vault = new_repos()
    import_data(target, document)
    changed = copy.deepcopy(document)
    signed_doc = changed["clients"][0]["notes"][0]
    assert signed_doc["status"] == "signed"
    original = target.notes.get(signed_doc["id"])
    # A differently worded note that is itself correctly signed: still not accepted.
    other_repos, _ = new_repos()
    client = target.clients.get(changed["clients"][0]["id"])
    other_repos.clients.save(client)
    rewritten = replace(original, text="Different text.\n", status=NoteStatus.DRAFT, signature=None)
    rewritten = replace(rewritten, addenda=())
    other_repos.notes.save_draft(rewritten)
    resigned = other_repos.notes.sign(rewritten.id, SIGNER, now=datetime(2025, 3, 4, 13, 0))
    changed["clients"][0]["notes"][0] = export_data(other_repos)["clients"][0]["notes"][0]
    assert changed["clients"][0]["notes"][0]["text"] == resigned.text

    report = import_data(target, through_json(changed))
    assert target.notes.get(original.id) == original
    assert len(report.kept_from_vault) == 1
    assert "signed in the vault and different in the file" in report.kept_from_vault[0]
    assert "JA-0142" in report.kept_from_vault[0]


def test_new_addenda_in_the_file_are_added_to_the_signed_note(source):
    before = through_json(export_data(source))
    target, _ = new_repos()
    import_data(target, before)
    signed_id = before["clients"][0]["notes"][0]["id"]
    source.notes.add_addendum(signed_id, "Second addendum.", "Clarify", SIGNER)
    report = import_data(target, through_json(export_data(source)))
    assert report.addenda_added == 1
    assert target.notes.get(signed_id) == source.notes.get(signed_id)


def test_a_draft_in_the_vault_takes_the_signed_version_from_the_file(source):
    target, _ = new_repos()
    import_data(target, through_json(export_data(source)))
    draft = next(
        n
        for n in source.notes.list_for_client(source.clients.list()[0].id)
        if n.status is NoteStatus.DRAFT
    )
    source.notes.sign(draft.id, SIGNER, now=datetime(2025, 3, 18, 12, 0))
    report = import_data(target, through_json(export_data(source)))
    assert report.notes_updated == 1
    assert target.notes.get(draft.id).status is NoteStatus.SIGNED


def test_a_newer_draft_in_the_vault_is_kept(source):
    document = through_json(export_data(source))
    target, _ = new_repos()
    import_data(target, document)
    draft_doc = next(n for n in document["clients"][0]["notes"] if n["status"] == "draft")
    newer = target.notes.get(draft_doc["id"])
    newer = target.notes.save_draft(replace(newer, text=newer.text + "Edited later.\n"))
    report = import_data(target, document)
    assert target.notes.get(newer.id) == newer
    assert "newer" in report.kept_from_vault[0]


def test_a_client_code_held_by_another_client_is_not_imported(source):
    target, _ = new_repos()
    someone_else = fictional_client("Morgan Ellis", "JA-0142")
    target.clients.save(someone_else)
    report = import_data(target, through_json(export_data(source)))
    assert target.clients.find_by_code("JA-0142") == someone_else
    assert target.notes.list_for_client(someone_else.id) == []
    assert "client JA-0142" in report.kept_from_vault[0]
    assert report.clients_added == 1  # the other client still came in


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"format": "something-else"}, "format: expected 'clinote-export'"),
        ({"version": 3}, "version: 3 is not supported"),
        ({"version": "1"}, "version: missing or not a number"),
    ],
)
def test_only_a_clinote_export_of_a_known_version_is_read(source, change, expected):
    document = {**through_json(export_data(source)), **change}
    with pytest.raises(ExportDocumentError) as error:
        import_data(new_repos()[0], document)
    assert len(error.value.problems) == 1
    assert error.value.problems[0].startswith(expected)


def test_every_problem_is_named_once_and_nothing_is_written(source):
    document = through_json(export_data(source))
    jordan = document["clients"][0]
    del jordan["name"]
    jordan["dob"] = "1991-13-40"
    jordan["favourite_colour"] = "blue"
    jordan["plan"]["goals"][0]["status"] = "abandoned"
    jordan["notes"][0]["text"] = jordan["notes"][0]["text"].replace("worry", "calm")
    jordan["notes"][1]["details"]["session"]["service"] = "massage"
    document["clients"][1]["id"] = jordan["id"]
    target, vault = new_repos()
    with pytest.raises(ExportDocumentError) as error:
        import_data(target, document)
    problems = error.value.problems
    assert "clients[0].name: required field missing" in problems
    assert "clients[0].dob: not a valid date (use ISO 8601)" in problems
    assert "clients[0].favourite_colour: unknown field" in problems
    assert any(p.startswith("clients[0].plan.goals[0].status:") for p in problems)
    assert len(problems) == 4  # structural problems stop before the notes are read
    assert len(vault.db.table("clients")) == 0 and vault.events == []

    document = through_json(export_data(source))
    jordan = document["clients"][0]
    jordan["notes"][0]["text"] = jordan["notes"][0]["text"].replace("worry", "calm")
    jordan["notes"][1]["details"]["session"]["service"] = "massage"
    document["clients"][1]["id"] = jordan["id"]
    with pytest.raises(ExportDocumentError) as error:
        import_data(target, document)
    problems = error.value.problems
    assert "clients[0].notes[0]: the note text does not match its signature hash" in problems
    assert any(p.startswith("clients[0].notes[1].details.session.service:") for p in problems)
    assert any(p.startswith("clients[1].id: id ") for p in problems)
    assert len(problems) == 3
    assert all("calm" not in problem and "Jordan" not in problem for problem in problems)
    assert len(vault.db.table("notes")) == 0


def test_a_phrase_in_a_choice_field_is_not_quoted_back(source):
    document = through_json(export_data(source))
    document["clients"][0]["plan"]["goals"][0]["status"] = "felt calm today"
    target, _ = new_repos()
    with pytest.raises(ExportDocumentError) as error:
        import_data(target, document)
    (problem,) = error.value.problems
    assert problem.startswith("clients[0].plan.goals[0].status: the text given is not one of ")
    assert "calm" not in problem


def test_a_document_that_is_not_an_object_is_refused():
    with pytest.raises(ExportDocumentError, match="expected a JSON object"):
        import_data(new_repos()[0], [1, 2, 3])


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_markdown_export_writes_one_private_readable_file_per_note(source, tmp_path):
    old_umask = os.umask(0o022)
    try:
        written = export_markdown(source, tmp_path / "notes")
    finally:
        os.umask(old_umask)
    assert mode(tmp_path / "notes") == 0o700
    assert len(written) == 4
    assert sorted(p.name for p in (tmp_path / "notes").iterdir()) == sorted(p.name for p in written)
    for path in written:
        assert mode(path) == 0o600
        assert "Jordan" not in path.name and "Riley" not in path.name
        assert path.name.startswith(("JA-0142_2025-03-", "RC-0271_2025-02-03_"))
    jordan = source.clients.find_by_code("JA-0142")
    signed = source.notes.list_for_client(jordan.id)[-1]
    text = (tmp_path / "notes" / f"JA-0142_2025-03-04_{signed.id[:8]}.md").read_text()
    assert text.startswith(signed.text)
    assert "## Addendum — written 2025-03-05 at 09:00 by Dana Reyes, LCSW" in text
    draft_file = next(p for p in written if p.name.startswith("JA-0142_2025-03-18_"))
    assert draft_file.read_text().startswith("> DRAFT: not signed")


def test_markdown_export_of_one_client(source, tmp_path):
    written = export_markdown(source, tmp_path, client_code="RC-0271")
    assert [p.name[:19] for p in written] == ["RC-0271_2025-02-03_"]


SAVED_V1 = Path(__file__).with_name("data") / "clinote-export-v1.json"


def test_an_export_saved_by_format_version_1_still_imports(tmp_path):
    document = json.loads(SAVED_V1.read_text(encoding="utf-8"))
    target, _ = new_repos()
    report = import_data(target, document)
    assert (report.clients_added, report.notes_added) == (1, 2)
    client = target.clients.find_by_code("JA-0142")
    assert client.name == "Jordan Avery"
    assert [goal.id for goal in target.plans.get(client.id).goals] == ["goal-worry"]
    draft, signed = target.notes.list_for_client(client.id)
    assert (draft.status, signed.status) == (NoteStatus.DRAFT, NoteStatus.SIGNED)
    assert signed.signature.signed_at.isoformat() == "2025-03-04T11:30:00-05:00"
    assert [a.text for a in signed.addenda] == ["The GAD-7 total was 11, not 12."]
    assert signature_problems(signed) == []
    assert through_json(export_data(target))["clients"] == document["clients"]
