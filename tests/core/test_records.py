"""Signing, refusal to edit a signed note, addenda and late entries."""

import hashlib
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from core.checks.findings import Finding, Severity
from core.notes.model import NoteStatus, Settings
from core.notes.records import (
    AddendumRefused,
    SignedNoteError,
    SigningRefused,
    add_addendum,
    ensure_editable,
    render_note_with_addenda,
    sign_note,
    signature_problems,
)
from tests.support.fictional_notes import SIGNER, at, fictional_client, fictional_draft

SOON_AFTER = datetime(2025, 3, 4, 11, 30)  # the session ended at 10:53 that day


def finding(severity: Severity, rule_id: str = "RISK-NO-SAFETY-PLAN") -> Finding:
    return Finding(rule_id, severity, "Assessment", "A reviewer would object.")


@pytest.fixture
def draft():
    return fictional_draft(fictional_client())


@pytest.fixture
def signed(draft):
    return sign_note(draft, SIGNER, [], SOON_AFTER)


@pytest.mark.parametrize(
    "settings",
    [
        Settings(),
        Settings(clinician_name="Dana Reyes"),
        Settings(credentials="LCSW"),
        Settings(clinician_name="  ", credentials="LCSW"),
    ],
)
def test_signing_needs_clinician_name_and_credentials(draft, settings):
    with pytest.raises(SigningRefused) as refusal:
        sign_note(draft, settings, [], SOON_AFTER)
    assert [f.rule_id for f in refusal.value.findings] == ["SIGN-NO-CLINICIAN"]
    assert "Settings" in refusal.value.findings[0].message
    assert "\n" not in str(refusal.value)


def test_signing_is_refused_with_every_error_finding_listed(draft):
    findings = [
        finding(Severity.ERROR, "RISK-NO-SAFETY-PLAN"),
        finding(Severity.WARNING, "WEAK-PHRASE"),
        finding(Severity.ERROR, "RISK-CONTRADICTION"),
    ]
    with pytest.raises(SigningRefused) as refusal:
        sign_note(draft, SIGNER, findings, SOON_AFTER)
    assert [f.rule_id for f in refusal.value.findings] == [
        "RISK-NO-SAFETY-PLAN",
        "RISK-CONTRADICTION",
    ]
    assert "RISK-CONTRADICTION" in str(refusal.value)


def test_an_empty_note_cannot_be_signed(draft):
    with pytest.raises(SigningRefused) as refusal:
        sign_note(replace(draft, text="  \n"), SIGNER, [], SOON_AFTER)
    assert [f.rule_id for f in refusal.value.findings] == ["SIGN-EMPTY-TEXT"]


def test_warnings_do_not_block_signing(draft):
    signed = sign_note(draft, SIGNER, [finding(Severity.WARNING)], SOON_AFTER)
    assert signed.status is NoteStatus.SIGNED


def test_signed_note_stores_text_time_and_a_hash_of_the_text(draft, signed):
    assert signed.text.startswith(draft.text.strip())
    assert signed.text.rstrip().endswith(
        "Electronically signed by Dana Reyes, LCSW on 2025-03-04 at 11:30"
    )
    assert signed.signature.signed_at == SOON_AFTER
    assert (signed.signature.clinician_name, signed.signature.credentials) == ("Dana Reyes", "LCSW")
    assert signed.signature.text_sha256 == hashlib.sha256(signed.text.encode()).hexdigest()
    assert signature_problems(signed) == []


def test_signing_the_composed_note_drops_the_edited_text_kept_beside_it(draft):
    kept = replace(
        draft, kept_text="Client rehearsed the plan at the bus stop.", kept_text_source="edited"
    )
    signed = sign_note(kept, SIGNER, [], SOON_AFTER)
    assert (signed.kept_text, signed.kept_text_source) == ("", "")
    assert signed.text.startswith(draft.text.strip())
    assert "bus stop" not in signed.text
    assert signed.signature == sign_note(draft, SIGNER, [], SOON_AFTER).signature


def test_signature_line_shows_the_utc_offset_of_an_aware_time(draft):
    signed = sign_note(draft, SIGNER, [], at(2025, 3, 4, 18, 5))
    assert "on 2025-03-04 at 18:05 (UTC+00:00)" in signed.text


def test_a_changed_signed_text_no_longer_matches_its_hash(signed):
    tampered = replace(signed, text=signed.text.replace("worry", "no worry"))
    assert signature_problems(tampered) == ["the note text does not match its signature hash"]


def test_a_signed_note_cannot_be_signed_or_edited_again(signed):
    with pytest.raises(SignedNoteError, match="addendum"):
        sign_note(signed, SIGNER, [], SOON_AFTER)
    with pytest.raises(SignedNoteError):
        ensure_editable(signed)


def test_addendum_keeps_the_original_intact_and_is_labeled_dated_and_signed(signed):
    written = datetime(2025, 3, 9, 16, 45)
    amended = add_addendum(
        signed, "The GAD-7 total was 11, not 12.", "Scoring error found on review", SIGNER, written
    )
    assert amended.text == signed.text
    assert amended.signature == signed.signature
    (addendum,) = amended.addenda
    assert addendum.written_at == written
    assert (addendum.author, addendum.credentials) == ("Dana Reyes", "LCSW")
    assert addendum.reason == "Scoring error found on review"
    assert signature_problems(amended) == []

    rendered = render_note_with_addenda(amended)
    assert rendered.startswith(signed.text)
    assert "## Addendum — written 2025-03-09 at 16:45 by Dana Reyes, LCSW" in rendered
    assert "Reason: Scoring error found on review" in rendered
    assert "The GAD-7 total was 11, not 12." in rendered


def test_addenda_accumulate_oldest_first(signed):
    first = add_addendum(signed, "First.", "Reason one", SIGNER, datetime(2025, 3, 5, 9, 0))
    second = add_addendum(first, "Second.", "Reason two", SIGNER, datetime(2025, 3, 6, 9, 0))
    rendered = render_note_with_addenda(second)
    assert [a.text for a in second.addenda] == ["First.", "Second."]
    assert rendered.index("First.") < rendered.index("Second.")
    assert rendered.count("## Addendum") == 2


def test_an_altered_addendum_no_longer_matches_its_hash(signed):
    amended = add_addendum(signed, "Correct text.", "Why", SIGNER, SOON_AFTER)
    altered = replace(amended, addenda=(replace(amended.addenda[0], text="Other text."),))
    assert signature_problems(altered) == ["addendum 1 does not match its signature hash"]


@pytest.mark.parametrize(
    ("text", "reason", "settings", "message"),
    [
        ("", "Why", SIGNER, "empty"),
        ("Text.", "  ", SIGNER, "reason"),
        ("Text.", "Why", Settings(clinician_name="Dana Reyes"), "credentials"),
    ],
)
def test_addendum_needs_text_reason_and_a_signer(signed, text, reason, settings, message):
    with pytest.raises(AddendumRefused, match=message):
        add_addendum(signed, text, reason, settings, SOON_AFTER)


def test_a_draft_takes_edits_not_addenda(draft):
    with pytest.raises(AddendumRefused, match="draft"):
        add_addendum(draft, "Text.", "Why", SIGNER, SOON_AFTER)


SESSION_END = datetime(2025, 3, 4, 10, 53)


@pytest.mark.parametrize("hours", [0.5, 47, 48])
def test_signed_within_48_hours_is_not_a_late_entry(draft, hours):
    signed = sign_note(draft, SIGNER, [], SESSION_END + timedelta(hours=hours))
    assert signed.late_entry is False
    assert "Late entry" not in signed.text


def test_signed_after_48_hours_is_a_late_entry_with_both_dates_never_backdated(draft):
    signed_at = SESSION_END + timedelta(hours=49)
    signed = sign_note(draft, SIGNER, [], signed_at)
    assert signed.late_entry is True
    assert signed.text.startswith("Late entry: signed 2025-03-06 for session of 2025-03-04.")
    assert signed.signature.signed_at == signed_at
    assert "on 2025-03-06 at 11:53" in signed.text
    assert signature_problems(signed) == []


# --- signing before the session has ended -----------------------------------------------------------


def test_a_note_cannot_be_signed_before_its_session_has_ended(draft):
    # The session runs 10:00-10:53 on 2025-03-04; 00:41 that morning is hours before it.
    with pytest.raises(SigningRefused) as refusal:
        sign_note(draft, SIGNER, [], datetime(2025, 3, 4, 0, 41))
    [blocker] = refusal.value.findings
    assert blocker.rule_id == "SIGN-BEFORE-SESSION-END"
    assert blocker.severity is Severity.ERROR
    assert blocker.field == "session.end"
    assert "2025-03-04 at 10:53" in blocker.message
    assert "sign once it has ended" in blocker.message


def test_a_note_can_be_signed_the_minute_its_session_ends(draft):
    signed = sign_note(draft, SIGNER, [], datetime(2025, 3, 4, 10, 53))
    assert signed.status is NoteStatus.SIGNED
