"""The questionnaire's rules as pure functions over a framework and a country's answers
({question code: value}): which questions are shown, how far each pillar and indicator is
answered, and what is still missing before the questionnaire can be handed in. No Flask, no
database.

A sub-question is shown only while its parent is shown and the parent's answer calls for it;
a hidden sub-question's stored answer is kept (the parent may change back) but neither counts
nor is required.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from gci.framework import Framework, Indicator, Pillar, Question
from gci.results.scoring import answer_value

TEXT_MAX = 5000  # characters of a text answer


def shows(question: Question, parent_value) -> bool:
    """Whether the parent's answer calls for this sub-question."""
    if parent_value is None:
        return False
    chosen = set(parent_value) if isinstance(parent_value, list | tuple) else {parent_value}
    return bool(chosen & set(question.shown_when))


def visible(framework: Framework, values: Mapping[str, object]) -> set[str]:
    """Codes of the questions shown for these answers (parents come first in `order`)."""
    shown: set[str] = set()
    for question in framework.order:
        if question.parent is None or (
            question.parent in shown and shows(question, values.get(question.parent))
        ):
            shown.add(question.code)
    return shown


def counted(framework: Framework, values: Mapping[str, object]) -> dict[str, object]:
    """The answers that count: those to questions shown."""
    shown = visible(framework, values)
    return {code: value for code, value in values.items() if code in shown}


def check_value(question: Question, value, partial_value: float = 0.5) -> None:
    """ValueError with a reason unless `value` is a possible answer to `question`."""
    if question.answer_type == "text":
        if not isinstance(value, str):
            raise ValueError("answer a text")
        if len(value) > TEXT_MAX:
            raise ValueError(f"a text answer has at most {TEXT_MAX} characters")
        return
    answer_value(question, value, partial_value)


def is_positive(framework: Framework, question: Question, value) -> bool:
    """An answer that earns points (and so needs its evidence, where the question asks)."""
    if value is None or not question.scored:
        return False
    try:
        earned = answer_value(
            question, value, framework.partial_value, framework.value_tables.get(question.code)
        )
    except ValueError:
        return False
    return earned > 0


def leaf_indicators(indicators) -> Iterator[Indicator]:
    for indicator in indicators:
        if indicator.sub_indicators:
            yield from leaf_indicators(indicator.sub_indicators)
        else:
            yield indicator


def pillar_questions(pillar: Pillar) -> list[Question]:
    return [q for ind in leaf_indicators(pillar.indicators) for q in ind.questions]


class Count(NamedTuple):  # a tuple: two dozen are made at every autosave
    answered: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 100

    @property
    def complete(self) -> bool:
        return self.answered >= self.total


@dataclass(frozen=True)
class Progress:
    overall: Count
    pillars: dict[str, Count]
    indicators: dict[str, Count]


def progress(framework: Framework, values: Mapping[str, object]) -> Progress:
    """Answered / shown questions, overall, per pillar and per (leaf) indicator."""
    shown = visible(framework, values)
    # [answered, shown] per pillar and per leaf indicator, in one pass
    by_pillar = {p.code: [0, 0] for p in framework.pillars}
    by_indicator = {code: [0, 0] for code in framework.leaf_codes}
    for code in shown:
        answered = code in values
        for tally in (
            by_pillar[framework.pillar_of[code]],
            by_indicator[framework.indicator_of[code]],
        ):
            tally[0] += answered
            tally[1] += 1
    pillars = {code: Count(*tally) for code, tally in by_pillar.items()}
    indicators = {code: Count(*tally) for code, tally in by_indicator.items()}
    overall = Count(
        sum(c.answered for c in pillars.values()), sum(c.total for c in pillars.values())
    )
    return Progress(overall, pillars, indicators)


@dataclass(frozen=True)
class Missing:
    code: str
    pillar: str
    reason: str  # unanswered | evidence


def missing(
    framework: Framework,
    values: Mapping[str, object],
    with_evidence: set[str],
    every_answer_needs_evidence: bool = False,
) -> list[Missing]:
    """What stands between these answers and a questionnaire that can be handed in: shown
    questions without an answer, and positive answers without the evidence they require.
    `with_evidence`: codes of the questions that have at least one piece of evidence.
    Secondary research cites its public source for every answer
    (`every_answer_needs_evidence`)."""
    shown = visible(framework, values)
    out = []
    for pillar in framework.pillars:
        for question in pillar_questions(pillar):
            if question.code not in shown:
                continue
            value = values.get(question.code)
            if question.code not in values:
                out.append(Missing(question.code, pillar.code, "unanswered"))
            elif question.code not in with_evidence and (
                every_answer_needs_evidence
                or (question.evidence_required and is_positive(framework, question, value))
            ):
                out.append(Missing(question.code, pillar.code, "evidence"))
    return out


# --- answers as a table (CSV import and export) ------------------------------------------

LIST_SEPARATOR = "|"  # between the option keys of a multiple-choice answer in one cell
FORMULA_STARTS = ("=", "+", "-", "@")  # a spreadsheet would run such a cell as a formula


def safe_cell(text: str) -> str:
    """Free text for a CSV cell that a spreadsheet will not run as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def unsafe_cell(text: str) -> str:
    """The free text `safe_cell` protected, as it was."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def value_to_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(str(v) for v in value)
    return str(value)


def cell_to_value(question: Question, cell: str):
    """The answer a CSV cell stands for, by the question's type (ValueError if it cannot)."""
    cell = cell.strip()
    if question.answer_type == "multiple_choice":
        return [key.strip() for key in cell.split(LIST_SEPARATOR) if key.strip()]
    if question.answer_type == "number":
        try:
            return float(cell) if "." in cell or "e" in cell.lower() else int(cell)
        except ValueError:
            raise ValueError("answer a number") from None
    return unsafe_cell(cell) if question.answer_type == "text" else cell


@dataclass(frozen=True)
class ImportResult:
    values: dict[str, object]  # question code -> answer, for the rows that are right
    errors: list[str]  # one line per wrong row, with its number
    skipped: int  # rows with an empty answer


def read_answers(framework: Framework, rows: list[dict[str, str]]) -> ImportResult:
    """Check rows of {question_code, answer} (as csv.DictReader gives them, the header is
    row 1) against the framework; every problem is listed with its row number."""
    values: dict[str, object] = {}
    errors: list[str] = []
    skipped = 0
    for number, row in enumerate(rows, start=2):
        code = (row.get("question_code") or "").strip()
        cell = row.get("answer")
        question = framework.questions.get(code)
        if question is None:
            errors.append(f"row {number}: {code or '(empty)'} is not a question of this cycle")
            continue
        if code in values:
            errors.append(f"row {number}: {code} is answered twice in this file")
            continue
        if cell is None or not cell.strip():
            skipped += 1
            continue
        try:
            value = cell_to_value(question, cell)
            check_value(question, value, framework.partial_value)
        except ValueError as error:
            errors.append(f"row {number}: {code}: {cell.strip()!r} is not possible; {error}")
            continue
        values[code] = value
    return ImportResult(values, errors, skipped)
