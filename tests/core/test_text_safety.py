"""Control characters: stripped from text coming in, shown as escapes going out."""

from core.text_safety import escape_control, has_lone_surrogate, strip_control

EVE = "Eve \x1b]0;PWNED\x07\x1b]52;c;cHduZWQ=\x07"


def test_incoming_text_loses_escapes_bells_del_and_c1_but_keeps_lines_and_tabs():
    assert strip_control(EVE) == "Eve ]0;PWNED]52;c;cHduZWQ="
    assert strip_control("a\tb\r\nc\x7fd\x9b2Je\rf") == "a\tb\ncd2Jef"
    assert strip_control("Jordan Avery, GAD-7 11") == "Jordan Avery, GAD-7 11"


def test_outgoing_text_shows_each_control_character_visibly():
    assert escape_control(EVE) == "Eve \\x1b]0;PWNED\\x07\\x1b]52;c;cHduZWQ=\\x07"
    assert escape_control("line\nnext\x9b") == "line\\x0anext\\x9b"
    assert escape_control("line\n\tnext\x1b", one_line=False) == "line\n\tnext\\x1b"
    assert escape_control("half \ud800 pair") == "half \\ud800 pair"


def test_a_lone_surrogate_is_found():
    assert has_lone_surrogate("note \udc00")
    assert not has_lone_surrogate("note 😀")


# Stored "Dana yarG, PHQ-9 81" but shown "Dana Gray, PHQ-9 18" by a bidi-aware terminal or EHR.
REORDERED = "Dana \u202eyarG\u202c, PHQ-9 \u2067\u202e81\u202c\u2069"
EVERY_BIDI_CONTROL = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def test_bidi_overrides_and_isolates_are_stripped_coming_in():
    assert strip_control(REORDERED) == "Dana yarG, PHQ-9 81"
    assert strip_control(f"a{EVERY_BIDI_CONTROL}b\nc") == "ab\nc"


def test_bidi_overrides_and_isolates_are_shown_escaped_going_out():
    assert escape_control(REORDERED) == (
        "Dana \\u202eyarG\\u202c, PHQ-9 \\u2067\\u202e81\\u202c\\u2069"
    )
    assert escape_control("line\u202e\nnext", one_line=False) == "line\\u202e\nnext"
    assert escape_control(EVERY_BIDI_CONTROL).count("\\u") == 9


def test_direction_marks_in_a_right_to_left_name_are_kept():
    # LRM, RLM and ALM cannot reverse a run of text; Hebrew and Arabic text uses them.
    name = (
        "\u05d3\u05e0\u05d4 \u05dc\u05d5\u05d9\u200f (DL-1001)\u200e \u0633\u0627\u0631\u0627\u061c"
    )
    assert strip_control(name) == name
    assert escape_control(name) == name
