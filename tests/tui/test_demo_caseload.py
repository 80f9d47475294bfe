"""The demo caseload reads like a clinician's notes: no session counters, no cloned notes."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest

from cli.demo import fill_caseload
from core.checks.review import check_note
from storage.records.repositories import Repositories
from tests.support.memory_vault import MemoryVault


@pytest.fixture(scope="module")
def notes_by_client():
    repos = Repositories.from_vault(MemoryVault())
    fill_caseload(repos, date(2026, 11, 27))
    clients = repos.clients.list()
    return [
        sorted(repos.notes.list_for_client(client.id), key=lambda note: note.details.session.date)
        for client in clients
    ]


def test_no_note_numbers_its_session_in_the_clinical_text(notes_by_client):
    for notes in notes_by_client:
        for note in notes:
            assert not re.search(r"\(session \d+\)|\bweek \d+\b", note.text), note.text


def test_each_clients_notes_change_from_one_session_to_the_next(notes_by_client):
    for notes in notes_by_client:
        for previous, note in zip(notes, notes[1:], strict=False):
            for field in ("presenting_concerns", "observations", "response"):
                assert getattr(note.details, field) != getattr(previous.details, field)
            context = replace(note.details.context, previous_note_text=previous.text)
            details = replace(note.details, context=context)
            rule_ids = [finding.rule_id for finding in check_note(details, note.text)]
            assert "CLONED-NOTE" not in rule_ids


def test_demo_goal_progress_agrees_with_each_clients_scores():
    from core.notes.model import GoalProgress

    repos = Repositories.from_vault(MemoryVault())
    fill_caseload(repos, date(2026, 11, 20))
    patterns = set()
    for client in repos.clients.list():
        notes = sorted(
            repos.notes.list_for_client(client.id), key=lambda note: note.details.session.date
        )
        first_goal = []
        for before, now in zip(notes, notes[1:], strict=False):
            scores = {m.instrument: m.score for m in now.details.measures}
            earlier = {m.instrument: m.score for m in before.details.measures}
            rating = now.details.goals[0].progress
            first_goal.append(rating)
            if rating is GoalProgress.REGRESSING:
                assert any(scores[k] > earlier[k] for k in scores), client.code
            if rating is GoalProgress.PROGRESSING:
                assert any(scores[k] < earlier[k] for k in scores), client.code
        patterns.add(tuple(first_goal))
    assert len(patterns) > 1  # not one pattern for every client
