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
