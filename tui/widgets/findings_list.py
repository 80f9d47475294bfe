"""What the checks found, worst first; choosing one asks to jump to its field.

In the editor each finding takes one line, cut with an ellipsis at the box's width
(editor.tcss), so a short box still lists several (one or two are shown whole: they
fit); the highlighted one's full text
is its tooltip, and the editor says it in full when the finding is chosen. The sign
dialog wraps them: there the clinician reads each one before signing.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from core.checks.findings import Finding, Severity
from tui.display_text import plain

WHOLE_WHEN_AT_MOST = 2  # findings the editor's box shows wrapped, not cut
SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
SEVERITY_MARKS = {
    Severity.ERROR: ("✖ ", "bold red"),
    Severity.WARNING: ("▲ ", "yellow"),
    Severity.INFO: ("• ", "dim"),
}


def summary(findings: list[Finding]) -> str:
    """`2 errors · 1 warning · 3 info` style count (short: it fits a 40-column border), or `no findings`."""
    counts = [
        (sum(1 for finding in findings if finding.severity is severity), severity)
        for severity in SEVERITY_ORDER
    ]
    parts = [
        f"{count} {severity.value}{'' if count == 1 or severity is Severity.INFO else 's'}"
        for count, severity in counts
        if count
    ]
    return " · ".join(parts) if parts else "no findings"


def full_text(finding: Finding) -> str:
    """The finding as one plain line: rule id and the whole message."""
    return plain(f"{finding.rule_id}: {finding.message}")


class FindingsList(OptionList):
    """One line per finding: severity mark, rule id, what a reviewer would object to."""

    @dataclass
    class Chosen(Message):
        """The clinician chose a finding to act on."""

        finding: Finding

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._findings: list[Finding] | None = None  # None until the first check ran
        self.border_title = "Findings"

    @property
    def findings(self) -> list[Finding]:
        return list(self._findings or ())

    def set_findings(self, findings: list[Finding]) -> None:
        ordered = sorted(findings, key=lambda finding: SEVERITY_ORDER[finding.severity])
        if ordered == self._findings:
            return
        highlighted = self.highlighted
        self._findings = ordered
        # One or two findings have the room to be read whole; more are one line each.
        self.set_class(len(ordered) <= WHOLE_WHEN_AT_MOST, "-few")
        self._show_options()
        if highlighted is not None and ordered and self.has_focus:
            self.highlighted = min(highlighted, len(ordered) - 1)
        self.border_title = summary(ordered)

    DEFAULT_CSS = """
    FindingsList {
        scrollbar-size-vertical: 1;
    }
    """

    @on(OptionList.OptionHighlighted)
    def _on_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        findings = self._findings or []
        index = event.option_index
        # Content, not a string: a tooltip string would be read as markup.
        self.tooltip = Content(full_text(findings[index])) if 0 <= index < len(findings) else None

    def _show_options(self) -> None:
        self.clear_options()
        self.add_options(self._option(finding) for finding in self.findings)

    @staticmethod
    def _option(finding: Finding) -> Option:
        mark, style = SEVERITY_MARKS[finding.severity]
        line = Text(mark, style=style)
        line.append(f"{plain(finding.rule_id)}: ", style="bold")
        line.append(plain(finding.message))
        return Option(line)

    @on(OptionList.OptionSelected)
    def _on_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        findings = self._findings or []
        if 0 <= event.option_index < len(findings):
            self.post_message(self.Chosen(findings[event.option_index]))
