"""The scoring engine: answers -> question points -> pillar (0-20) -> overall (0-100), tiers,
dense rankings and the "why this score" explanation. Pure: no Flask, no session.

The rule is chosen per framework (`Framework.scoring_rule`); today the GCI weighted sum. A
points-percentage index (NCSI) or a maturity-stage model (Oxford CMM) is another class with
the same `score` method registered in RULES: the questionnaire code never changes.

Two scores side by side: the official one counts a positive answer only once an analyst has
accepted it (with its evidence where required); the provisional one counts the focal
point's answers as given. Scores are published with two decimals; tiers and ranks use that
published value, so what a reader sees is what was ranked.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from core.domain import DomainError
from gci.framework import answer_types
from gci.framework.model import Framework, Question, Tier, shows

PUBLISHED_DIGITS = 2  # the one source of the published precision (scores, changes, averages)


def published(value: float | None) -> float | None:
    """A value as it is published: rounded to PUBLISHED_DIGITS decimals (None stays None)."""
    return None if value is None else round(value, PUBLISHED_DIGITS)


class AnswerError(DomainError):
    """Answers that do not fit the framework (422); `problems` lists each by question code."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


class Answer(NamedTuple):  # a NamedTuple: read 10 000 times per cycle, cheaply
    code: str
    value: object  # "yes" | "no" | "partial" | option key | [option keys] | number | text
    accepted: bool = False


class ItemScore(NamedTuple):  # a NamedTuple: built 10 000 times per cycle, cheaply
    code: str
    pillar: str
    max_points: float
    earned: float  # official
    provisional: float
    # unanswered | negative | partial | positive | awaiting_acceptance | awaiting_parent | hidden
    state: str


@dataclass(frozen=True)
class Score:
    overall: float
    pillars: dict[str, float]
    provisional_overall: float
    provisional_pillars: dict[str, float]
    items: tuple[ItemScore, ...]
    tier: Tier | None

    @property
    def published_overall(self) -> float:
        return round(self.overall, PUBLISHED_DIGITS)


# --- answers -----------------------------------------------------------------------------


def answer_value(
    question: Question, value, partial_value: float = 0.5, table: dict[str, float] | None = None
) -> float:
    """The share (0..1) of the question's points that this answer earns; ValueError if the
    value is not a possible answer to the question. `table`: the framework's precomputed
    value table of the question, to skip building it."""
    kind = answer_types.TYPES.get(question.answer_type)
    if kind is None:
        raise ValueError(f"unknown answer type {question.answer_type}")
    if table is None:
        table = kind.table(question, partial_value)
    return kind.share(question, value, table)


def check_answers(framework: Framework, answers: Iterable[Answer]) -> None:
    """Raise AnswerError naming every answer that is not in the framework or not possible."""
    problems = []
    for answer in answers:
        question = framework.questions.get(answer.code)
        if question is None:
            problems.append(f"{answer.code}: no such question in {framework.code}")
            continue
        try:
            answer_value(question, answer.value, framework.partial_value)
        except ValueError as error:
            problems.append(f"{answer.code}: {answer.value!r} is not possible here; {error}")
    if problems:
        raise AnswerError(problems)


# --- the GCI weighted sum ----------------------------------------------------------------


class WeightedSum:
    """GCI: each question is worth a fixed share of 100 points (from the weights at every
    level); a country earns that share times the answer's value."""

    name = "gci_weighted_sum"

    def score(self, framework: Framework, answers: Mapping[str, Answer]) -> Score:
        # Parents come before their sub-questions in framework.order, so one pass decides
        # whether each question counts: provisionally (answers as given) and officially
        # (the parent's answer also accepted).
        shown: dict[str, tuple[bool, bool]] = {}
        items = []
        for question in framework.order:
            code = question.code
            answer = answers.get(code)
            if question.parent is None:
                provisional_ok = official_ok = True
            else:
                parent_answer = answers.get(question.parent)
                allows = shows(question, parent_answer.value if parent_answer else None)
                parent_provisional, parent_official = shown[question.parent]
                provisional_ok = parent_provisional and allows
                official_ok = parent_official and allows and parent_answer.accepted
            shown[code] = (provisional_ok, official_ok)
            points = framework.points[code]
            value = 0.0
            if answer is not None and question.scored:
                value = answer_value(
                    question, answer.value, framework.partial_value, framework.value_tables[code]
                )
            provisional = points * value if provisional_ok else 0.0
            official = (
                provisional if official_ok and answer is not None and answer.accepted else 0.0
            )
            state = _state(answer, value, provisional_ok, official_ok)
            items.append(
                ItemScore(code, framework.pillar_of[code], points, official, provisional, state)
            )
        return _assemble(framework, items)


def _state(answer: Answer | None, value: float, shown: bool, shown_officially: bool) -> str:
    if not shown:
        return "hidden"
    if answer is None:
        return "unanswered"
    if value == 0:
        return "negative"
    if not answer.accepted:
        return "awaiting_acceptance"
    if not shown_officially:
        return "awaiting_parent"
    return "positive" if value == 1 else "partial"


def _assemble(framework: Framework, items: list[ItemScore]) -> Score:
    earned: dict[str, list[float]] = {p.code: [] for p in framework.pillars}
    given: dict[str, list[float]] = {p.code: [] for p in framework.pillars}
    for item in items:
        earned[item.pillar].append(item.earned)
        given[item.pillar].append(item.provisional)
    # fsum is exactly rounded, so the order of the answers cannot change a score
    pillars = {code: math.fsum(values) for code, values in earned.items()}
    provisional = {code: math.fsum(values) for code, values in given.items()}
    overall = math.fsum(pillars.values())
    return Score(
        overall=overall,
        pillars=pillars,
        provisional_overall=math.fsum(provisional.values()),
        provisional_pillars=provisional,
        items=tuple(items),
        tier=tier_for(overall, framework.tiers),
    )


RULES = {WeightedSum.name: WeightedSum()}


def score(framework: Framework, answers: Mapping[str, Answer] | Iterable[Answer]) -> Score:
    if not isinstance(answers, Mapping):
        answers = {a.code: a for a in answers}
    rule = RULES.get(framework.scoring_rule)
    if rule is None:
        raise ValueError(
            f"framework {framework.code} asks for unknown rule "
            f"{framework.scoring_rule!r}; known: {', '.join(RULES)}"
        )
    return rule.score(framework, answers)


# --- tiers, rankings, explanations -------------------------------------------------------


def tier_for(overall: float, tiers: tuple[Tier, ...]) -> Tier | None:
    published = round(overall, PUBLISHED_DIGITS)
    for tier in sorted(tiers, key=lambda t: -t.min_score):
        if published >= tier.min_score:
            return tier
    return None


def dense_ranks(scores: Mapping[str, float]) -> dict[str, int]:
    """1, 2, 2, 3: ties share a rank and the next rank follows without a gap (GCI 2020)."""
    published = {key: round(value, PUBLISHED_DIGITS) for key, value in scores.items()}
    order = sorted(set(published.values()), reverse=True)
    rank_of = {value: i + 1 for i, value in enumerate(order)}
    return {key: rank_of[value] for key, value in published.items()}


@dataclass(frozen=True)
class CountryFacts:
    iso3: str
    region: str
    groups: tuple[str, ...]  # of "ldc", "lldc", "sids"


def rankings(scores: Mapping[str, float], facts: Mapping[str, CountryFacts]) -> dict:
    """{"global": {iso3: rank}, "region": {iso3: rank within its region},
    "groups": {"ldc": {iso3: rank}, ...}}."""
    by_region: dict[str, dict[str, float]] = {}
    by_group: dict[str, dict[str, float]] = {}
    for iso3, value in scores.items():
        fact = facts[iso3]
        by_region.setdefault(fact.region, {})[iso3] = value
        for group in fact.groups:
            by_group.setdefault(group, {})[iso3] = value
    region_ranks: dict[str, int] = {}
    for members in by_region.values():
        region_ranks.update(dense_ranks(members))
    return {
        "global": dense_ranks(scores),
        "region": region_ranks,
        "groups": {group: dense_ranks(members) for group, members in by_group.items()},
    }


@dataclass(frozen=True)
class Move:
    code: str
    gain: float
    why: str


WHY = {
    "unanswered": "not answered yet",
    "negative": "answered no",
    "partial": "only partly in place",
    "awaiting_acceptance": "awaits the analyst's acceptance (and its evidence)",
    "awaiting_parent": "counts once its parent question is accepted",
}


def what_would_move(result: Score, limit: int = 10) -> list[Move]:
    """The questions whose points the country does not have yet, largest gain first. Hidden
    sub-questions are left out: their parent comes first."""
    moves = [
        Move(item.code, item.max_points - item.earned, WHY.get(item.state, item.state))
        for item in result.items
        if item.state != "hidden" and item.max_points - item.earned > 1e-12
    ]
    moves.sort(key=lambda m: (-m.gain, m.code))
    return moves[:limit]
