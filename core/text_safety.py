"""Untrusted text and the terminal: control characters stripped coming in, escaped going out.

A client name imported as "Eve \\x1b]0;PWNED\\x07" would retitle the terminal (or
write the clipboard through OSC 52) each time it is printed. Text that comes in
(session files, imports, form entries, model replies) loses its C0 and C1 control
characters except newline and tab; text that goes out (CLI messages, TUI labels)
shows any that remain as visible escapes such as `\\x1b`, so older data is safe too.

The bidirectional embedding, override and isolate controls (U+202A-U+202E,
U+2066-U+2069) are treated the same way: in a name or a note they can make what a
clinician reads differ from what is stored ("Trojan Source", CVE-2021-42574), in
the terminal and wherever the text is pasted. The implicit marks LRM, RLM and ALM
(U+200E, U+200F, U+061C) are kept: they only set the direction of the neutral
characters next to them, cannot reverse a run of text, and belong in names and
notes written in Hebrew or Arabic.
"""

from __future__ import annotations

import re

# The explicit bidirectional controls (LRE RLE PDF LRO RLO, LRI RLI FSI PDI), as the
# inside of a regex character class.
BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"

# C0 except tab and newline, DEL, C1, bidi controls. Carriage returns go too: a lone
# \r lets a line overwrite itself on a terminal (\r\n is turned into \n first).
_CONTROL_IN = re.compile(rf"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI_CONTROLS}]")
# Lone surrogates cannot be encoded for a terminal or a file; shown escaped going out.
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_CONTROL_OUT_MULTILINE = re.compile(rf"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI_CONTROLS}\ud800-\udfff]")
_CONTROL_OUT_ONE_LINE = re.compile(rf"[\x00-\x1f\x7f-\x9f{BIDI_CONTROLS}\ud800-\udfff]")


def strip_control(text: str) -> str:
    """`text` without control characters (newline and tab kept); \\r\\n becomes \\n."""
    if text.isprintable():  # the common case: nothing to do, no copy
        return text
    return _CONTROL_IN.sub("", text.replace("\r\n", "\n"))


def has_lone_surrogate(text: str) -> bool:
    """True when `text` holds half of a UTF-16 pair, which is not valid Unicode to store."""
    return _SURROGATE.search(text) is not None


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def escape_control(text: str, *, one_line: bool = True) -> str:
    """`text` with each control character (and lone surrogate) shown as `\\x1b`-style escapes.

    With one_line (messages, labels) newline and tab are escaped too; without it
    (a note printed to stdout) they are kept.
    """
    pattern = _CONTROL_OUT_ONE_LINE if one_line else _CONTROL_OUT_MULTILINE
    return pattern.sub(_visible, text)
