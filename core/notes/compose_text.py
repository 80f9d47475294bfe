"""Small text helpers the composer builds sentences with: the clinician's words kept,
only trimmed, joined and punctuated."""

from __future__ import annotations

from datetime import date

NOT_RECORDED = "none recorded"


def sentence(text: str) -> str:
    """The clinician's text, trimmed, capitalised, ending in punctuation; "" when empty."""
    text = " ".join(text.split())
    if text and text[-1] not in ".!?":
        text += "."
    return text[:1].upper() + text[1:]


def clause(text: str) -> str:
    """The clinician's text to sit inside a sentence: trimmed, no final full stop."""
    return " ".join(text.split()).rstrip(".")


def capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def lower_first(text: str) -> str:
    """ "Homework refusal" -> "homework refusal", but "GAD-7" and "PHQ-9" stay."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def join_words(words: list[str], conjunction: str = "and") -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {conjunction} " + words[-1]


def labeled(label: str, text: str) -> str:
    return f"{label}: {sentence(text)}" if text.strip() else ""


def paragraph(*sentences: str) -> str:
    """Sentences run together into one paragraph, empty ones left out."""
    return " ".join(part for part in sentences if part)


def paragraphs(*blocks: str) -> str:
    return "\n\n".join(block for block in blocks if block)


def time_since(earlier: date, later: date) -> str:
    """ "5 days ago", "3 weeks ago", "4 months ago": whole units, rounded down."""
    days = (later - earlier).days
    if days < 14:
        return "1 day ago" if days == 1 else f"{days} days ago"
    if days < 63:
        return f"{days // 7} weeks ago"
    return f"{days * 12 // 365} months ago"
