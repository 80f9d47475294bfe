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


def test_a_goal_not_addressed_carries_no_evidence_and_a_goal_worked_on_does(notes_by_client):
    from core.notes.model import GoalProgress

    not_addressed = 0
    for notes in notes_by_client:
        for note in notes:
            for goal in note.details.goals:
                if goal.progress is GoalProgress.NOT_ADDRESSED:
                    not_addressed += 1
                    assert goal.evidence == "", (note.details.client.code, goal.description)
                else:
                    assert goal.evidence.strip(), (note.details.client.code, goal.description)
    assert not_addressed  # the demo shows the rating, so the rule above is exercised


def test_every_demo_note_passes_the_checks_as_signing_runs_them():
    from cli.demo import CASELOAD

    today = date(2026, 11, 20)
    repos = Repositories.from_vault(MemoryVault())
    fill_caseload(repos, today)
    drafts = {person.code: person.drafts for person in CASELOAD}
    for client in repos.clients.list():
        notes = repos.notes.list_for_client(client.id)
        for note in notes:
            rule_ids = {f.rule_id for f in repos.notes.findings_before_signing(note, today=today)}
            # The service code's basis is stated for every billable session, a real one too.
            assert rule_ids <= {"SERVICE-CODE-BASIS"}, (client.code, note.details.session.date)
        # None refused at signing and kept as a draft without saying so.
        assert sum(note.status.value == "draft" for note in notes) == drafts[client.code]


def test_evidence_and_impression_agree_with_the_rating_and_the_first_session(notes_by_client):
    from core.notes.model import GoalProgress

    improvement = re.compile(r"lower|better|differently|noticed the change|without prompting")
    for notes in notes_by_client:
        first = notes[0].details
        # Nothing was assigned before the first session: no log to review or cite.
        assert first.homework.reviewed == ""
        assert "log" not in first.observations
        assert all("log" not in goal.evidence for goal in first.goals)
        for before, note in zip(notes, notes[1:], strict=False):
            details = note.details
            for goal in details.goals:
                if goal.progress in (GoalProgress.MAINTAINING, GoalProgress.REGRESSING):
                    assert not improvement.search(goal.evidence), goal.evidence
            scores = {m.instrument: m.score for m in details.measures}
            earlier = {m.instrument: m.score for m in before.details.measures}
            impression = details.assessment.impression
            if "stable" in impression:
                assert scores == earlier, impression
            if "eased" in impression or "generalise" in impression:
                assert any(scores[k] < earlier[k] for k in scores), impression


def test_a_discharged_clients_last_note_closes_treatment_and_a_retirees_says_nothing_of_work():
    from cli.demo import CASELOAD
    from core.notes.model import ClientStatus, GoalProgress, GoalStatus

    repos = Repositories.from_vault(MemoryVault())
    fill_caseload(repos, date(2026, 11, 20))
    discharged = {person.code for person in CASELOAD if person.discharged}
    assert discharged  # the demo shows one
    for client in repos.clients.list():
        last = repos.notes.list_for_client(client.id)[0].details
        if client.code in discharged:
            assert client.status is ClientStatus.DISCHARGED
            # Discharged after this session: goals met, no next session booked.
            assert {goal.progress for goal in last.goals} == {GoalProgress.MET}
            assert last.next_session is None and "next session" not in last.plan
            goals = repos.plans.get(client.id).goals
            assert {goal.status for goal in goals} == {GoalStatus.MET}
        else:
            assert last.next_session is not None
            assert GoalProgress.MET not in {goal.progress for goal in last.goals}
    retired = [p.code for p in CASELOAD if any("retire" in goal for goal, _ in p.goals)]
    assert retired
    job = re.compile(r"\bwork(?:days?|s)?\b|\bjob\b|\bteam\b|\bcommute", re.IGNORECASE)
    for code in retired:
        client = repos.clients.find_by_code(code)
        for note in repos.notes.list_for_client(client.id):
            assert not job.search(note.text), job.search(note.text)
