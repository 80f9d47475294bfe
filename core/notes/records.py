"""Signing, addenda and late entries: the rules that keep a signed note unchanged.

A signed note's text is frozen together with a signature line and its SHA-256;
corrections go into addenda, each labeled, dated when written and signed the
same way, so the original stays intact and readable (domain.md, Medicare PIM ch. 3).

The SHA-256 shows the text is unchanged, but anyone can compute one; the seal
(an HMAC-SHA256 under a key derived from the vault's data key) shows this vault
made the signature. An imported signature whose seal does not verify is kept
with no seal and shown as "imported, signature not verified".
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import replace
from datetime import date, datetime, timedelta

from core.checks.findings import Finding, Severity
from core.notes.model import Addendum, NoteStatus, SessionInfo, SessionNote, Settings, Signature

LATE_ENTRY_AFTER = timedelta(hours=48)

RULE_NO_CLINICIAN = "SIGN-NO-CLINICIAN"
RULE_EMPTY_TEXT = "SIGN-EMPTY-TEXT"
RULE_FORM_INPUT = "FORM-INPUT"
RULE_BEFORE_SESSION_END = "SIGN-BEFORE-SESSION-END"


class SignedNoteError(Exception):
    """A signed note was about to be changed or deleted."""

    def __init__(self, message: str = "") -> None:
        super().__init__(
            message or "this note is signed and cannot be changed; add an addendum instead"
        )


class SigningRefused(Exception):
    """Signing was refused; `findings` lists every blocking problem."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = list(findings)
        rule_ids = ", ".join(finding.rule_id for finding in self.findings)
        super().__init__(
            f"cannot sign yet: fix {len(self.findings)} blocking problem(s) first ({rule_ids})"
        )


class AddendumRefused(Exception):
    """An addendum could not be written; the message says what to do."""


def local_now() -> datetime:
    return datetime.now().astimezone()


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _stamp(moment: datetime) -> str:
    """`2026-03-05 at 14:02 (UTC+01:00)`: the date and time a reader sees."""
    stamp = f"{moment:%Y-%m-%d} at {moment:%H:%M}"
    offset = moment.utcoffset()
    if offset is None:
        return stamp
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{stamp} (UTC{sign}{minutes // 60:02d}:{minutes % 60:02d})"


def signature_line(name: str, credentials: str, signed_at: datetime) -> str:
    return f"Electronically signed by {name}, {credentials} on {_stamp(signed_at)}"


def _as_local_naive(moment: datetime) -> datetime:
    # Session times are wall-clock times where the clinician works.
    return moment.astimezone().replace(tzinfo=None) if moment.tzinfo else moment


def session_end(session: SessionInfo) -> datetime:
    return datetime.combine(session.date, session.end)


def is_late_entry(session: SessionInfo, signed_at: datetime) -> bool:
    """True when signed more than 48 hours after the session ended."""
    return _as_local_naive(signed_at) - session_end(session) > LATE_ENTRY_AFTER


def late_entry_label(session_date: date, signed_on: date) -> str:
    return f"Late entry: signed {signed_on.isoformat()} for session of {session_date.isoformat()}."


def ensure_editable(note: SessionNote) -> None:
    """Raise SignedNoteError when the note is signed."""
    if note.status is NoteStatus.SIGNED or note.signature is not None:
        raise SignedNoteError()


def signing_blockers(
    note: SessionNote,
    settings: Settings,
    findings: list[Finding],
    now: datetime | None = None,
) -> list[Finding]:
    """Every reason the note cannot be signed now: no signer, no text, unread entries, errors."""
    blockers: list[Finding] = []
    session = note.details.session
    # A signature attests to a service already given; signing ahead would date it before the fact.
    if session_end(session) > _as_local_naive(now or local_now()):
        blockers.append(
            Finding(
                RULE_BEFORE_SESSION_END,
                Severity.ERROR,
                "Signature",
                f"The session ends {session.date.isoformat()} at {session.end:%H:%M}, "
                "after now; sign once it has ended, or correct the date and end time.",
                field="session.end",
            )
        )
    if settings.clinician is None:
        blockers.append(
            Finding(
                RULE_NO_CLINICIAN,
                Severity.ERROR,
                "Signature",
                "A signature needs the clinician's name and credentials; "
                "enter both in Settings, then sign again.",
            )
        )
    if not note.text.strip():
        blockers.append(
            Finding(
                RULE_EMPTY_TEXT,
                Severity.ERROR,
                "",
                "The note has no text; compose or write the note before signing.",
            )
        )
    blockers.extend(
        Finding(
            RULE_FORM_INPUT,
            Severity.ERROR,
            "",
            f"The entry for {field_path} could not be read; correct it in the form, then sign.",
            field=field_path,
        )
        for field_path, _typed in note.form_input
    )
    blockers.extend(finding for finding in findings if finding.severity is Severity.ERROR)
    return blockers


def sign_note(
    note: SessionNote,
    settings: Settings,
    findings: list[Finding],
    now: datetime | None = None,
) -> SessionNote:
    """The note signed: text frozen with a signature line, time and SHA-256 stored."""
    ensure_editable(note)
    signed_at = now or local_now()
    blockers = signing_blockers(note, settings, findings, signed_at)
    if blockers:
        raise SigningRefused(blockers)
    clinician = settings.clinician
    assert clinician is not None  # signing_blockers refused otherwise
    late = is_late_entry(note.details.session, signed_at)
    body = note.text.strip()
    if late:
        label = late_entry_label(note.details.session.date, _as_local_naive(signed_at).date())
        body = f"{label}\n\n{body}"
    signed_text = f"{body}\n\n{signature_line(clinician.name, clinician.credentials, signed_at)}\n"
    signature = Signature(
        clinician_name=clinician.name,
        credentials=clinician.credentials,
        signed_at=signed_at,
        text_sha256=text_sha256(signed_text),
    )
    return replace(
        note,
        text=signed_text,
        status=NoteStatus.SIGNED,
        signature=signature,
        late_entry=late,
        # The signed note is what was signed: a version kept beside the draft goes.
        kept_text="",
        kept_text_source="",
        updated_at=signed_at,
    )


def _addendum_text(
    text: str, reason: str, author: str, credentials: str, written_at: datetime
) -> str:
    return (
        f"## Addendum — written {_stamp(written_at)} by {author}, {credentials}\n\n"
        f"Reason: {reason}\n\n"
        f"{text}\n\n"
        f"{signature_line(author, credentials, written_at)}\n"
    )


def render_addendum(addendum: Addendum) -> str:
    """The addendum as signed: label, date, author, reason, text, signature line."""
    return _addendum_text(
        addendum.text, addendum.reason, addendum.author, addendum.credentials, addendum.written_at
    )


def add_addendum(
    note: SessionNote,
    text: str,
    reason: str,
    settings: Settings,
    now: datetime | None = None,
) -> SessionNote:
    """The signed note with one more signed addendum; the original text is untouched."""
    if note.status is not NoteStatus.SIGNED:
        raise AddendumRefused(
            "this note is a draft; edit it directly (addenda are for signed notes)"
        )
    if not text.strip():
        raise AddendumRefused("the addendum is empty; write what is added or corrected")
    if not reason.strip():
        raise AddendumRefused("an addendum needs a reason; say why it is added")
    clinician = settings.clinician
    if clinician is None:
        raise AddendumRefused(
            "enter the clinician's name and credentials in Settings before writing an addendum"
        )
    written_at = now or local_now()
    body, why = text.strip(), reason.strip()
    signed_text = _addendum_text(body, why, clinician.name, clinician.credentials, written_at)
    addendum = Addendum(
        text=body,
        reason=why,
        author=clinician.name,
        credentials=clinician.credentials,
        written_at=written_at,
        signature=Signature(
            clinician_name=clinician.name,
            credentials=clinician.credentials,
            signed_at=written_at,
            text_sha256=text_sha256(signed_text),
        ),
    )
    return replace(note, addenda=(*note.addenda, addendum), updated_at=written_at)


def render_note_with_addenda(note: SessionNote) -> str:
    """The note text followed by each addendum, oldest first, as a reader sees them."""
    parts = [note.text.rstrip() + "\n"]
    parts.extend(f"\n---\n\n{render_addendum(addendum)}" for addendum in note.addenda)
    return "".join(parts)


def signature_problems(note: SessionNote) -> list[str]:
    """Where stored text no longer matches its signature hash (empty when intact)."""
    problems: list[str] = []
    if note.status is NoteStatus.SIGNED:
        if note.signature is None:
            problems.append("the note is marked signed but has no signature")
        elif text_sha256(note.text) != note.signature.text_sha256:
            problems.append("the note text does not match its signature hash")
    elif note.signature is not None:
        problems.append("the note is a draft but carries a signature")
    for index, addendum in enumerate(note.addenda):
        if text_sha256(render_addendum(addendum)) != addendum.signature.text_sha256:
            problems.append(f"addendum {index + 1} does not match its signature hash")
    return problems


# --- seals: which vault made a signature -----------------------------------------------

UNVERIFIED_LABEL = "imported, signature not verified"


def signature_seal(key: bytes, record_id: str, signature: Signature) -> str:
    """HMAC-SHA256 over who signed which record's text when, under the vault's seal key."""
    message = json.dumps(
        [
            "clinote-seal-v1",
            record_id,
            signature.clinician_name,
            signature.credentials,
            signature.signed_at.isoformat(),
            signature.text_sha256,
        ],
        ensure_ascii=True,  # a lone surrogate in a name cannot stop the seal being computed
    )
    return hmac.new(key, message.encode("ascii"), hashlib.sha256).hexdigest()


def seal_holds(key: bytes, record_id: str, signature: Signature) -> bool:
    if signature.seal is None:
        return False
    return hmac.compare_digest(signature_seal(key, record_id, signature), signature.seal)


def sealed(key: bytes, record_id: str, signature: Signature) -> Signature:
    """The signature with its seal under `key` (a new signature, or one this vault holds)."""
    if seal_holds(key, record_id, signature):
        return signature
    return replace(signature, seal=signature_seal(key, record_id, signature))


def verified_signatures(note: SessionNote, key: bytes) -> SessionNote:
    """An imported note with each seal kept only if it verifies under this vault's key."""

    def checked(record_id: str, signature: Signature) -> Signature:
        if seal_holds(key, record_id, signature):
            return signature
        return replace(signature, seal=None)

    signature = note.signature and checked(note.id, note.signature)
    addenda = tuple(
        replace(addendum, signature=checked(addendum.id, addendum.signature))
        for addendum in note.addenda
    )
    return replace(note, signature=signature, addenda=addenda)


def unverified_signature_count(note: SessionNote) -> int:
    """How many of the note's signatures (note and addenda) this vault could not verify."""
    signatures = [note.signature, *(addendum.signature for addendum in note.addenda)]
    return sum(1 for signature in signatures if signature is not None and signature.seal is None)
