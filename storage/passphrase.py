"""Passphrase rules (NIST SP 800-63B rev. 4): length, NFKC, any Unicode, a common-password list."""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from importlib import resources

from storage.errors import WeakPassphrase

MIN_CHARACTERS = 15
MAX_CHARACTERS = 1024

RULES = (
    f"Use at least {MIN_CHARACTERS} characters. Any characters work, spaces and accents "
    "included; there are no rules about digits or symbols. A few unrelated words you will "
    "remember make a good passphrase. Common passwords are refused. There is no way to "
    "recover the notes without it."
)


def normalize(passphrase: str) -> str:
    """NFKC, so the same passphrase typed on another keyboard or OS gives the same key."""
    return unicodedata.normalize("NFKC", passphrase)


def passphrase_bytes(passphrase: str) -> bytes:
    return normalize(passphrase).encode("utf-8")


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    text = resources.files("storage").joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(
        _comparable(line) for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def _comparable(text: str) -> str:
    return "".join(normalize(text).casefold().split())


def check_new_passphrase(passphrase: str) -> None:
    """Return quietly when the passphrase may protect a vault; else raise WeakPassphrase."""
    text = normalize(passphrase)
    length = len(text)
    if length == 0:
        raise WeakPassphrase("the passphrase is empty; choose one of at least 15 characters")
    if length < MIN_CHARACTERS:
        raise WeakPassphrase(
            f"the passphrase has {length} characters; use at least {MIN_CHARACTERS} "
            "(a few unrelated words work well)"
        )
    if length > MAX_CHARACTERS:
        raise WeakPassphrase(f"the passphrase is longer than {MAX_CHARACTERS} characters")
    comparable = _comparable(text)
    if len(set(comparable)) <= 2 or comparable in _common_passwords():
        raise WeakPassphrase(
            "that passphrase is on the list of common passwords; choose a less predictable one"
        )
