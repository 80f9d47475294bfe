"""A note as plain text for an EHR text box: no Markdown marks, headings in capitals.

EHR note fields take plain text and wrap it themselves, so each paragraph and
each list item becomes one unwrapped line, and paragraphs stay apart by one
blank line.
"""

from __future__ import annotations

import re

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(?P<title>.*?)\s*#*\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_RULE = re.compile(r"^\s{0,3}(?:-{3,}|\*{3,}|_{3,})\s*$")
_BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_ITALIC = re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])")
_CODE = re.compile(r"`([^`]*)`")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>])")


def _inline(text: str) -> str:
    """The words of a Markdown line without emphasis, code marks or escapes."""
    text = _BOLD.sub(r"\2", text)
    text = _ITALIC.sub(r"\1", text)
    text = _CODE.sub(r"\1", text)
    return _ESCAPE.sub(r"\1", text)


def note_as_plain_text(markdown: str) -> str:
    """The note's words as an EHR text box wants them: one line per paragraph or item."""
    blocks: list[str] = []
    paragraph: list[str] = []

    def end_paragraph() -> None:
        if paragraph:
            blocks.append(" ".join(paragraph))
            paragraph.clear()

    for raw in markdown.splitlines():
        line = raw.strip()
        heading = _HEADING.match(raw)
        if not line or _RULE.match(raw):
            end_paragraph()
            blocks.append("")
        elif heading:
            end_paragraph()
            blocks.extend(["", _inline(heading.group("title")).upper(), ""])
        elif _LIST_ITEM.match(raw):
            # Each item its own line; lines after it continue it, as in Markdown.
            end_paragraph()
            paragraph.append(_inline(_LIST_ITEM.sub("", raw, count=1).strip()))
        else:
            paragraph.append(_inline(line))
    end_paragraph()
    text = "\n".join(blocks)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
