"""Passphrase rules (NIST SP 800-63B rev. 4): length, NFKC, any Unicode, a common-password list."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources

from storage.vault.errors import WeakPassphrase

MIN_CHARACTERS = 15
MAX_CHARACTERS = 1024

RULES = (
    f"Use at least {MIN_CHARACTERS} characters. Any characters work, spaces and accents "
    "included; there are no rules about digits or symbols. A few unrelated words you will "
    "remember make a good passphrase. Common passwords are refused. There is no way to "
    "recover the notes without it."
)


# The short passwords attackers try first with digits or symbols around them
# ("password12345678", "!!qwerty2024!!!"); too short to be refused on their own.
COMMON_BASES = frozenset(
    (
        "password passw0rd p@ssw0rd p@ssword pass qwerty qwertyuiop asdf asdfgh zxcvbnm "
        "letmein iloveyou admin administrator welcome monkey dragon sunshine princess "
        "football baseball soccer master shadow trustno1 changeme secret login hello "
        "freedom whatever superman batman starwars pokemon michael jesus love abc abcdef "
        "test guest user root default"
    ).split()
)
APP_NAME = "clinote"
# What people put around a service's name: its purpose, a few glue words, the bases above.
_APP_FILLER_WORDS = COMMON_BASES | {
    "my", "the", "is", "for", "a", "vault", "notes", "note", "therapy", "passphrase",
    "key", "app", "mine", "new",
}  # fmt: skip
_APP_FILLER = re.compile(
    "(?:[\\W\\d_]|"
    + "|".join(re.escape(word) for word in sorted(_APP_FILLER_WORDS, key=len, reverse=True))
    + ")*"
)
_AFFIX = re.compile(r"^[\W\d_]*(.*?)[\W\d_]*$")
_LONGEST_REPEATED_UNIT = 4


def normalize(passphrase: str) -> str:
    """NFKC, so the same passphrase typed on another keyboard or OS gives the same key."""
    return unicodedata.normalize("NFKC", passphrase)


def same_passphrase(first: str, second: str) -> bool:
    """Whether two entries unlock alike (a new passphrase typed twice)."""
    return normalize(first) == normalize(second)


def passphrase_bytes(passphrase: str) -> bytes:
    return normalize(passphrase).encode("utf-8")


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    text = resources.files("storage.vault").joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(
        _comparable(line) for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def _comparable(text: str) -> str:
    return "".join(normalize(text).casefold().split())


def check_new_passphrase(passphrase: str) -> None:
    """Return quietly when the passphrase may protect a vault; else raise WeakPassphrase."""
    text = normalize(passphrase)
    if len(text) == 0:
        raise WeakPassphrase("the passphrase is empty; choose one of at least 15 characters")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: bytes that were not UTF-8 text
        raise WeakPassphrase(
            "the passphrase is not valid text (not UTF-8); type it again in a UTF-8 terminal"
        ) from None
    # Zero-width and other format or control characters cannot be seen or retyped with
    # certainty, and add nothing an attacker has to guess: they do not count.
    length = sum(1 for ch in text if not unicodedata.category(ch).startswith("C"))
    if not any(not ch.isspace() for ch in text if not unicodedata.category(ch).startswith("C")):
        raise WeakPassphrase(
            "the passphrase has only invisible characters (spaces, zero-width or control "
            "characters); choose a few unrelated words you will remember"
        )
    if length < MIN_CHARACTERS and length != len(text):
        raise WeakPassphrase(
            f"the passphrase has {length} characters once invisible ones are left out; use at "
            f"least {MIN_CHARACTERS}: choose a few unrelated words you will remember"
        )
    if length < MIN_CHARACTERS:
        raise WeakPassphrase(
            f"the passphrase has {length} characters; use at least {MIN_CHARACTERS} "
            "(a few unrelated words work well)"
        )
    if length > MAX_CHARACTERS:
        raise WeakPassphrase(f"the passphrase is longer than {MAX_CHARACTERS} characters")
    comparable = _comparable(text)
    if comparable in _common_passwords():
        raise WeakPassphrase(
            "that passphrase is on the list of common passwords; "
            "choose a few unrelated words you will remember"
        )
    if _is_pattern(comparable):
        raise WeakPassphrase(
            "that passphrase is a common pattern (one repeated character, or a run like "
            "12345 or abcde); choose a few unrelated words you will remember"
        )
    unit = _repeated_unit(comparable)
    if unit is not None:
        raise WeakPassphrase(
            f"that passphrase repeats a shorter one of {len(unit)} characters, which is all an "
            "attacker has to guess; choose a few unrelated words you will remember"
        )
    if _is_padded_common_password(comparable) or _is_padded_common_password(_unleet(comparable)):
        raise WeakPassphrase(
            "that passphrase is a common password with digits or symbols added; "
            "choose a few unrelated words you will remember"
        )
    if APP_NAME in comparable and _APP_FILLER.fullmatch(comparable.replace(APP_NAME, "")):
        raise WeakPassphrase(
            f"that passphrase is the app's name ({APP_NAME}) with common filler, which attackers "
            "try first; choose a few unrelated words you will remember"
        )


def _is_pattern(comparable: str) -> bool:
    """A repeated short unit ("aaaa", "abcabc") or a run ("123456789012", "abcdefgh")."""
    letters_and_digits = re.sub(r"[\W_]", "", comparable)
    core = letters_and_digits if len(letters_and_digits) >= 2 else comparable
    if len(set(core)) <= 2:
        return True
    for unit in range(1, _LONGEST_REPEATED_UNIT + 1):
        if core == (core[:unit] * (len(core) // unit + 1))[: len(core)]:
            return True
    steps = {_step(before, after) for before, after in zip(core, core[1:], strict=False)}
    return steps in ({1}, {-1})


def _repeated_unit(comparable: str) -> str | None:
    """The shorter text this one repeats ("summer2024" in "summer2024summer2024"), if any."""
    for size in range(1, min(MIN_CHARACTERS, len(comparable) // 2 + 1)):
        if len(comparable) % size == 0 and comparable == comparable[:size] * (
            len(comparable) // size
        ):
            return comparable[:size]
    return None


# The substitutions every cracking rule set tries first ("p@ssw0rd", "$unsh1ne").
_LEET = str.maketrans({"@": "a", "4": "a", "0": "o", "1": "i", "!": "i", "3": "e", "$": "s",
                       "5": "s", "7": "t", "+": "t"})  # fmt: skip


def _unleet(comparable: str) -> str:
    # Digits and symbols at the ends stay: they are judged as padding, not letters.
    match = _AFFIX.fullmatch(comparable)
    if not match or not match.group(1):
        return comparable
    start, end = match.span(1)
    return comparable[:start] + match.group(1).translate(_LEET) + comparable[end:]


def _step(before: str, after: str) -> int:
    # Keyboards and people count 8, 9, 0, 1: the digit run wraps around.
    if before.isdigit() and after.isdigit():
        return (int(after) - int(before) + 5) % 10 - 5
    return ord(after) - ord(before)


def _is_padded_common_password(comparable: str) -> bool:
    """A common password, maybe repeated, with only digits or symbols before or after it."""
    match = _AFFIX.fullmatch(comparable)
    core = match.group(1) if match else comparable
    if not core:
        return False  # only digits and symbols: judged as a pattern, not as a password
    if core in _common_passwords() or core in COMMON_BASES:
        return True
    return any(
        len(core) % len(base) == 0 and core == base * (len(core) // len(base))
        for base in COMMON_BASES
    )
