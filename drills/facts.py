"""Reading a drill's facts from the database for the pure rules: its clock, its scenario,
each team's answers and the trainer's overrides, and from them when each inject reaches a
team. The console, the control room and the scheduler all ask here, so they agree."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlmodel import Session, select

from core.models import as_utc
from drills import scoring
from drills.clock import Pause, Timing
from drills.models import Drill, DrillPause, InjectOverride, Submission, Team
from scenarios import branching, model
from scenarios import service as scenarios
from scenarios.models import ScenarioVersion


def timing_of(session: Session, drill: Drill) -> Timing:
    pauses = session.exec(select(DrillPause).where(DrillPause.drill_id == drill.id))
    return Timing(
        starts_at=as_utc(drill.starts_at),
        compression=drill.compression,
        pauses=tuple(
            Pause(as_utc(p.started_at), as_utc(p.ended_at) if p.ended_at else None) for p in pauses
        ),
        ended_at=as_utc(drill.ended_at) if drill.ended_at else None,
    )


def scenario_of(session: Session, drill: Drill) -> model.Scenario | None:
    if drill.scenario_version_id is None:
        return None
    return scenarios.read_version(session.get(ScenarioVersion, drill.scenario_version_id))[0]


def attempt_of(s: Submission) -> scoring.Attempt:
    return scoring.Attempt(s.attempt, s.correct, s.points, s.drill_minute, s.verdict_minute)


@dataclass
class DrillFacts:
    """Answers per team and "inject.response", and the overrides: two queries per drill."""

    attempts: dict[int, dict[str, list[scoring.Attempt]]] = field(default_factory=dict)
    overrides: list[scoring.Override] = field(default_factory=list)

    def release_minutes(self, scenario: model.Scenario, team: Team) -> dict[str, float | None]:
        answers = scoring.team_answers(self.attempts.get(team.id, {}))
        minutes = branching.release_minutes(scenario, team.tags or [], answers)
        return scoring.apply_overrides(minutes, self.overrides, team.id)


def drill_facts(session: Session, drill_id: int, team_id: int | None = None) -> DrillFacts:
    query = select(Submission).where(Submission.drill_id == drill_id)
    if team_id is not None:
        query = query.where(Submission.team_id == team_id)
    attempts: dict[int, dict[str, list[scoring.Attempt]]] = defaultdict(lambda: defaultdict(list))
    for s in session.exec(query):
        attempts[s.team_id][f"{s.inject_id}.{s.response_id}"].append(attempt_of(s))
    overrides = [
        scoring.Override(o.inject_id, o.team_id, o.action, o.drill_minute, o.id)
        for o in session.exec(select(InjectOverride).where(InjectOverride.drill_id == drill_id))
    ]
    return DrillFacts({t: dict(by) for t, by in attempts.items()}, overrides)
