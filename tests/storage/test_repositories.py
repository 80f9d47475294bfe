"""Repositories over a vault's TinyDB: what the caseload and the editor rely on."""

from dataclasses import replace
from datetime import date, datetime, time

import pytest

from core.checks.findings import Finding, Severity
from core.notes.model import (
    Attendance,
    ClientStatus,
    Instrument,
    NoteFormat,
    NoteStatus,
    PreviousScore,
    Service,
    Settings,
    TreatmentPlan,
)
from core.notes.records import SignedNoteError, SigningRefused, signature_problems
from storage.records.errors import RecordInvalid, RecordNotFound
from storage.records.notes import ClientSummary
from storage.records.repositories import Repositories
from tests.support.fictional_notes import (
    SIGNER,
    fictional_client,
    fictional_draft,
    fictional_plan,
)
from tests.support.memory_vault import MemoryVault

SIGNED_AT = datetime(2025, 3, 4, 12, 0)


class Checks:
    """A check_note stand-in whose findings a test chooses."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self.seen = []

    def __call__(self, details, text):
        self.seen.append(details)
        return list(self.findings)


@pytest.fixture
def vault():
    return MemoryVault()


@pytest.fixture
def checks():
    return Checks()


@pytest.fixture
def repos(vault, checks):
    return Repositories(vault.db, vault.record_event, check_note=checks)


@pytest.fixture
def client(repos):
    client = fictional_client()
    repos.clients.save(client)
    return client


# --- clients ---------------------------------------------------------------------


def test_from_vault_uses_the_vaults_db_and_audit(vault):
    repos = Repositories.from_vault(vault)
    client = fictional_client()
    repos.clients.save(client)
    assert repos.clients.get(client.id) == client
    assert vault.events == [("client_saved", client.id)]


def test_clients_are_listed_by_name_and_filtered_by_status(repos):
    zoe = fictional_client("Zoe Lindqvist", "ZL-0008")
    ana = fictional_client("ana Moreau", "AM-0311", status=ClientStatus.DISCHARGED)
    ben = fictional_client("Ben Okoro", "BO-0517")
    for client in (zoe, ana, ben):
        repos.clients.save(client)
    assert [c.name for c in repos.clients.list()] == ["ana Moreau", "Ben Okoro", "Zoe Lindqvist"]
    assert repos.clients.list(ClientStatus.ACTIVE) == [ben, zoe]
    assert repos.clients.list(ClientStatus.DISCHARGED) == [ana]


def test_saving_a_client_again_updates_it_in_place(repos, vault, client):
    renamed = replace(client, name="Jordan Avery-Lee")
    repos.clients.save(renamed)
    assert repos.clients.list() == [renamed]
    assert len(vault.db.table("clients")) == 1


def test_find_by_code_ignores_case_and_spaces(repos, client):
    assert repos.clients.find_by_code(" ja-0142 ") == client
    assert repos.clients.find_by_code("JA-9999") is None


def test_a_client_code_belongs_to_one_client(repos, client):
    with pytest.raises(RecordInvalid, match="already used"):
        repos.clients.save(fictional_client("Riley Chen", "ja-0142"))
    assert repos.clients.list() == [client]


@pytest.mark.parametrize("changes", [{"name": " "}, {"code": ""}])
def test_a_client_needs_a_name_and_a_code(repos, changes):
    with pytest.raises(RecordInvalid):
        repos.clients.save(fictional_client(**changes))


def test_discharge_keeps_the_client_with_discharged_status(repos, vault, client):
    discharged = repos.clients.discharge(client.id)
    assert discharged.status is ClientStatus.DISCHARGED
    assert repos.clients.get(client.id) == discharged
    assert vault.events[-1] == ("client_discharged", client.id)
    with pytest.raises(RecordNotFound):
        repos.clients.discharge("no-such-client")


# --- plans and settings ----------------------------------------------------------


def test_a_client_without_a_plan_gets_an_empty_one(repos, client):
    assert repos.plans.get(client.id) == TreatmentPlan(client_id=client.id)


def test_plans_round_trip_and_are_kept_once_per_client(repos, vault, client):
    plan = fictional_plan(client)
    repos.plans.save(plan)
    reviewed = replace(plan, review_date=date(2026, 1, 10))
    repos.plans.save(reviewed)
    assert repos.plans.get(client.id) == reviewed
    assert len(vault.db.table("plans")) == 1


def test_settings_default_then_round_trip(repos):
    assert repos.settings.load() == Settings()
    chosen = Settings("Dana Reyes", "LCSW", NoteFormat.BIRP, autolock_minutes=5)
    repos.settings.save(chosen)
    assert repos.settings.load() == chosen


def test_settings_from_a_newer_version_still_load(repos, vault):
    vault.db.table("settings").insert(
        {"id": "settings", "clinician_name": "Dana Reyes", "theme_colour": "teal"}
    )
    assert repos.settings.load().clinician_name == "Dana Reyes"


# --- notes: drafts ----------------------------------------------------------------


def test_a_saved_draft_reads_back_equal(repos, client):
    saved = repos.notes.save_draft(fictional_draft(client))
    assert saved.created_at is not None and saved.updated_at is not None
    assert repos.notes.get(saved.id) == saved
    assert repos.notes.get("no-such-note") is None


def test_saving_a_draft_again_updates_it_and_keeps_its_creation_time(repos, vault, client):
    first = repos.notes.save_draft(fictional_draft(client), now=datetime(2025, 3, 4, 11, 0))
    edited = replace(first, text=first.text + "More data.\n", created_at=None)
    second = repos.notes.save_draft(edited, now=datetime(2025, 3, 4, 11, 5))
    assert second.created_at == first.created_at
    assert second.updated_at == datetime(2025, 3, 4, 11, 5)
    assert repos.notes.list_for_client(client.id) == [second]
    assert [e for e, _ in vault.events].count("draft_created") == 1


def test_a_draft_still_being_typed_reads_back_as_stored(repos, client):
    draft = fictional_draft(client)
    half_typed = replace(
        draft,
        details=replace(
            draft.details,
            session=replace(draft.details.session, start=time(10, 0), end=time(9, 5)),
        ),
    )
    saved = repos.notes.save_draft(half_typed)
    assert repos.notes.get(saved.id) == saved


def test_a_draft_needs_a_client_in_the_vault(repos):
    with pytest.raises(RecordNotFound):
        repos.notes.save_draft(fictional_draft(fictional_client()))


def test_notes_are_listed_newest_session_first(repos, client):
    dates = [date(2025, 3, 4), date(2025, 3, 18), date(2025, 3, 11)]
    for session_date in dates:
        repos.notes.save_draft(fictional_draft(client, session_date))
    other = fictional_client("Riley Chen", "RC-0271")
    repos.clients.save(other)
    repos.notes.save_draft(fictional_draft(other, date(2025, 3, 25)))
    listed = repos.notes.list_for_client(client.id)
    assert [n.details.session.date for n in listed] == sorted(dates, reverse=True)
    # The client screen decodes a screenful first: the newest ones, in the same order.
    newest = repos.notes.list_for_client(client.id, newest=2)
    assert newest == listed[:2]


def test_a_draft_can_be_deleted(repos, vault, client):
    draft = repos.notes.save_draft(fictional_draft(client))
    repos.notes.delete_draft(draft.id)
    assert repos.notes.get(draft.id) is None
    assert vault.events[-1] == ("draft_deleted", draft.id)


# --- notes: signing and addenda ---------------------------------------------------


def test_signing_stores_the_signed_note_and_audits_it(repos, vault, client):
    draft = repos.notes.save_draft(fictional_draft(client))
    signed = repos.notes.sign(draft.id, SIGNER, now=SIGNED_AT)
    assert signed.status is NoteStatus.SIGNED
    assert repos.notes.get(draft.id) == signed
    assert signature_problems(repos.notes.get(draft.id)) == []
    assert vault.events[-1] == ("signed", draft.id)


def test_signing_runs_the_checks_with_the_clients_history(repos, checks, client):
    repos.plans.save(fictional_plan(client))
    earlier = repos.notes.save_draft(fictional_draft(client, date(2025, 2, 25), gad7=15))
    draft = repos.notes.save_draft(fictional_draft(client, date(2025, 3, 4)))
    repos.notes.sign(draft.id, SIGNER, now=SIGNED_AT)
    context = checks.seen[-1].context
    assert context.previous_note_text == earlier.text
    assert context.previous_scores == (PreviousScore(Instrument.GAD7, date(2025, 2, 25), 15),)
    assert context.plan_date == date(2025, 1, 10)
    assert context.today == SIGNED_AT.date()


def test_signing_refused_by_an_error_finding_leaves_the_draft(repos, checks, vault, client):
    checks.findings = [
        Finding("RISK-NO-SAFETY-PLAN", Severity.ERROR, "Assessment", "Add the safety plan.")
    ]
    draft = repos.notes.save_draft(fictional_draft(client))
    with pytest.raises(SigningRefused) as refusal:
        repos.notes.sign(draft.id, SIGNER, now=SIGNED_AT)
    assert [f.rule_id for f in refusal.value.findings] == ["RISK-NO-SAFETY-PLAN"]
    assert repos.notes.get(draft.id).status is NoteStatus.DRAFT
    assert ("signed", draft.id) not in vault.events


def test_signing_needs_a_signer_in_settings(repos, client):
    draft = repos.notes.save_draft(fictional_draft(client))
    with pytest.raises(SigningRefused, match="SIGN-NO-CLINICIAN"):
        repos.notes.sign(draft.id, Settings(), now=SIGNED_AT)


def test_signing_before_the_session_has_ended_is_refused_and_leaves_the_draft(repos, vault, client):
    draft = repos.notes.save_draft(fictional_draft(client, end=time(14, 53)))
    with pytest.raises(SigningRefused, match="SIGN-BEFORE-SESSION-END"):
        repos.notes.sign(draft.id, SIGNER, now=datetime(2025, 3, 4, 0, 41))
    assert repos.notes.get(draft.id).status is NoteStatus.DRAFT
    assert ("signed", draft.id) not in vault.events


def test_a_second_signed_note_for_the_same_date_and_service_is_refused(repos, client):
    first = repos.notes.save_draft(fictional_draft(client))
    repos.notes.sign(first.id, SIGNER, now=SIGNED_AT)
    second = repos.notes.save_draft(fictional_draft(client))
    with pytest.raises(SigningRefused, match="NOTE-DUPLICATE"):
        repos.notes.sign(second.id, SIGNER, now=SIGNED_AT)
    other_service = fictional_draft(client)
    other_service = replace(
        other_service,
        details=replace(
            other_service.details,
            session=replace(other_service.details.session, service=Service.FAMILY_WITH_CLIENT),
        ),
    )
    repos.notes.save_draft(other_service)
    assert repos.notes.sign(other_service.id, SIGNER, now=SIGNED_AT).status is NoteStatus.SIGNED


def test_a_signed_note_is_never_overwritten_or_deleted(repos, client):
    draft = repos.notes.save_draft(fictional_draft(client))
    signed = repos.notes.sign(draft.id, SIGNER, now=SIGNED_AT)
    stale_copy = replace(draft, text="Rewritten after signing.")
    with pytest.raises(SignedNoteError):
        repos.notes.save_draft(stale_copy)
    with pytest.raises(SignedNoteError):
        repos.notes.save_draft(signed)
    with pytest.raises(SignedNoteError):
        repos.notes.delete_draft(draft.id)
    with pytest.raises(SignedNoteError):
        repos.notes.sign(draft.id, SIGNER, now=SIGNED_AT)
    assert repos.notes.get(draft.id) == signed


def test_an_addendum_is_stored_with_the_original_intact(repos, vault, client):
    draft = repos.notes.save_draft(fictional_draft(client))
    signed = repos.notes.sign(draft.id, SIGNER, now=SIGNED_AT)
    amended = repos.notes.add_addendum(
        draft.id, "GAD-7 total was 11.", "Scoring error", SIGNER, now=datetime(2025, 3, 6, 9, 0)
    )
    stored = repos.notes.get(draft.id)
    assert stored == amended
    assert stored.text == signed.text and stored.signature == signed.signature
    assert [a.text for a in stored.addenda] == ["GAD-7 total was 11."]
    assert vault.events[-1] == ("addendum", draft.id)


def test_unknown_note_ids_are_reported(repos):
    with pytest.raises(RecordNotFound):
        repos.notes.sign("no-such-note", SIGNER)
    with pytest.raises(RecordNotFound):
        repos.notes.add_addendum("no-such-note", "Text.", "Why", SIGNER)
    with pytest.raises(RecordNotFound):
        repos.notes.delete_draft("no-such-note")


def test_audit_events_never_carry_note_text(repos, vault, client):
    draft = repos.notes.save_draft(fictional_draft(client))
    repos.notes.sign(draft.id, SIGNER, now=SIGNED_AT)
    repos.notes.add_addendum(draft.id, "Added detail.", "Clarify", SIGNER)
    known_ids = {client.id, draft.id, None}
    assert {record_id for _, record_id in vault.events} <= known_ids


# --- notes: context, carry forward, caseload summary ------------------------------


def test_context_uses_earlier_sessions_only_and_the_latest_score_per_instrument(repos, client):
    for session_date, gad7 in [(date(2025, 2, 18), 16), (date(2025, 2, 25), 14)]:
        repos.notes.save_draft(fictional_draft(client, session_date, gad7=gad7))
    later = repos.notes.save_draft(fictional_draft(client, date(2025, 3, 11), gad7=9))
    current = repos.notes.save_draft(fictional_draft(client, date(2025, 3, 4)))
    context = repos.notes.context_for(client.id, date(2025, 3, 4), exclude_note_id=current.id)
    assert context.previous_scores == (PreviousScore(Instrument.GAD7, date(2025, 2, 25), 14),)
    assert context.previous_note_text is not None
    assert "2025-02-25" in context.previous_note_text
    assert later.text != context.previous_note_text


def test_context_for_a_first_session_is_empty(repos, client):
    context = repos.notes.context_for(client.id, date(2025, 3, 4))
    assert context.previous_scores == ()
    assert context.previous_note_text is None


def test_last_note_is_the_latest_held_session_before_a_date(repos, client):
    held = repos.notes.save_draft(fictional_draft(client, date(2025, 3, 4)))
    no_show = fictional_draft(client, date(2025, 3, 11))
    no_show = replace(
        no_show,
        details=replace(
            no_show.details,
            session=replace(no_show.details.session, attendance=Attendance.NO_SHOW),
        ),
    )
    repos.notes.save_draft(no_show)
    later = repos.notes.save_draft(fictional_draft(client, date(2025, 3, 18)))
    assert repos.notes.last_note(client.id) == later
    assert repos.notes.last_note(client.id, before=date(2025, 3, 18)) == held
    assert repos.notes.last_note(client.id, before=date(2025, 3, 4)) is None


def test_summary_gives_last_session_and_drafts_awaiting_signature(repos, client):
    quiet = fictional_client("Riley Chen", "RC-0271")
    repos.clients.save(quiet)
    signed = repos.notes.save_draft(fictional_draft(client, date(2025, 3, 4)))
    repos.notes.sign(signed.id, SIGNER, now=SIGNED_AT)
    repos.notes.save_draft(fictional_draft(client, date(2025, 3, 11)))
    repos.notes.save_draft(fictional_draft(client, date(2025, 3, 18)))
    assert repos.notes.summary() == {
        client.id: ClientSummary(date(2025, 3, 18), drafts_awaiting_signature=2, note_count=3),
        quiet.id: ClientSummary(None, drafts_awaiting_signature=0, note_count=0),
    }
