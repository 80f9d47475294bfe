"""The words the checks look for: named interventions, weak phrases, process-note markers.

The intervention lexicon is also what the TUI offers as pick lists, so its
keys and techniques are written the way a clinician would read them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Modality -> named techniques (domain.md, "Named interventions by modality").
INTERVENTIONS: dict[str, tuple[str, ...]] = {
    "CBT": (
        "cognitive restructuring",
        "thought record",
        "identifying cognitive distortions",
        "Socratic questioning",
        "behavioral activation",
        "activity scheduling",
        "behavioral experiment",
        "graded exposure",
        "problem-solving training",
        "diaphragmatic breathing",
        "progressive muscle relaxation",
    ),
    "DBT": (
        "diary card review",
        "chain analysis",
        "wise mind",
        "TIPP",
        "STOP",
        "ACCEPTS",
        "radical acceptance",
        "opposite action",
        "check the facts",
        "PLEASE",
        "DEAR MAN",
        "GIVE",
        "FAST",
        "validation",
    ),
    "ACT": (
        "cognitive defusion",
        "acceptance/willingness",
        "present-moment awareness",
        "self-as-context",
        "values clarification",
        "committed action",
    ),
    "EMDR": (
        "resource development and installation",
        "calm place",
        "target assessment",
        "SUD and VOC ratings",
        "bilateral stimulation sets",
        "body scan",
        "closure",
    ),
    "MI": (
        "OARS",
        "eliciting change talk",
        "decisional balance",
        "importance and confidence rulers",
        "developing discrepancy",
        "rolling with sustain talk",
    ),
    "Psychodynamic": (
        "clarification",
        "interpretation",
        "identifying defenses",
        "linking past and present relational patterns",
    ),
    "Family/couples": (
        "genogram",
        "structural mapping",
        "circular questioning",
        "enactment",
        "reframing",
        "boundary setting",
        "Gottman repair attempts",
    ),
    "Trauma-focused": (
        "TF-CBT components",
        "trauma narrative",
        "CPT stuck points",
        "prolonged exposure",
        "imaginal exposure",
        "in vivo exposure",
        "grounding (5-4-3-2-1)",
    ),
    "Suicide prevention": (
        "safety planning (Stanley-Brown)",
        "means safety counseling",
        "reasons for living",
        "crisis line and follow-up contacts",
    ),
    # Used across modalities; a starting list for completion, never a closed one.
    "Common": (
        "psychoeducation",
        "worry postponement",
        "stimulus control",
        "sleep hygiene",
        "mindfulness practice",
        "relaxation training",
        "role play",
        "skills rehearsal",
    ),
    "Person-centered": (
        "reflective listening",
        "validation",
        "summarizing",
    ),
}

# Other ways clinicians write the same technique; each maps to a lexicon entry.
# Ambiguous abbreviations are left out on purpose ("SUD" is also substance use
# disorder, "PE" also physical education).
TECHNIQUE_ALIASES: dict[str, tuple[str, ...]] = {
    "thought record": ("thought records", "thought log", "dysfunctional thought record"),
    "identifying cognitive distortions": ("cognitive distortions", "cognitive distortion"),
    "Socratic questioning": ("Socratic dialogue",),
    "behavioral activation": ("behavioural activation",),
    "behavioral experiment": ("behavioral experiments", "behavioural experiment"),
    "graded exposure": ("exposure hierarchy", "exposure and response prevention"),
    "problem-solving training": ("problem solving", "problem-solving"),
    "progressive muscle relaxation": ("PMR",),
    "diary card review": ("diary card",),
    "chain analysis": ("behavior chain analysis", "behavioral chain analysis"),
    "TIPP": ("TIPP skills",),
    "DEAR MAN": ("DEARMAN",),
    "acceptance/willingness": ("acceptance", "willingness"),
    "present-moment awareness": ("present moment awareness", "mindfulness"),
    "values clarification": ("clarifying values",),
    "resource development and installation": ("RDI",),
    "SUD and VOC ratings": ("SUDS", "SUD rating", "SUDs rating", "VOC", "VOC rating"),
    "bilateral stimulation sets": ("bilateral stimulation",),
    "eliciting change talk": ("change talk",),
    "importance and confidence rulers": (
        "importance ruler",
        "confidence ruler",
        "readiness ruler",
    ),
    "developing discrepancy": ("develop discrepancy",),
    "rolling with sustain talk": ("rolling with resistance",),
    "identifying defenses": ("defense mechanisms",),
    "linking past and present relational patterns": ("relational patterns",),
    "reframing": ("reframe", "reframed"),
    "Gottman repair attempts": ("repair attempts",),
    "TF-CBT components": ("TF-CBT",),
    "CPT stuck points": ("stuck points", "stuck point"),
    "grounding (5-4-3-2-1)": ("grounding", "5-4-3-2-1"),
    "safety planning (Stanley-Brown)": ("safety planning", "Stanley-Brown", "safety plan"),
    "reflective listening": ("reflective statements",),
    "means safety counseling": ("lethal means counseling", "means restriction counseling"),
    "worry postponement": ("worry time", "worry period", "scheduled worry time"),
    "role play": ("role-play", "role playing", "role-playing"),
    "relaxation training": ("relaxation",),
}

# Payers read these as weak on their own: the note must also say their purpose.
NEEDS_PURPOSE: frozenset[str] = frozenset(INTERVENTIONS["Person-centered"])

# Phrases a reviewer reads as vague unless the sentence goes on to say what
# exactly happened (domain.md, "Weak phrases").
WEAK_PHRASES: tuple[str, ...] = (
    "discussed feelings",
    "talked about",
    "checked in",
    "processed emotions",
    "explored issues",
    "worked on coping skills",
    "provided supportive therapy",
    "built rapport",
    "listened empathetically",
    "session went well",
    "client is doing well",
    "client seemed",
    "client stable",
    "continue current plan",
    "continue current treatment",
)

# Plans that say nothing but "keep going": weak as a whole plan.
CONTINUE_PHRASES: frozenset[str] = frozenset(
    {"continue current plan", "continue current treatment"}
)

_POSSESSIVE = r"(?:(?:his|her|their|the\s+client'?s|client'?s)\s+)?"
_CLIENT = r"(?:the\s+)?client"
_WEAK_PATTERNS: dict[str, str] = {
    "discussed feelings": rf"discuss(?:ed|ing)\s+{_POSSESSIVE}feelings",
    "talked about": r"talk(?:ed|ing)\s+about",
    "checked in": r"check(?:ed|ing)[\s-]+in",
    "processed emotions": rf"process(?:ed|ing)\s+{_POSSESSIVE}emotions",
    "explored issues": rf"explor(?:ed|ing)\s+{_POSSESSIVE}issues",
    "worked on coping skills": r"work(?:ed|ing)\s+on\s+coping\s+skills",
    "provided supportive therapy": r"provid(?:ed|ing)\s+supportive\s+(?:therapy|counseling)",
    "built rapport": r"(?:built|building)\s+rapport",
    "listened empathetically": r"listen(?:ed|ing)\s+empathetically",
    "session went well": r"session\s+went\s+well",
    "client is doing well": rf"{_CLIENT}\s+(?:is\s+)?doing\s+well",
    "client seemed": rf"{_CLIENT}\s+seem(?:ed|s)",
    "client stable": rf"{_CLIENT}\s+(?:is\s+|remains\s+)?stable",
    "continue current plan": r"continue\s+(?:with\s+)?(?:the\s+)?current\s+plan",
    "continue current treatment": r"continue\s+(?:with\s+)?(?:the\s+)?current\s+treatment",
}


def at_word_start(alternation: str, first_characters: set[str]) -> str:
    """The alternation tried only where a word starts with one of the characters.

    Python's regex engine tries every branch at every position; this guard
    lets it skip most positions, several times faster on a full note (the
    checks run on every keystroke).
    """
    characters = "".join(sorted({re.escape(char.lower()) for char in first_characters}))
    return rf"\b(?=[{characters}])(?:{alternation})"


_WEAK_REGEX = re.compile(
    at_word_start(
        "|".join(
            f"(?P<weak{index}>{pattern}\\b)"
            for index, pattern in enumerate(_WEAK_PATTERNS.values())
        ),
        {phrase[0] for phrase in WEAK_PHRASES} | {"t"},  # "the client seemed"
    ),
    re.IGNORECASE,
)
_WEAK_BY_GROUP = {f"weak{index}": phrase for index, phrase in enumerate(_WEAK_PATTERNS)}

# Process-note content (45 CFR 164.501): it belongs in private psychotherapy notes.
THERAPIST_FEELINGS = "the therapist's own feelings"
TRANSFERENCE = "transference or countertransference"
DYNAMICS_SPECULATION = "speculation about the client's dynamics"

_FEELING_WORDS = (
    r"(?:frustrated|annoyed|angry|irritated|sad|anxious|bored|overwhelmed|moved|"
    r"touched|uncomfortable|drawn|helpless|protective|hopeless|disappointed|impatient)"
)
_SELF = r"(?:this\s+(?:writer|therapist|clinician|counselor)|the\s+(?:writer|therapist|clinician|counselor))"
PROCESS_NOTE_MARKERS: dict[str, tuple[str, ...]] = {
    THERAPIST_FEELINGS: (
        r"\bI\s+(?:felt|feel|was\s+feeling|am\s+feeling)\b",
        rf"\bI\s+(?:was|am|got)\s+(?:very\s+|quite\s+|a\s+bit\s+)?{_FEELING_WORDS}",
        rf"\b{_SELF}\s+(?:felt|feels|was\s+feeling|noticed\s+(?:her|his|their)\s+own)\b",
        rf"\b{_SELF}\s+(?:was|is)\s+(?:very\s+|quite\s+)?{_FEELING_WORDS}",
        r"\bmade\s+me\s+feel\b",
        r"\bI\s+found\s+myself\b",
        r"\bmy\s+own\s+(?:feelings|reactions?|frustration|anxiety|sadness)\b",
    ),
    TRANSFERENCE: (
        r"\b(?:counter-?)?transferen(?:ce|tial)\b",
        r"\bprojective\s+identification\b",
        r"\bprojecting\s+onto\s+(?:me|this\s+writer|the\s+therapist)\b",
    ),
    DYNAMICS_SPECULATION: (
        r"\bI\s+(?:wonder|suspect|speculate|hypothesi[sz]e)\s+(?:if|whether|that)\b",
        r"\bunconscious(?:ly)?\b",
        r"\brepressed\b",
        r"\boedipal\b",
        r"\bperhaps\s+(?:she|he|they|the\s+client)\s+(?:is|was|wants|wanted|fears|feared|harbou?rs)\b",
        r"\bre-?enact(?:s|ed|ing|ment)?\b",
    ),
}
_PROCESS_REGEX = re.compile(
    # Every marker starts a word with one of these letters; saying so once up front is faster.
    r"\b(?=[cimoprtuCIMOPRTU])(?:"
    + "|".join(
        f"(?P<marker{index}>{'|'.join(patterns)})"
        for index, patterns in enumerate(PROCESS_NOTE_MARKERS.values())
    )
    + ")",
    re.IGNORECASE,
)
_PROCESS_KIND_BY_GROUP = {f"marker{index}": kind for index, kind in enumerate(PROCESS_NOTE_MARKERS)}


@dataclass(frozen=True)
class PhraseMatch:
    """Where a lexicon phrase occurs in a text: what it is and its span."""

    phrase: str  # the lexicon entry (technique, weak phrase or marker kind)
    start: int
    end: int


def normalize_term(text: str) -> str:
    """Lower case, punctuation and hyphens as single spaces: the lookup key."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


def _match_terms(technique: str) -> tuple[str, ...]:
    # "grounding (5-4-3-2-1)" is matched as "grounding (5-4-3-2-1)" and "grounding".
    without_parenthetical = re.sub(r"\s*\(.*?\)", "", technique)
    return (technique, without_parenthetical, *TECHNIQUE_ALIASES.get(technique, ()))


def _is_acronym(term: str) -> bool:
    letters = [char for char in term if char.isalpha()]
    return bool(letters) and all(char.isupper() for char in letters)


def _term_pattern(term: str) -> str:
    words = [re.escape(word) for word in re.split(r"[^0-9A-Za-z]+", term) if word]
    return r"\b" + r"[\s\-/]+".join(words) + r"\b"


_TECHNIQUE_BY_KEY: dict[str, str] = {}
_MODALITIES_BY_TECHNIQUE: dict[str, tuple[str, ...]] = {}
for _modality, _techniques in INTERVENTIONS.items():
    for _technique in _techniques:
        _MODALITIES_BY_TECHNIQUE[_technique] = (
            *_MODALITIES_BY_TECHNIQUE.get(_technique, ()),
            _modality,
        )
        for _term in _match_terms(_technique):
            _TECHNIQUE_BY_KEY.setdefault(normalize_term(_term), _technique)

_ALL_TERMS = sorted(
    {term for technique in _MODALITIES_BY_TECHNIQUE for term in _match_terms(technique)},
    key=len,
    reverse=True,  # longest first, so "in vivo exposure" wins over a shorter overlap
)
# In running prose, acronyms count only in capitals ("STOP", not "stop"); in a
# technique field the clinician typed, any case counts.
_WORD_TERMS = [term for term in _ALL_TERMS if not _is_acronym(term)]
_ACRONYM_TERMS = [term for term in _ALL_TERMS if _is_acronym(term)]
_PROSE_WORDS = re.compile(
    at_word_start("|".join(map(_term_pattern, _WORD_TERMS)), {term[0] for term in _WORD_TERMS}),
    re.IGNORECASE,
)
_PROSE_ACRONYMS = re.compile("|".join(map(_term_pattern, _ACRONYM_TERMS)))
_ANY_CASE = re.compile(
    at_word_start("|".join(map(_term_pattern, _ALL_TERMS)), {term[0] for term in _ALL_TERMS}),
    re.IGNORECASE,
)


def named_technique(technique: str) -> str | None:
    """The lexicon technique a clinician's technique entry names, or None."""
    match = _ANY_CASE.search(technique)
    return _TECHNIQUE_BY_KEY[normalize_term(match.group())] if match else None


def canonical_technique(technique: str) -> str:
    """The lexicon's spelling when the entry is exactly a lexicon term or alias, else as typed.

    An unknown technique is kept as typed: the lexicon suggests, it never refuses.
    """
    key = normalize_term(technique)
    return _TECHNIQUE_BY_KEY.get(key, " ".join(technique.split()))


def all_techniques() -> tuple[str, ...]:
    """Every lexicon technique once, for completion as the clinician types."""
    return tuple(_MODALITIES_BY_TECHNIQUE)


def is_named_intervention(technique: str) -> bool:
    """True when the entry names a technique from the lexicon, not just a modality."""
    return named_technique(technique) is not None


def modalities_of(technique: str) -> tuple[str, ...]:
    """The modalities a lexicon technique belongs to (validation is DBT and person-centered)."""
    named = named_technique(technique)
    return _MODALITIES_BY_TECHNIQUE[named] if named else ()


def techniques_for(modality: str) -> tuple[str, ...]:
    """The pick list for one modality, matched without regard to case; () when unknown."""
    for known, techniques in INTERVENTIONS.items():
        if normalize_term(known) == normalize_term(modality):
            return techniques
    return ()


def find_named_interventions(text: str) -> list[PhraseMatch]:
    """Every lexicon technique named in running prose, in text order."""
    found = [
        PhraseMatch(_TECHNIQUE_BY_KEY[normalize_term(match.group())], match.start(), match.end())
        for regex in (_PROSE_WORDS, _PROSE_ACRONYMS)
        for match in regex.finditer(text)
    ]
    return sorted(found, key=lambda found_match: found_match.start)


def find_weak_phrases(text: str) -> list[PhraseMatch]:
    """Every weak phrase (WEAK_PHRASES entry) in the text, in text order."""
    return [
        PhraseMatch(_WEAK_BY_GROUP[match.lastgroup], match.start(), match.end())
        for match in _WEAK_REGEX.finditer(text)
        if match.lastgroup
    ]


def find_process_note_markers(text: str) -> list[PhraseMatch]:
    """Process-note content; the phrase is the kind (THERAPIST_FEELINGS, ...)."""
    return [
        PhraseMatch(_PROCESS_KIND_BY_GROUP[match.lastgroup], match.start(), match.end())
        for match in _PROCESS_REGEX.finditer(text)
        if match.lastgroup
    ]
