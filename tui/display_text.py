"""Names, codes and other stored text as the app shows them: no control bytes, no markup.

A client name comes from the clinician, an import or an older vault. Shown raw,
an ESC in it would drive the terminal (retitle it, write the clipboard), and a
`[link=...]` in it would be read as Rich markup by labels, tables and toasts.
"""

from __future__ import annotations

from rich.markup import escape

from core.text_safety import escape_control


def plain(text: str) -> str:
    """For places that take text as it is (rich Text, Static with markup=False)."""
    return escape_control(text)


def plain_multiline(text: str) -> str:
    """Like `plain`, for text of several lines (a note): newlines and tabs are kept."""
    return escape_control(text, one_line=False)


def shown(text: str) -> str:
    """For places that read markup (notify, Static, DataTable cells given a str)."""
    return escape(escape_control(text))
