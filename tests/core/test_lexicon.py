"""The lexicon the checks and the TUI pick lists share."""

import pytest

from core.notes.lexicon import (
    INTERVENTIONS,
    THERAPIST_FEELINGS,
    TRANSFERENCE,
    WEAK_PHRASES,
    find_named_interventions,
    find_process_note_markers,
    find_weak_phrases,
    is_named_intervention,
    modalities_of,
    techniques_for,
)


def test_every_pick_list_entry_counts_as_a_named_intervention():
    for techniques in INTERVENTIONS.values():
        for technique in techniques:
            assert is_named_intervention(technique), technique


@pytest.mark.parametrize(
    "entry",
    [
        "Cognitive restructuring of all-or-nothing thoughts about work",
        "dear man",
        "5-4-3-2-1 grounding",
        "Behavioural activation",
        "chain analysis of Friday's argument",
    ],
)
def test_variants_a_clinician_types_are_recognised(entry):
    assert is_named_intervention(entry)


@pytest.mark.parametrize(
    "entry", ["CBT", "supportive therapy", "discussed feelings", "talk therapy", ""]
)
def test_a_modality_or_a_vague_activity_is_not_a_named_intervention(entry):
    assert not is_named_intervention(entry)


def test_validation_belongs_to_both_dbt_and_person_centered():
    assert set(modalities_of("validation")) == {"DBT", "Person-centered"}


def test_pick_list_lookup_ignores_case_and_unknown_modality_is_empty():
    assert techniques_for("dbt") == INTERVENTIONS["DBT"]
    assert techniques_for("astrology") == ()


def test_acronym_skills_count_in_prose_only_in_capitals():
    text = "Practiced the STOP skill. Asked client to stop and please rest."
    assert [found.phrase for found in find_named_interventions(text)] == ["STOP"]


def test_prose_finds_techniques_in_order():
    text = "Used radical acceptance, then in vivo exposure with SUDS ratings."
    found = [match.phrase for match in find_named_interventions(text)]
    assert found == ["radical acceptance", "in vivo exposure", "SUD and VOC ratings"]


def test_every_weak_phrase_is_found_as_written():
    for phrase in WEAK_PHRASES:
        matches = find_weak_phrases(f"Notes: {phrase.capitalize()}.")
        assert [match.phrase for match in matches] == [phrase]


def test_weak_phrase_variants_with_possessives_are_found():
    text = "Discussed her feelings. The client seems tired. Continue with current plan."
    assert [match.phrase for match in find_weak_phrases(text)] == [
        "discussed feelings",
        "client seemed",
        "continue current plan",
    ]


def test_specific_clinical_prose_has_no_weak_phrase():
    text = "Client identified three avoided tasks and scheduled two for Tuesday."
    assert find_weak_phrases(text) == []


def test_process_note_markers_name_their_kind():
    text = "I felt frustrated with her. Countertransference was strong."
    kinds = [match.phrase for match in find_process_note_markers(text)]
    assert kinds == [THERAPIST_FEELINGS, TRANSFERENCE]


def test_objective_progress_note_prose_has_no_process_markers():
    text = "Client reported sleeping six hours. Affect was constricted; speech normal."
    assert find_process_note_markers(text) == []
