"""Drill use cases. For now: what a user may see of drills and teams."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from core import audit
from core.models import as_utc
from core.policy import can
from drills import dispatcher, workflow
from drills.clock import elapsed_minutes, real_time_at
from drills.models import Drill, DrillPause, InjectRelease, Team
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
    shown = [
        (inject, real_time_at(timing, minute))
        for minute, inject in branching.released(scenario, team.tags or [], {}, elapsed)
    ]
    ends_at = real_time_at(timing, scenario.duration_minutes + drill.extra_minutes)
    return Console(team, drill, scenario, elapsed, drill.state, shown, ends_at)


class ControlError(ValueError):
    """A control-room action the drill cannot take now; the message says why."""


def control(session: Session, drill: Drill, move: str, actor, now: datetime) -> None:
    """Start now, pause, resume or end a drill: one transaction with its audit event."""
    try:
        new_state = workflow.next_state(drill.state, move)
    except workflow.DrillStateError as error:
        raise ControlError(str(error)) from None
    if move == "start" and as_utc(drill.starts_at) > now:
        drill.starts_at = now  # "start now": the clock counts from this moment
    elif move == "pause":
        session.add(DrillPause(drill_id=drill.id, started_at=now))
    elif move == "resume":
        for pause in session.exec(
            select(DrillPause).where(DrillPause.drill_id == drill.id, DrillPause.ended_at.is_(None))
        ):
            pause.ended_at = now
            session.add(pause)
    elif move == "end":
        drill.ended_at = now
        for pause in session.exec(
            select(DrillPause).where(DrillPause.drill_id == drill.id, DrillPause.ended_at.is_(None))
        ):
            pause.ended_at = now
            session.add(pause)
    drill.state = new_state
    session.add(drill)
    audit.record(
        session, f"drill.{move}", actor=actor, obj_type="drill", obj_id=drill.id, state=new_state
    )


def extend(session: Session, drill: Drill, minutes: int, actor) -> None:
    try:
        workflow.check_extend(drill.state, minutes)
    except workflow.DrillStateError as error:
        raise ControlError(str(error)) from None
    drill.extra_minutes += minutes
    session.add(drill)
    audit.record(
        session, "drill.extended", actor=actor, obj_type="drill", obj_id=drill.id, minutes=minutes
    )


@dataclass(frozen=True)
class ControlRoom:
    drill: Drill
    scenario: model.Scenario | None
    elapsed: float
    ends_at: datetime | None
    teams: list[Team]
    released: dict[tuple[int, str], datetime]  # (team id, inject id) -> recorded release


def control_room(session: Session, drill: Drill, now: datetime) -> ControlRoom:
    scenario = dispatcher.scenario_of(session, drill)
    timing = dispatcher.timing_of(session, drill)
    elapsed = elapsed_minutes(timing, now) if drill.state != "scheduled" else 0.0
    ends_at = None
    if scenario is not None:
        ends_at = real_time_at(timing, scenario.duration_minutes + drill.extra_minutes)
    rows = session.exec(select(InjectRelease).where(InjectRelease.drill_id == drill.id))
    released = {(r.team_id, r.inject_id): as_utc(r.released_at) for r in rows}
    teams = list(session.exec(select(Team).where(Team.drill_id == drill.id).order_by(Team.name)))
    return ControlRoom(drill, scenario, elapsed, ends_at, teams, released)
