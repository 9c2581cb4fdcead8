"""The answer-type registry: one class per type, each answer written to a CSV cell and read
back unchanged, a typed correction read as a cell is, and the framework's types all in it."""

import json

import pytest

from gci.demo import FRAMEWORK_FILE
from gci.framework import answer_types
from gci.framework.validator import parse
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
