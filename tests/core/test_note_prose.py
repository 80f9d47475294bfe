"""The composed note reads as clinical prose a clinician signs unchanged.

- No body line starts with a field label; only the risk block, `Homework:` and
  `Next session:` lines may be labelled.
- Every sentence quotes the clinician's input or is a computed fact: a word that
  is neither in the input nor in the composer's small fixed vocabulary of
  connectives and computed-fact words fails the test (that is how "A GAD-7 of
  10 or more warrants further evaluation" would be caught).
- The composer's own words stay within the length budget (~80 beyond the input).
"""

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.notes.composer import compose_sections
from core.notes.model import NoteFormat
from core.notes.session_file import parse_session

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))
LEGACY = sorted((Path(__file__).resolve().parent / "data").glob("*.json"))

ALLOWED_LABELS = {
    "Risk",
    "Risk level",
    "Safety plan",
    "Means safety",
    "Actions",
    "Homework",
    "Next session",
}
# A line opening with one to three words and a colon reads as a form field.
FIELD_LABEL = re.compile(r"^(?:[-*]\s+)?([A-Z][A-Za-z]*(?:[ /-][A-Za-z]+){0,2})\s*:")

# Every word the composer may write on its own: connectives, fixed risk and
# attendance wording, and the words of computed facts (bands, changes).
COMPOSER_WORDS = set(
    """
    client clinician used and per report has had no reports taking takes prescribed by
    homework from last session was were reviewed completed partly not this goal goals
    objective objectives met progressing maintaining regressing addressed functional
    impairment in work school social functioning family self-care sleep health risk level
    low moderate high imminent denies reported suicidal ideation homicidal recent self-harm
    passive active with without a plan assessed safety means actions none recorded next
    down up unchanged on item thoughts of death or scored minimal mild severe moderately
    response drop more remission under clinically meaningful change points below above
    within the probable-ptsd cut-off range did attend scheduled for cancel cancelled late
    notice no-show cancellation psychotherapy service provided held present phq-9 gad-7
    pcl-5
    """.split()
)
TOKEN = re.compile(r"[a-z][a-z\-]*|\d[\d\-/:.%]*")


def tokens(text: str) -> list[str]:
    return [token.strip("-") for token in TOKEN.findall(text.lower().replace("'s", ""))]


def input_words(data: object) -> set[str]:
    """Every word of every value in the session file (not its field names)."""
    if isinstance(data, dict):
        return set().union(*(input_words(value) for value in data.values()), set())
    if isinstance(data, list):
        return set().union(*(input_words(value) for value in data), set())
    return set(tokens(str(data).replace("_", " ")))


def body_lines(sections: dict[str, str]) -> list[str]:
    return [line for body in sections.values() for line in body.splitlines() if line.strip()]


CASES = [(path, note_format) for path in [*EXAMPLES, *LEGACY] for note_format in NoteFormat]


@pytest.mark.parametrize(
    ("path", "note_format"), CASES, ids=[f"{p.stem}-{f.value}" for p, f in CASES]
)
def test_no_body_line_starts_with_a_field_label(path, note_format):
    details = parse_session(json.loads(path.read_text(encoding="utf-8")))
    for line in body_lines(compose_sections(details, note_format)):
        label = FIELD_LABEL.match(line)
        assert label is None or label.group(1) in ALLOWED_LABELS, line


@pytest.mark.parametrize(
    ("path", "note_format"), CASES, ids=[f"{p.stem}-{f.value}" for p, f in CASES]
)
def test_every_word_quotes_the_input_or_is_a_computed_fact(path, note_format):
    data = json.loads(path.read_text(encoding="utf-8"))
    details = parse_session(data)
    allowed = input_words(data) | COMPOSER_WORDS
    for line in body_lines(compose_sections(details, note_format)):
        invented = [word for word in tokens(line) if word not in allowed and not word[:1].isdigit()]
        assert invented == [], line


def test_the_vocabulary_test_catches_an_invented_sentence():
    # Guards the test above against a vocabulary that lets anything through.
    data = json.loads((ROOT / "examples/individual-cbt.json").read_text(encoding="utf-8"))
    allowed = input_words(data) | COMPOSER_WORDS
    invented = "A GAD-7 of 10 or more warrants further evaluation."
    assert {"warrants", "further", "evaluation"} <= set(tokens(invented)) - allowed
    assert FIELD_LABEL.match("Presenting concerns: worry").group(1) not in ALLOWED_LABELS


# --- the length budget ---------------------------------------------------------------

BUDGET = 80  # the composer's own words beyond the clinician's text, for a typical session
WORDS = st.lists(
    st.sampled_from("worry sleep mood work partner walk chart log breathing week".split()),
    min_size=1,
    max_size=12,
).map(" ".join)
OPTIONAL_TEXT = st.one_of(st.just(""), WORDS)
TEXT_FIELDS = (
    "presenting_concerns",
    "observations",
    "response",
    "plan",
)


@st.composite
def typical_sessions(draw: st.DrawFn) -> dict:
    """A typical session: up to 4 interventions, 2 goals, 2 measures, any risk answers
    (elevated risk with what the form asks for it), with or without the client present."""
    service = draw(st.sampled_from(["individual", "couples", "family_without_client"]))
    setting = draw(st.sampled_from(["in_person", "telehealth_video", "telehealth_audio"]))
    data: dict = {
        "client": {"name": "Riley Fictional", "code": "RF-0001"},
        "session": {
            "date": "2026-11-23",
            "start": "09:00",
            "end": "09:50",
            "service": service,
            "setting": setting,
            "attendance": "attended",
        },
        "format": draw(st.sampled_from([f.value for f in NoteFormat])),
    }
    for key in TEXT_FIELDS:
        data[key] = draw(OPTIONAL_TEXT)
    data["interventions"] = [
        {"technique": draw(WORDS), "modality": draw(OPTIONAL_TEXT), "detail": draw(OPTIONAL_TEXT)}
        for _ in range(draw(st.integers(0, 4)))
    ]
    data["goals"] = [
        {
            "description": f"goal {index} " + draw(WORDS),
            "progress": draw(
                st.sampled_from(["progressing", "met", "regressing", "not_addressed"])
            ),
            "evidence": draw(OPTIONAL_TEXT),
            "objectives": draw(st.lists(WORDS, max_size=2)),
        }
        for index in range(draw(st.integers(0, 2)))
    ]
    data["homework"] = {
        "reviewed": draw(OPTIONAL_TEXT),
        "assigned": draw(OPTIONAL_TEXT),
        "reviewed_status": draw(
            st.sampled_from(["completed", "partial", "not_completed", "not_reviewed"])
        ),
    }
    data["measures"] = [
        {
            "instrument": instrument,
            "total": draw(st.integers(0, 21)),
            "previous": {"date": "2026-11-02", "total": draw(st.integers(0, 21))},
        }
        for instrument in draw(st.sampled_from([[], ["GAD-7"], ["PHQ-9"], ["PHQ-9", "GAD-7"]]))
    ]
    risk = {
        "suicidal_ideation": draw(
            st.sampled_from(["denied", "passive", "active_no_plan", "not_assessed"])
        ),
        "homicidal_ideation": draw(st.sampled_from(["denied", "present", "not_assessed"])),
        "self_harm": draw(st.sampled_from(["denied", "recent", "not_assessed"])),
        "details": draw(OPTIONAL_TEXT),
    }
    if any(value in ("passive", "active_no_plan", "present", "recent") for value in risk.values()):
        # Elevated risk as the form asks it (and signing's checks require it): the
        # clinician's level, safety plan, means safety and actions are entered.
        risk |= {
            "level": draw(st.sampled_from(["moderate", "high", "imminent"])),
            "rationale": draw(OPTIONAL_TEXT),
            "safety_plan": draw(WORDS),
            "means_safety": draw(WORDS),
            "actions": draw(WORDS),
        }
    else:
        risk["level"] = draw(st.sampled_from(["low", None]))
    data["risk"] = {key: value for key, value in risk.items() if value is not None}
    data["assessment"] = {
        "impression": draw(OPTIONAL_TEXT),
        "impairments": [
            {
                "domain": draw(st.sampled_from(["work", "sleep", "family"])),
                "description": draw(WORDS),
            }
            for _ in range(draw(st.integers(0, 2)))
        ],
        "medical_necessity": draw(OPTIONAL_TEXT),
    }
    data["participants"] = (
        [{"role": "parent", "label": "mother"}] if service != "individual" else []
    )
    return data


def clinician_words(data: dict) -> int:
    """Words the clinician typed that the note body may carry."""
    texts = [data[key] for key in TEXT_FIELDS]
    texts += [value for entry in data["interventions"] for value in entry.values()]
    for goal in data["goals"]:
        texts += [goal["description"], goal["evidence"], *goal["objectives"]]
    texts += [data["homework"]["reviewed"], data["homework"]["assigned"]]
    risk_texts = ("details", "rationale", "safety_plan", "means_safety", "actions")
    texts += [data["risk"].get(key, "") for key in risk_texts]
    assessment = data["assessment"]
    texts += [assessment["impression"], assessment["medical_necessity"]]
    texts += [entry["description"] for entry in assessment["impairments"]]
    texts += [person["label"] for person in data["participants"]]
    return sum(len(text.split()) for text in texts)


@settings(
    max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(typical_sessions())
def test_the_composers_own_words_stay_within_the_length_budget(data):
    details = parse_session(data)
    body = "\n".join(compose_sections(details).values())
    own_words = len(body.split()) - clinician_words(data)
    assert own_words <= BUDGET, body
