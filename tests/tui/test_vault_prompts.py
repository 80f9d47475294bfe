"""`clinote init` and `rekey` at a terminal: what the prompts show and when they stop asking."""

from __future__ import annotations

import sys

import pytest

from cli import support as cli_support
from cli.main import main

WEAK_FIRST_ENTRY = "password12345678"


class Terminal:
    """Stands in for a terminal's stdin: isatty() is all the prompts look at."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def terminal(monkeypatch, tmp_path):
    """A terminal with no CLINOTE_* variables; returns the prompts getpass was asked."""
    for name in ("CLINOTE_PASSPHRASE", "CLINOTE_NEW_PASSPHRASE", "CLINOTE_VAULT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "stdin", Terminal())
    prompts: list[str] = []
    answers = iter([WEAK_FIRST_ENTRY, WEAK_FIRST_ENTRY])

    def fake_getpass(prompt: str = "") -> str:
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr(cli_support.getpass, "getpass", fake_getpass)
    return prompts


def test_init_wraps_the_rules_at_78_columns_without_breaking_words(terminal, tmp_path, capsys):
    main(["init", "--vault", str(tmp_path / "clinote.vault")])
    rules_lines = capsys.readouterr().err.splitlines()[:-1]  # the last line is the refusal
    assert len(rules_lines) > 1
    assert all(len(line) <= 78 for line in rules_lines)
    assert " ".join(rules_lines).startswith("Use at least 15 characters.")
    assert "There is no way to recover the notes without it." in " ".join(rules_lines)


def test_init_refuses_a_weak_first_entry_before_asking_to_repeat_it(terminal, tmp_path, capsys):
    path = tmp_path / "clinote.vault"
    assert main(["init", "--vault", str(path)]) == 2
    assert terminal == ["New passphrase (15 characters or more): "]
    last_line = capsys.readouterr().err.splitlines()[-1]
    assert last_line.startswith("clinote: that passphrase is a common password")
    assert last_line.endswith("no vault was created")
    assert not path.exists()
