"""The field reader: problems name the field and never echo free text back."""

from core.notes.field_validation import FieldReader
from core.notes.model import Setting

FREE_TEXT = "Avery said the session with Dr Kim felt rushed"


def test_free_text_in_a_typed_field_is_described_not_quoted():
    reader = FieldReader("session file")
    fields = {"setting": FREE_TEXT, "date": FREE_TEXT, "start": FREE_TEXT}

    reader.enum(fields, "setting", "session", Setting, None)
    reader.date_field(fields, "date", "session")
    reader.time_field(fields, "start", "session")

    assert reader.problems == [
        "session.setting: the text given is not one of in_person, telehealth_video, "
        "telehealth_audio",
        "session.date: the text given is not a date in the form YYYY-MM-DD",
        "session.start: the text given is not a time in the form HH:MM",
    ]
    assert not any("Avery" in problem for problem in reader.problems)


def test_a_problem_with_the_whole_document_names_the_document():
    reader = FieldReader("export file")

    assert reader.obj([FREE_TEXT], "", {"clients"}, set()) is None
    assert reader.problems == ["export file: expected an object, got list"]


def test_a_whole_number_refuses_true_and_values_out_of_range():
    reader = FieldReader("session file")

    assert reader.whole_number(3, "items[0]", high=3) == 3
    assert reader.whole_number(True, "items[1]", high=3) is None
    assert reader.whole_number(4, "items[2]", high=3) is None
    assert reader.problems == [
        "items[1]: expected a whole number, got true",
        "items[2]: 4 is out of range 0-3",
    ]
