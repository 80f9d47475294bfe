"""A group session's typed lists as session-file entries: interventions and facilitators.

The app's group screen takes these as lines of text; they become the same entries
a group session file holds (core.notes.group_session reads both the same way).
"""

from __future__ import annotations

import re

_INTERVENTION = re.compile(
    r"^(?P<technique>[^(:]+?)\s*(?:\((?P<modality>[^)]*)\))?\s*(?::\s*(?P<detail>.*))?$"
)


def parse_interventions(text: str) -> list[dict[str, str]]:
    """One per line: `technique (modality): what it was for`; modality and purpose optional."""
    found = []
    for line in text.splitlines():
        match = _INTERVENTION.match(line.strip())
        if not line.strip() or match is None:
            continue
        entry = {"technique": match.group("technique").strip()}
        if match.group("modality"):
            entry["modality"] = match.group("modality").strip()
        if match.group("detail"):
            entry["detail"] = match.group("detail").strip()
        found.append(entry)
    return found


def parse_facilitators(text: str) -> list[dict[str, str]]:
    """`Dana Reyes, LCSW; Sam Ortiz, LPC`."""
    found = []
    for part in text.split(";"):
        name, _, credentials = part.strip().rpartition(",")
        if part.strip():
            found.append({"name": name.strip(), "credentials": credentials.strip()})
    return found
