"""The GCI framework as pure data: immutable objects for a framework document (the JSON file
under gci/frameworks/, or the copy stored with a framework version), each question's points
derived once. gci/framework/validator.py builds them; answer types are in answer_types.py.
No Flask, no database.

Levels: pillar -> indicator -> (sub-indicator ...) -> questions. A question's sub-questions
are weighted beside it, as items of the same indicator, and count only when the parent's
answer allows (`shown_when`). Weights are relative among siblings: scaling all weights of one
level changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from gci.framework import answer_types

PILLAR_CODES = ("LEG", "TEC", "ORG", "CAP", "COO")
OVERALL_MAX = Fraction(100)


@dataclass(frozen=True)
class Option:
    key: str
    label: str
    value: float  # share of the question's points this option earns, 0..1


@dataclass(frozen=True)
class Question:
    code: str
    text: str
    answer_type: str
    weight: float
    help_text: str = ""
    evidence_required: bool = False
    options: tuple[Option, ...] = ()
    scale: tuple[float, float] | None = None  # number answers: value at 0 points, at full
    parent: str | None = None  # code of the parent question (sub-questions only)
    shown_when: tuple[str, ...] = ()  # parent answers that show (and count) this one

    @property
    def kind(self) -> answer_types.AnswerType:
        return answer_types.of(self)

    @property
    def scored(self) -> bool:
        return self.kind.scored


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    weight: float
    questions: tuple[Question, ...] = ()  # parents and sub-questions, in order
    sub_indicators: tuple[Indicator, ...] = ()


@dataclass(frozen=True)
class Pillar:
    code: str
    name: str
    weight: float
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class Tier:
    tier: int
    name: str
    min_score: float


@dataclass(frozen=True)
class Framework:
    code: str
    name: str
    pillars: tuple[Pillar, ...]
    tiers: tuple[Tier, ...]
    scoring_rule: str = "gci_weighted_sum"
    partial_value: float = 0.5
    placeholder_weights: bool = True
    publish_ranks: bool = True
    # question code -> points it is worth in the overall score (0..100), derived once
    points: dict[str, float] = field(default_factory=dict, compare=False, repr=False)
    questions: dict[str, Question] = field(default_factory=dict, compare=False, repr=False)
    pillar_of: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    # question code -> code of its (leaf) indicator; and the leaf indicators' codes in order
    indicator_of: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    leaf_codes: list[str] = field(default_factory=list, compare=False, repr=False)
    order: list[Question] = field(default_factory=list, compare=False, repr=False)  # parents first
    # question code -> {answer: share of its points} for the discrete answer types, else None
    value_tables: dict[str, dict[str, float] | None] = field(
        default_factory=dict, compare=False, repr=False
    )

    @property
    def pillar_max(self) -> dict[str, float]:
        total = sum(Fraction(p.weight) for p in self.pillars)
        return {p.code: float(OVERALL_MAX * Fraction(p.weight) / total) for p in self.pillars}


def shows(question: Question, parent_value) -> bool:
    """Whether the parent's answer calls for this sub-question (and so it counts)."""
    if parent_value is None:
        return False
    chosen = set(parent_value) if isinstance(parent_value, list | tuple) else {parent_value}
    return bool(chosen & set(question.shown_when))


def derive_points(framework: Framework) -> None:
    """Each question's worth in overall points, computed exactly with fractions once."""
    total = sum(Fraction(p.weight) for p in framework.pillars)
    for pillar in framework.pillars:
        share = OVERALL_MAX * Fraction(pillar.weight) / total
        _spread(framework, pillar.code, pillar.indicators, share)

    def visit(question: Question) -> None:
        if question.code in placed:
            return
        if question.parent is not None:
            visit(framework.questions[question.parent])
        placed.add(question.code)
        framework.order.append(question)

    placed: set[str] = set()
    for question in list(framework.questions.values()):
        visit(question)
        framework.value_tables[question.code] = value_table(question, framework.partial_value)


def value_table(question: Question, partial_value: float) -> dict[str, float] | None:
    """What each possible answer of a discrete question earns; None for the other kinds."""
    return question.kind.table(question, partial_value)


def _spread(framework: Framework, pillar: str, indicators, share: Fraction) -> None:
    total = sum(Fraction(i.weight) for i in indicators)
    for indicator in indicators:
        part = share * Fraction(indicator.weight) / total if total else Fraction(0)
        if indicator.sub_indicators:
            _spread(framework, pillar, indicator.sub_indicators, part)
            continue
        weights = sum(Fraction(q.weight) for q in indicator.questions)
        framework.leaf_codes.append(indicator.code)
        for question in indicator.questions:
            framework.questions[question.code] = question
            framework.pillar_of[question.code] = pillar
            framework.indicator_of[question.code] = indicator.code
            points = part * Fraction(question.weight) / weights if weights else Fraction(0)
            framework.points[question.code] = float(points)
