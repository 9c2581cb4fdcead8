"""The questionnaire's rules as pure functions over a framework and a country's answers
({question code: value}): which questions are shown, how far each pillar and indicator is
answered, what is still missing before the questionnaire can be handed in, and answers read
from a CSV file. No Flask, no database.

A sub-question is shown only while its parent is shown and the parent's answer calls for it;
a hidden sub-question's stored answer is kept (the parent may change back) but neither counts
nor is required.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from core import tables
from core.tables import Row
from gci.framework.model import Framework, Indicator, Pillar, Question, shows
from gci.results.scoring import answer_value


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
    question.kind.check(question, value, partial_value)


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


# --- answers as a CSV file (core/tables) ---------------------------------------------------

EXPORT_COLUMNS = [
    "question_code",
    "pillar",
    "question",
    "answer",
    "shown",
    "accepted",
    "version",
    "evidence",
]


def answers_csv(framework: Framework, rows: list[dict]) -> str:
    """The export rows (one per question) as CSV; each answer is written as its type writes
    a cell (a text answer guarded against being run as a formula), every other text cell is
    guarded by core/tables."""
    table = [
        {
            **row,
            "answer": framework.questions[row["question_code"]].kind.to_cell(row["answer"]),
            "evidence": len(row["evidence"]),
        }
        for row in rows
    ]
    return tables.write(EXPORT_COLUMNS, table, unguarded=("answer",))


# --- answers read from a CSV file (core/tables.dict_rows) ---------------------------------


@dataclass(frozen=True)
class ImportResult:
    values: dict[str, object]  # question code -> answer, for the rows that are right
    errors: list[str]  # one line per wrong row, with its number
    skipped: int  # rows with an empty answer


def read_answers(framework: Framework, rows: list[Row]) -> ImportResult:
    """Check rows of {question_code, answer} (core/tables.dict_rows, with their line numbers)
    against the framework; every problem is listed with its row number."""
    values: dict[str, object] = {}
    errors: list[str] = []
    skipped = 0
    for row in rows:
        number = row.line
        code = row.get("question_code").strip()
        cell = row.cells.get("answer")
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
            value = question.kind.from_cell(question, cell)
            check_value(question, value, framework.partial_value)
        except ValueError as error:
            errors.append(f"row {number}: {code}: {cell.strip()!r} is not possible; {error}")
            continue
        values[code] = value
    return ImportResult(values, errors, skipped)
