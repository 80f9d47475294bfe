"""Keep the client's identity out of the model's prompt and out of its draft.

The name, its parts, the client code and the date of birth are replaced: a
name becomes "the client", a code or birth date "[identifier removed]". The
header, which clinote writes itself, is where the identity belongs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.notes.model import Client

CLIENT_WORDS = "the client"
REMOVED = "[identifier removed]"


@dataclass(frozen=True)
class Scrubbed:
    text: str
    found: tuple[str, ...]  # which kinds were replaced: "name", "code", "date of birth"


def _dob_pattern(client: Client) -> str | None:
    if client.dob is None:
        return None
    dob = client.dob
    forms = [
        dob.isoformat(),
        rf"0?{dob.month}/0?{dob.day}/(?:{dob.year}|{dob.year % 100:02d})",
        rf"0?{dob.day}\.0?{dob.month}\.{dob.year}",
        rf"{dob.strftime('%B')}\s+{dob.day},?\s+{dob.year}",
        rf"{dob.day}\s+{dob.strftime('%B')},?\s+{dob.year}",
    ]
    return "|".join(f"(?:{form})" for form in forms)


def _identifier_patterns(client: Client) -> list[tuple[str, re.Pattern[str], str]]:
    """(kind, pattern, replacement), longest names first so "Jordan Avery" goes whole."""
    patterns: list[tuple[str, re.Pattern[str], str]] = []
    name = " ".join(client.name.split())
    if name:
        full = r"\s+".join(re.escape(part) for part in name.split())
        patterns.append(("name", re.compile(rf"(?<!\w){full}(?!\w)", re.IGNORECASE), CLIENT_WORDS))
        # Single name parts only as capitalised words: "Will" or "Hope" as a
        # name must not swallow "will" or "hope" in ordinary prose.
        parts = set(name.split()) | set(re.split(r"[\s\-‐]+", name))  # "Anne-Marie" alone too
        for part in sorted(parts, key=len, reverse=True):
            if len(part.strip(".")) >= 2:
                patterns.append(
                    ("name", re.compile(rf"(?<!\w){re.escape(part)}(?!\w)"), CLIENT_WORDS)
                )
    if client.code.strip():
        code = re.escape(client.code.strip())
        patterns.append(("code", re.compile(rf"(?<!\w){code}(?!\w)", re.IGNORECASE), REMOVED))
    dob = _dob_pattern(client)
    if dob:
        patterns.append(
            (
                "date of birth",
                re.compile(rf"(?<![\w/.-])(?:{dob})(?![\w/-])", re.IGNORECASE),
                REMOVED,
            )
        )
    return patterns


def scrub_identifiers(text: str, client: Client) -> Scrubbed:
    """The text with the client's name, code and date of birth replaced."""
    found: list[str] = []
    for kind, pattern, replacement in _identifier_patterns(client):

        def replace(match: re.Match[str], replacement: str = replacement) -> str:
            before = match.string[: match.start()].rstrip(" \t\"'“(")
            starts_sentence = not before or before[-1] in ".!?\n:"
            return replacement[0].upper() + replacement[1:] if starts_sentence else replacement

        text, count = pattern.subn(replace, text)
        if count and kind not in found:
            found.append(kind)
    # "the client's client" cannot arise, but "The client the client" can when
    # the prose already said "the client Jordan"; collapse the doubling.
    text = re.sub(r"\b(the client)\s+the client\b", r"\1", text, flags=re.IGNORECASE)
    return Scrubbed(text, tuple(found))
