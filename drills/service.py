"""Drill use cases. For now: what a user may see of drills and teams."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from core.policy import can
from drills import dispatcher
from drills.clock import elapsed_minutes, real_time_at
from drills.models import Drill, Team
from scenarios import branching, model


def visible_drills(session: Session, user) -> list[Drill]:
    query = (
        select(Drill)
        .options(
            selectinload(Drill.evaluators),
            selectinload(Drill.teams).selectinload(Team.members),
        )
        .order_by(Drill.starts_at.desc())
    )
    return [drill for drill in session.exec(query) if can(user, "drill.read", drill)]


def team(session: Session, team_id: int) -> Team | None:
    return session.get(Team, team_id)


def member_teams(drill: Drill, user) -> list[Team]:
    return [t for t in drill.teams if any(m.user_id == user.id for m in t.members)]


@dataclass(frozen=True)
class Console:
    """What a team sees now, computed from the clock and the team's own results at read
    time, so it is right even while the scheduler is down."""

    team: Team
    drill: Drill
    scenario: model.Scenario | None
    elapsed: float
    state: str
    injects: list[tuple[model.Inject, datetime | None]]  # with the real time it arrived
    ends_at: datetime | None

    @property
    def etag(self) -> str:
        ids = ",".join(i.id for i, _ in self.injects)
        return hashlib.sha256(f"{self.state}|{ids}".encode()).hexdigest()[:32]


def console(session: Session, team: Team, now: datetime) -> Console:
    drill = team.drill
    scenario = dispatcher.scenario_of(session, drill)
    if scenario is None or drill.state == "scheduled":
        return Console(team, drill, scenario, 0.0, drill.state, [], None)
    timing = dispatcher.timing_of(session, drill)
    elapsed = elapsed_minutes(timing, now)
    minutes = branching.release_minutes(scenario, team.tags or [], {})
    shown = [
        (inject, real_time_at(timing, minutes[inject.id]))
        for inject in branching.visible(scenario, team.tags or [], {}, elapsed)
    ]
    ends_at = real_time_at(timing, scenario.duration_minutes + drill.extra_minutes)
    return Console(team, drill, scenario, elapsed, drill.state, shown, ends_at)
