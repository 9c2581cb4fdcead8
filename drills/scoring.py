"""Scoring a drill, as pure functions: what an automatic check gives a submission (and why),
whether a team may submit again, what the team's answers mean for branching, how the
trainer's hold/release overrides change release minutes, and the scoreboard totals.

The service layer feeds these from the database; nothing here reads a clock or a session.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from statistics import median

from scenarios.format.model import Response
from scenarios.play import rubric
from scenarios.play.branching import TeamAnswer

# An evaluator's score counts as "right" for branching and for resubmission from this share
# of the response's points: a scored answer is never half-right for the scenario's story.
EVALUATOR_PASS_SHARE = 0.5


@dataclass(frozen=True)
class Verdict:
    correct: bool | None  # None: an evaluator decides
    points: float | None
    rule: str  # how the points were reached, shown beside them


def auto_verdict(
    response: Response, given, minutes_after_release: float, hints_opened: int
) -> Verdict:
    """The automatic check of one submission, with decay and hint costs spelt out."""
    correct = rubric.is_correct(response, given)
    if correct is None:
        return Verdict(None, None, "evaluator")
    points = rubric.points(response, correct, minutes_after_release, hints_opened)
    how = f"{response.type} ({response.match})" if response.type == "exact" else response.type
    parts = [f"auto: {how}"]
    if not correct:
        parts.append("not right")
    else:
        factor = rubric.decay_factor(response, max(0.0, minutes_after_release))
        if factor < 1:
            parts.append(f"answered after {minutes_after_release:.0f} min: x{factor:.2f}")
        cost = sum(h.cost for h in response.hints[:hints_opened])
        if cost:
            parts.append(f"hints -{cost:g}")
    return Verdict(correct, round(points, 2), "; ".join(parts))


def evaluator_correct(response: Response, points: float) -> bool:
    return points >= response.points * EVALUATOR_PASS_SHARE


@dataclass(frozen=True)
class Attempt:
    """A submission as the rules below need to see it."""

    attempt: int
    correct: bool | None
    points: float | None
    drill_minute: float
    verdict_minute: float | None


def may_submit(response: Response, attempts: Sequence[Attempt]) -> str | None:
    """None if the team may submit (again), else why not: waiting | right | exhausted."""
    if not attempts:
        return None
    last = max(attempts, key=lambda a: a.attempt)
    if last.correct is None:
        return "waiting"
    if last.correct:
        return "right"
    if len(attempts) >= response.attempts:
        return "exhausted"
    return None


def team_answers(
    by_response: Mapping[str, Sequence[Attempt]],
) -> dict[str, list[TeamAnswer]]:
    """What branching needs: per "inject.response", each answer at the minute its result
    became known (an evaluator's verdict counts from when it was given)."""
    answers: dict[str, list[TeamAnswer]] = {}
    for key, attempts in by_response.items():
        answers[key] = [
            TeamAnswer(
                a.verdict_minute if a.verdict_minute is not None else a.drill_minute, a.correct
            )
            for a in attempts
        ]
    return answers


def response_points(attempts: Sequence[Attempt]) -> float:
    """A response earns the best score among its submissions."""
    return max((a.points or 0.0 for a in attempts), default=0.0)


@dataclass(frozen=True)
class Override:
    inject_id: str
    team_id: int | None  # None: every team
    action: str  # hold | release
    drill_minute: float
    order: int  # later overrides win


def apply_overrides(
    minutes: Mapping[str, float | None], overrides: Iterable[Override], team_id: int
) -> dict[str, float | None]:
    """Release minutes after the trainer's hand, applied in the order given: a hold stops an
    inject that has not arrived yet until it is released; a release by hand brings it at
    that minute if it had not arrived before. What has arrived stays."""
    result = dict(minutes)
    for o in sorted(overrides, key=lambda o: o.order):
        if o.inject_id not in result or o.team_id not in (None, team_id):
            continue
        planned = result[o.inject_id]
        if planned is None or planned > o.drill_minute:
            result[o.inject_id] = None if o.action == "hold" else o.drill_minute
    return result


# --- the scoreboard ---------------------------------------------------------------------


@dataclass
class TeamScore:
    team_id: int
    name: str
    region: str | None
    total: float = 0.0
    by_objective: dict[str, float] = field(default_factory=dict)
    answered: int = 0
    response_minutes: list[float] = field(default_factory=list)

    @property
    def median_response_minutes(self) -> float | None:
        return round(median(self.response_minutes), 1) if self.response_minutes else None


@dataclass(frozen=True)
class ScoredResponse:
    team_id: int
    inject_id: str
    response: Response
    attempts: tuple[Attempt, ...]
    release_minute: float


def scoreboard(
    teams: Sequence[tuple[int, str, str | None]],
    scored: Iterable[ScoredResponse],
    until_minute: float | None = None,
) -> list[tuple[int, TeamScore]]:
    """(rank, score) per team, best first; equal totals share a rank. With `until_minute`
    (a frozen scoreboard), only what was known by then counts."""
    scores = {tid: TeamScore(tid, name, region) for tid, name, region in teams}
    for item in scored:
        score = scores.get(item.team_id)
        if score is None:
            continue
        attempts = [
            a
            for a in item.attempts
            if until_minute is None
            or (a.verdict_minute if a.verdict_minute is not None else a.drill_minute)
            <= until_minute
        ]
        if not attempts:
            continue
        points = response_points(attempts)
        score.total += points
        score.answered += 1
        first = min(a.drill_minute for a in attempts)
        score.response_minutes.append(max(0.0, first - item.release_minute))
        objectives = item.response.objectives or ("",)
        for objective in objectives:
            share = points / len(objectives)
            score.by_objective[objective] = score.by_objective.get(objective, 0.0) + share
    ordered = sorted(scores.values(), key=lambda s: (-round(s.total, 2), s.name))
    ranked: list[tuple[int, TeamScore]] = []
    for position, score in enumerate(ordered, start=1):
        same = ranked and round(ranked[-1][1].total, 2) == round(score.total, 2)
        ranked.append((ranked[-1][0] if same else position, score))
    return ranked
