"""The session file's newer fields survive the vault, export and import, signed or not."""

import json
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from core.notes.composer import compose_note
from core.notes.model import Attendance
from core.notes.session_file import load_session_file
from storage.records.repositories import Repositories
from storage.records.transfer import export_data, import_data
from tests.support.fictional_notes import SIGNER, fictional_client, fictional_draft
from tests.support.memory_vault import MemoryVault

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def new_repos() -> Repositories:
    vault = MemoryVault()
    return Repositories(vault.db, vault.record_event, check_note=lambda details, text: [])


def test_new_fields_round_trip_through_export_and_import():
    source = new_repos()
    client = fictional_client()
    source.clients.save(client)
    for name, sign in (("telehealth-audio-act.json", True), ("family-without-client.json", False)):
        example = load_session_file(EXAMPLES / name)
        draft = fictional_draft(client, example.session.date)
        details = replace(example, client=client)
        saved = source.notes.save_draft(replace(draft, details=details))
        if sign:
            source.notes.sign(saved.id, SIGNER, now=datetime(2026, 11, 30, 9, 0))

    document = json.loads(json.dumps(export_data(source)))
    target = new_repos()
    import_data(target, document)

    before = source.notes.list_for_client(client.id)
    after = target.notes.list_for_client(client.id)
    # Another vault cannot verify this vault's seal: the signature arrives unverified.
    assert [n.signature.seal for n in after if n.signature] == [None]
    unsealed = [
        replace(n, signature=replace(n.signature, seal=None)) if n.signature else n for n in before
    ]
    assert after == unsealed
    telehealth = next(n for n in after if n.details.telehealth is not None).details
    assert telehealth.assessment.medical_necessity.startswith("Weekly outpatient")
    assert telehealth.measures[0].previous is not None
    family = next(n for n in after if n.details.participants).details
    assert family.participants[0].label == "mother"


def test_the_vault_gives_the_session_number_and_the_last_session_held():
    repos = new_repos()
    client = fictional_client()
    repos.clients.save(client)
    for day in (date(2026, 10, 5), date(2026, 10, 12), date(2026, 11, 2)):
        repos.notes.save_draft(fictional_draft(client, day))
    missed = fictional_draft(client, date(2026, 11, 9))
    missed_session = replace(missed.details.session, attendance=Attendance.NO_SHOW)
    repos.notes.save_draft(replace(missed, details=replace(missed.details, session=missed_session)))

    context = repos.notes.context_for(client.id, date(2026, 11, 23))
    assert (context.session_number, context.previous_session_date) == (4, date(2026, 11, 2))
    details = replace(fictional_draft(client, date(2026, 11, 23)).details, context=context)
    assert "- Session 4; last seen 2026-11-02, 3 weeks ago\n" in compose_note(details)

    first = repos.notes.context_for(client.id, date(2026, 9, 1))
    assert (first.session_number, first.previous_session_date) == (1, None)
