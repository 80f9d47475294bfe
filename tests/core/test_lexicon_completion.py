"""The lexicon suggests and canonicalises techniques; it never refuses one (issue 9)."""

from core.notes.lexicon import (
    all_techniques,
    canonical_technique,
    is_named_intervention,
    modalities_of,
    techniques_for,
)


def test_safety_planning_is_suicide_prevention_not_trauma_work():
    assert modalities_of("Stanley-Brown safety plan") == ("Suicide prevention",)
    assert "safety planning (Stanley-Brown)" not in techniques_for("Trauma-focused")
    assert "means safety counseling" in techniques_for("suicide prevention")


def test_common_cross_modality_techniques_are_named_interventions():
    for technique in ("worry postponement", "sleep hygiene", "stimulus control", "role play"):
        assert is_named_intervention(technique), technique
        assert technique in all_techniques()


def test_an_alias_or_other_spelling_becomes_the_lexicon_name():
    assert canonical_technique("  Worry   time ") == "worry postponement"
    assert canonical_technique("tipp skills") == "TIPP"
    assert canonical_technique("Role-play") == "role play"


def test_an_unknown_technique_is_kept_as_typed():
    assert canonical_technique("narrative letter  writing") == "narrative letter writing"
    assert canonical_technique("Parent training") == "Parent training"
