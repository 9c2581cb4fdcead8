"""The after-action report's inputs, as plain records: what drills/reports/service.py gathers
from the database and drills/reports/content.py builds the report from. Pure: no Flask, no
session. (The improvement plan's row is drills/aftermath/rules.PlanItem, the one record the
plan and the report share.)"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from drills import scoring
from drills.aftermath.rules import PlanItem
from scenarios.format import model


@dataclass(frozen=True)
class DrillInfo:
    id: int
    name: str
    starts_at: datetime
    ended_at: datetime | None
    time_zone: str
    state: str
    marking: str
    organiser: str = ""
    compression: float = 1.0


@dataclass(frozen=True)
class TeamInfo:
    id: int
    name: str
    country: str = ""


@dataclass(frozen=True)
class Answer:
    """One submission, with what the scoreboard and the timeline need."""

    team_id: int
    inject_id: str
    response_id: str
    attempt: int
    correct: bool | None
    points: float | None
    submitted_at: datetime
    scored_at: datetime | None
    drill_minute: float
    release_minute: float
    verdict_minute: float | None = None
    scored_by: str = ""  # the evaluator's name; "" when the rule scored it
    rule: str = ""

    def attempt_row(self) -> scoring.Attempt:
        return scoring.Attempt(
            self.attempt, self.correct, self.points, self.drill_minute, self.verdict_minute
        )


@dataclass(frozen=True)
class Release:
    team_id: int
    inject_id: str
    at: datetime  # when the inject reached the team


@dataclass(frozen=True)
class Ack:
    team_id: int
    inject_id: str
    at: datetime


@dataclass(frozen=True)
class Note:
    """An evaluator's observation."""

    team_id: int | None
    objective_id: str
    kind: str  # strength | improvement
    text: str
    evaluator: str = ""


@dataclass(frozen=True)
class RatingChange:
    """An evaluator's override; `order` puts the newest last."""

    team_id: int
    objective_id: str
    rating: str
    reason: str
    evaluator: str
    order: int


@dataclass(frozen=True)
class Feedback:
    team_id: int | None
    name: str | None  # None: anonymous
    rating: int
    went_well: str = ""
    went_badly: str = ""


@dataclass(frozen=True)
class Person:
    name: str
    role: str  # participant | evaluator | observer
    team_id: int | None = None


@dataclass
class Inputs:
    drill: DrillInfo
    scenario: model.Scenario
    teams: Sequence[TeamInfo]
    answers: Sequence[Answer] = ()
    releases: Sequence[Release] = ()
    acks: Sequence[Ack] = ()
    notes: Sequence[Note] = ()
    overrides: Sequence[RatingChange] = ()
    feedback: Sequence[Feedback] = ()
    plan: Sequence[PlanItem] = ()
    people: Sequence[Person] = ()
