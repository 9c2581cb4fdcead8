"""The answer-type registry: one class per type, each answer written to a CSV cell and read
back unchanged, a typed correction read as a cell is, and the framework's types all in it."""

import io
import json

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from core import tables
from gci.demo import FRAMEWORK_FILE
from gci.framework import answer_types
from gci.framework.validator import parse
from gci.questionnaire import rules
from gci.results import scoring
from tests.conftest import login
from tests.factories import BASE, make_open_cycle, save, token
from tests.gci.frameworks import small

SMALL = parse(small())
EXAMPLES = {
    "yes_no": "no",
    "yes_no_partial": "partial",
    "single_choice": None,  # the first option's key
    "multiple_choice": None,  # two of the options
    "number": 7,
    "text": "=SUM(A1) and more",
    "evidence_only": "yes",
}


def test_every_answer_type_the_frameworks_use_is_a_class_of_the_registry():
    used = {q.answer_type for q in SMALL.questions.values()}
    gci = parse(json.loads(FRAMEWORK_FILE.read_text(encoding="utf-8")))
    used |= {q.answer_type for q in gci.questions.values()}
    assert used <= set(answer_types.TYPES) and set(EXAMPLES) == set(answer_types.TYPES)


@pytest.mark.parametrize("question", list(SMALL.questions.values()), ids=lambda q: q.code)
def test_an_answer_goes_to_a_cell_and_back_unchanged(question):
    kind = question.kind
    value = EXAMPLES[question.answer_type]
    if question.answer_type == "single_choice":
        value = question.options[0].key
    if question.answer_type == "multiple_choice":
        value = [question.options[0].key, question.options[-1].key]
    kind.check(question, value, SMALL.partial_value)
    cell = kind.to_cell(value)
    assert kind.from_cell(question, cell) == value
    assert type(kind.from_cell(question, cell)) is type(value)


def test_a_correction_is_read_as_a_cell_is():
    number = next(q for q in SMALL.questions.values() if q.answer_type == "number")
    assert number.kind.from_correction(number, " 3 ") == number.kind.from_cell(number, "3") == 3
    assert number.kind.from_correction(number, "2.5") == 2.5
    with pytest.raises(ValueError):
        number.kind.from_correction(number, "three")
    ticks = next(q for q in SMALL.questions.values() if q.answer_type == "multiple_choice")
    for typed in ("a|c", "a, c", " a ,c "):
        assert ticks.kind.from_correction(ticks, typed) == ["a", "c"]


def test_text_cells_are_guarded_and_the_guard_comes_off():
    text = answer_types.TYPES["text"]
    for value in ("=1+1", "\t=1+1", "\r=1+1", "@x", "-2"):
        assert text.to_cell(value) == "'" + value
    assert answer_types.TYPES["number"].to_cell(-2) == "-2"  # a number is not guarded


def test_a_type_says_which_template_partial_shows_it():
    for kind in answer_types.TYPES.values():
        assert kind.partial in {"choice", "checkboxes", "number", "text"}


# --- adding an answer type is one new class ------------------------------------------------


class Percent(answer_types.AnswerType):
    """A throw-away type, registered only for the tests below: a share written "42%", worth
    that share of the question's points, shown with the number partial."""

    name = "percent"
    partial = "number"

    def share(self, question, value, table):
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
            raise ValueError("answer a percentage")
        return value / 100

    def to_cell(self, value):
        return "" if value is None else f"{value}%"

    def from_cell(self, question, cell):
        try:
            return int(cell.strip().removesuffix("%"))
        except ValueError:
            raise ValueError("answer a percentage") from None


@pytest.fixture
def percent(monkeypatch):
    """The registry with Percent in it; monkeypatch takes it out again after the test."""
    monkeypatch.setitem(answer_types.TYPES, "percent", Percent())


def percent_framework():
    """The small framework with q5 (a number question) asked as a percentage."""
    doc = small()
    q5 = doc["pillars"][1]["indicators"][0]["sub_indicators"][1]["questions"][0]
    q5["answer_type"] = "percent"
    del q5["scale"]
    return doc


def test_a_new_answer_type_class_validates_scores_and_round_trips_a_cell(percent):
    framework = parse(percent_framework())  # the validator accepts the type
    q5 = framework.questions["q5"]
    assert isinstance(q5.kind, Percent) and q5.scored
    with pytest.raises(ValueError):
        rules.check_value(q5, 120)
    full = scoring.score(framework, [scoring.Answer("q5", 100, True)])
    half = scoring.score(framework, [scoring.Answer("q5", 50, True)])
    assert half.overall == pytest.approx(full.overall / 2) and full.overall > 0
    row = {"question_code": "q5", "pillar": "TEC", "question": q5.text, "answer": 42,
           "shown": True, "accepted": False, "version": 1, "evidence": []}  # fmt: skip
    text = rules.answers_csv(framework, [row])
    assert "42%" in text
    _columns, rows = tables.dict_rows(text, ",")
    assert rules.read_answers(framework, rows).values == {"q5": 42}


def test_a_new_answer_type_class_is_asked_saved_exported_and_imported(
    app, client, users, tmp_path, percent
):
    make_open_cycle(app, tmp_path, percent_framework())
    login(client, users["focal_point"].email)
    page = client.get(BASE + "/pillars/TEC").get_data(as_text=True)
    assert 'data-type="percent" data-partial="number"' in page  # the number partial
    assert 'type="number" step="any" id="a-q5"' in page
    csrf = token(client)
    assert save(client, "q5", 120, 0, csrf).status_code == 422
    assert save(client, "q5", 42, 0, csrf).status_code == 200
    exported = client.get(BASE + "/answers.csv").get_data(as_text=True)
    assert "q5,TEC" in exported and ",42%," in exported
    boundary, body = encode_multipart(
        {
            "csrf_token": csrf,
            "file": FileStorage(io.BytesIO(b"question_code,answer\nq5,7%\n"), "a.csv"),
        }
    )
    imported = client.post(
        f"{BASE}/import", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert imported.status_code == 302
    page = client.get(BASE + "/pillars/TEC").get_data(as_text=True)
    assert 'id="a-q5" name="answer-q5" data-answer value="7"' in page


@pytest.mark.parametrize(
    ("cell", "value"),
    [("1,022", 1022), ("1 022,5", 1022.5), ("1022.0", 1022.0), ("-5", -5), ("١٠٢٢", 1022)],
)
def test_a_number_cell_or_correction_is_read_as_people_write_it(cell, value):
    number = answer_types.TYPES["number"]
    question = next(q for q in SMALL.questions.values() if q.answer_type == "number")
    read = number.from_cell(question, cell)
    assert read == value and type(read) is type(value)
    assert number.from_correction(question, cell) == value


@pytest.mark.parametrize("cell", ["1,,022", "1.022,5.5", "12-3", "three"])
def test_a_number_cell_that_is_no_number_is_refused(cell):
    number = answer_types.TYPES["number"]
    question = next(q for q in SMALL.questions.values() if q.answer_type == "number")
    with pytest.raises(ValueError, match="answer a number"):
        number.from_cell(question, cell)
