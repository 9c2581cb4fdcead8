"""The answer types a framework's questions use, one class each (as Indico's survey
`fields/`): what a framework must say about such a question, which answers are possible and
what share of the question's points each earns, how an answer is written in a CSV cell and
read back, how an analyst's correction typed as text is read, and which template partial
shows the input. Adding an answer type is one class in TYPES. Pure: no Flask, no session.

An answer is what the API and the autosave send: an option key ("yes", "partial", a choice's
key), a list of option keys (multiple choice), a number or a text.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, ClassVar

from core import numbers
from core.tables import safe_cell, unsafe_cell

if TYPE_CHECKING:
    import random

    from gci.framework.model import Question

LIST_SEPARATOR = "|"  # between the option keys of a multiple-choice answer in one cell
TEXT_MAX = 5000  # characters of a text answer


class AnswerType:
    """A kind of answer; the subclasses below override what differs."""

    name: ClassVar[str]
    scored: ClassVar[bool] = True
    partial: ClassVar[str]  # gci/templates/gci/questionnaire/answer_types/<partial>.html
    # the analyst corrects the answer by choosing one of the table's keys, else by typing it
    corrected_by_choice: ClassVar[bool] = False

    # --- the framework -----------------------------------------------------------------

    def problems(self, question: Question) -> list[str]:
        """What the framework must still say about a question of this type."""
        return []

    def table(self, question: Question, partial_value: float) -> dict[str, float] | None:
        """What each possible answer earns (share of the points), for the discrete types."""
        return None

    def keys(self, question: Question) -> set[str] | None:
        """The possible answers a sub-question's condition may name; None: any."""
        return None

    def choices(self, question: Question) -> list[tuple[str, str | None]]:
        """The answers a page offers, as (key, label); a None label is the page's own word
        for the key (Yes, No, Partly)."""
        return []

    # --- answers -----------------------------------------------------------------------

    def share(self, question: Question, value, table: dict[str, float] | None) -> float:
        """The share (0..1) of the question's points `value` earns; ValueError if it is not
        a possible answer. `table`: the question's value table (Framework.value_tables)."""
        try:
            return table[value]
        except (KeyError, TypeError):
            raise ValueError(f"answer one of {', '.join(table)}") from None

    def check(self, question: Question, value, partial_value: float = 0.5) -> None:
        """ValueError with a reason unless `value` is a possible answer."""
        self.share(question, value, self.table(question, partial_value))

    def to_cell(self, value) -> str:
        return "" if value is None else str(value)

    def from_cell(self, question: Question, cell: str):
        """The answer a CSV cell stands for (ValueError if it cannot be one)."""
        return cell.strip()

    def from_correction(self, question: Question, text: str):
        """The answer an analyst's correction typed as text stands for: read as a cell."""
        return self.from_cell(question, text or "")

    def example(self, question: Question, positive: bool, strength: float, rng: random.Random):
        """An answer a country of this overall strength (0..1) might give, `positive` or
        not (demo data)."""
        raise NotImplementedError


class YesNo(AnswerType):
    name = "yes_no"
    partial = "choice"
    corrected_by_choice = True

    def table(self, question, partial_value):
        return {"yes": 1.0, "no": 0.0}

    def keys(self, question):
        return {"yes", "no"}

    def choices(self, question):
        return [(key, None) for key in self.table(question, 0.5)]

    def example(self, question, positive, strength, rng):
        return "yes" if positive else "no"


class YesNoPartial(YesNo):
    name = "yes_no_partial"

    def table(self, question, partial_value):
        return {"yes": 1.0, "partial": partial_value, "no": 0.0}

    def keys(self, question):
        return {"yes", "partial", "no"}

    def example(self, question, positive, strength, rng):
        return "yes" if positive else rng.choice(["no", "partial"])


class EvidenceOnly(YesNo):
    """Points for the evidence uploaded: the one answer is "yes"."""

    name = "evidence_only"

    def table(self, question, partial_value):
        return {"yes": 1.0}

    def keys(self, question):
        return {"yes"}

    def example(self, question, positive, strength, rng):
        return "yes"


class SingleChoice(AnswerType):
    name = "single_choice"
    partial = "choice"
    corrected_by_choice = True

    def problems(self, question):
        return [] if question.options else [f"a {self.name} question needs options"]

    def table(self, question, partial_value):
        return {o.key: o.value for o in question.options}

    def keys(self, question):
        return {o.key for o in question.options}

    def choices(self, question):
        return [(o.key, o.label) for o in question.options]

    def example(self, question, positive, strength, rng):
        return rng.choice(question.options).key


class MultipleChoice(SingleChoice):
    """Any set of the options; earns the sum of the chosen options' values over all."""

    name = "multiple_choice"
    partial = "checkboxes"
    corrected_by_choice = False

    def share(self, question, value, table):
        if not isinstance(value, list | tuple) or any(v not in table for v in value):
            raise ValueError(f"answer a list of some of {', '.join(table)}")
        total = math.fsum(table.values())
        return math.fsum(table[v] for v in set(value)) / total if total else 0.0

    def to_cell(self, value) -> str:
        return "" if value is None else LIST_SEPARATOR.join(str(v) for v in value)

    def from_cell(self, question, cell):
        return [key.strip() for key in cell.split(LIST_SEPARATOR) if key.strip()]

    def from_correction(self, question, text):
        """A typed list: keys between "|" as in a cell, or between commas (option keys hold
        neither)."""
        return self.from_cell(question, (text or "").replace(",", LIST_SEPARATOR))

    def example(self, question, positive, strength, rng):
        return [o.key for o in question.options if rng.random() < strength]


class Number(AnswerType):
    """A figure, scored on the question's scale: its value at 0 points and at full points."""

    name = "number"
    partial = "number"

    def problems(self, question):
        return (
            [] if question.scale else ["a number question needs scale [value at 0, value at full]"]
        )

    def share(self, question, value, table):
        if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
            raise ValueError("answer a number")
        low, high = question.scale
        return min(1.0, max(0.0, (value - low) / (high - low)))

    def from_cell(self, question, cell):
        """A number as people write it (core/numbers: "1,022", "1 022,5", "١٠٢٢"), read with
        the English convention that a CSV file's numbers follow; a whole number stays an int."""
        reading = numbers.read(cell, "en")
        if not reading.ok:
            raise ValueError("answer a number")
        value = reading.value
        return int(value) if value.as_tuple().exponent >= 0 else float(value)

    def example(self, question, positive, strength, rng):
        low, high = question.scale
        return round(low + (high - low) * strength * rng.random(), 1)


class Text(AnswerType):
    """Free text, not scored; its CSV cell is guarded against being run as a formula."""

    name = "text"
    scored = False
    partial = "text"

    def share(self, question, value, table):
        if not isinstance(value, str):
            raise ValueError("answer a text")
        return 0.0

    def check(self, question, value, partial_value=0.5):
        self.share(question, value, None)
        if len(value) > TEXT_MAX:
            raise ValueError(f"a text answer has at most {TEXT_MAX} characters")

    def to_cell(self, value) -> str:
        return "" if value is None else safe_cell(str(value))

    def from_cell(self, question, cell):
        return unsafe_cell(cell.strip())

    def from_correction(self, question, text):
        return (text or "").strip()  # typed on the page: no formula guard to take off

    def example(self, question, positive, strength, rng):
        return "Demo answer."


TYPES: dict[str, AnswerType] = {
    kind.name: kind
    for kind in (
        YesNo(),
        YesNoPartial(),
        SingleChoice(),
        MultipleChoice(),
        Number(),
        Text(),
        EvidenceOnly(),
    )
}
NAMES = tuple(TYPES)  # in the order a framework author reads them


def of(question: Question) -> AnswerType:
    """The answer type of a question (KeyError for a type no framework may use)."""
    return TYPES[question.answer_type]
