"""The session file's newer fields survive the vault, export and import, signed or not."""

import json
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from core.session_file import load_session_file
from storage.repositories import Repositories
from storage.transfer import export_data, import_data
from tests.storage.vault_fixtures import MemoryVault
from tests.support.fictional_notes import SIGNER, fictional_client, fictional_draft

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
    assert after == before
    telehealth = next(n for n in after if n.details.telehealth is not None).details
    assert telehealth.assessment.medical_necessity.startswith("Weekly outpatient")
    assert telehealth.measures[0].previous is not None
    family = next(n for n in after if n.details.participants).details
    assert family.participants[0].label == "mother"
