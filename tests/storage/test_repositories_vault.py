"""Repositories and transfer on the real encrypted vault: what is saved is there after reopening."""

import json
from dataclasses import replace
from datetime import date, datetime

import pytest

from core.notes.composer import compose_note
from core.notes.model import NoteStatus, RiskLevel, SuicidalIdeation
from core.notes.records import SigningRefused
from storage import KdfLimits, KdfParams, Vault
from storage.records.repositories import Repositories
from storage.records.transfer import export_data, import_data
from storage.vault.kdf import ARGON2ID, Bounds
from tests.support.fictional_notes import (
    SIGNER,
    fictional_client,
    fictional_draft,
    fictional_plan,
)

PASSPHRASE = "correct horse battery staple orbit"
# Cheap key derivation: these tests are about records, not about the KDF.
CHEAP_KDF = KdfParams(ARGON2ID, 8, 1, 1)
CHEAP_LIMITS = KdfLimits(*(Bounds(1, 2**21) for _ in range(6)))


def create_vault(path):
    return Vault.create(path, PASSPHRASE, kdf=CHEAP_KDF, kdf_limits=CHEAP_LIMITS)


def open_vault(path):
    return Vault.open(path, PASSPHRASE, kdf_limits=CHEAP_LIMITS)


def audit_rows(vault):
    return vault.db.table("audit").all()


def test_records_survive_closing_and_reopening_the_vault(tmp_path):
    path = tmp_path / "practice.vault"
    with create_vault(path) as vault:
        repos = Repositories.from_vault(vault)
        client = fictional_client()
        repos.clients.save(client)
        repos.plans.save(fictional_plan(client))
        repos.settings.save(SIGNER)
        draft = repos.notes.save_draft(fictional_draft(client, date(2025, 3, 4)))
        repos.notes.sign(draft.id, SIGNER, now=datetime(2025, 3, 4, 12, 0))
        signed = repos.notes.add_addendum(draft.id, "GAD-7 was 11.", "Scoring error", SIGNER)
        later = repos.notes.save_draft(fictional_draft(client, date(2025, 3, 11)))

    with open_vault(path) as vault:
        repos = Repositories.from_vault(vault)
        assert repos.clients.list() == [client]
        assert repos.plans.get(client.id) == fictional_plan(client)
        assert repos.settings.load() == SIGNER
        assert repos.notes.list_for_client(client.id) == [later, signed]
        events = [(row["event"], row["record_id"]) for row in audit_rows(vault)]
        assert ("signed", draft.id) in events and ("addendum", draft.id) in events
        audit_text = json.dumps(audit_rows(vault))
        assert "GAD-7" not in audit_text and "Jordan" not in audit_text


def test_signing_on_the_vault_is_refused_by_the_real_checks(tmp_path):
    with create_vault(tmp_path / "practice.vault") as vault:
        repos = Repositories.from_vault(vault)
        client = fictional_client()
        repos.clients.save(client)
        draft = fictional_draft(client)
        elevated = replace(
            draft.details.risk, suicidal_ideation=SuicidalIdeation.PASSIVE, level=RiskLevel.MODERATE
        )
        draft = replace(draft, details=replace(draft.details, risk=elevated))
        draft = repos.notes.save_draft(replace(draft, text=compose_note(draft.details)))
        with pytest.raises(SigningRefused) as refusal:
            repos.notes.sign(draft.id, SIGNER)
        assert "RISK-NO-SAFETY-PLAN" in {f.rule_id for f in refusal.value.findings}
        assert repos.notes.get(draft.id).status is NoteStatus.DRAFT


def test_export_from_one_vault_imports_into_another(tmp_path):
    with create_vault(tmp_path / "old.vault") as vault:
        source = Repositories.from_vault(vault)
        client = fictional_client()
        source.clients.save(client)
        draft = source.notes.save_draft(fictional_draft(client))
        source.notes.sign(draft.id, SIGNER, now=datetime(2025, 3, 4, 12, 0))
        document = json.loads(json.dumps(export_data(source)))
        expected = source.notes.list_for_client(client.id)

    with create_vault(tmp_path / "new.vault") as vault:
        target = Repositories.from_vault(vault)
        assert import_data(target, document).notes_added == 1
        assert import_data(target, document).notes_unchanged == 1
    with open_vault(tmp_path / "new.vault") as vault:
        target = Repositories.from_vault(vault)
        [imported] = target.notes.list_for_client(client.id)
        # The text and signature arrive whole; the seal was made by the other vault's key,
        # so this vault keeps the signature as "imported, signature not verified".
        assert expected[0].signature.seal is not None
        assert imported == replace(expected[0], signature=replace(expected[0].signature, seal=None))
        assert expected[0].status is NoteStatus.SIGNED
        assert [row["event"] for row in audit_rows(vault)].count("imported") == 2
