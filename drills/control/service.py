"""The control room: start, pause, resume, end and extend a drill, release or hold an inject for
a team, broadcast to every team. Each use case is one transaction; the view commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from core import audit
from core.domain import DomainError
from core.models import as_utc
from drills import workflow
from drills.clock import elapsed_minutes, real_time_at
from drills.facts import scenario_of, team_in, timing_of
from drills.models import (
    Broadcast,
    Drill,
    DrillPause,
    InjectOverride,
    InjectRelease,
    Team,
)
from scenarios.format import model


class ControlError(DomainError):
    """A control-room or evaluator action the drill cannot take now; the message says why."""

    status = 409


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

    @cached_property
    def _reach(self) -> dict[str, tuple[int, datetime]]:
        found: dict[str, tuple[int, datetime]] = {}
        for (_team, inject), at in self.released.items():
            n, first = found.get(inject, (0, at))
            found[inject] = (n + 1, min(first, at))
        return found

    def reached(self, inject_id: str) -> tuple[int, datetime | None]:
        """How many teams an inject has reached, and when the first one got it."""
        return self._reach.get(inject_id, (0, None))


def control_room(session: Session, drill: Drill, now: datetime) -> ControlRoom:
    scenario = scenario_of(session, drill)
    timing = timing_of(session, drill)
    elapsed = elapsed_minutes(timing, now) if drill.state != "scheduled" else 0.0
    ends_at = None
    if scenario is not None:
        ends_at = real_time_at(timing, scenario.duration_minutes + drill.extra_minutes)
    rows = session.exec(
        select(InjectRelease.team_id, InjectRelease.inject_id, InjectRelease.released_at).where(
            InjectRelease.drill_id == drill.id
        )
    )
    released = {(team_id, inject): as_utc(at) for team_id, inject, at in rows}
    teams = list(session.exec(select(Team).where(Team.drill_id == drill.id).order_by(Team.name)))
    return ControlRoom(drill, scenario, elapsed, ends_at, teams, released)


def broadcast(session: Session, drill: Drill, text: str, actor, now) -> Broadcast:
    text = (text or "").strip()
    if not text:
        raise ControlError(_l("Write the message to send to every team."))
    if len(text) > 2000:
        raise ControlError(_l("A broadcast is at most 2000 characters."))
    if drill.state == "ended":
        raise ControlError(_l("The drill has ended: no team reads broadcasts any more."))
    message = Broadcast(drill_id=drill.id, text=text, created_at=now, created_by_id=actor.id)
    session.add(message)
    audit.record(session, "drill.broadcast", actor=actor, obj_type="drill", obj_id=drill.id)
    return message


def override(session: Session, drill: Drill, inject_id, team_id, action, actor, now) -> None:
    """Hold an inject back or release it now, for one team or for all."""
    if drill.state not in ("running", "paused"):
        raise ControlError(_l("Injects are held or released by hand only while the drill runs."))
    scenario = scenario_of(session, drill)
    if scenario is None or inject_id not in {i.id for i in scenario.injects}:
        raise ControlError(_l("The scenario has no such inject."))
    if team_id is not None and team_in(session, drill, team_id) is None:
        raise ControlError(_l("That team is not in this drill."))
    minute = elapsed_minutes(timing_of(session, drill), now)
    session.add(
        InjectOverride(
            drill_id=drill.id,
            inject_id=inject_id,
            team_id=team_id,
            action=action,
            drill_minute=minute,
            created_at=now,
            created_by_id=actor.id,
        )
    )
    audit.record(
        session, f"drill.inject_{action}", actor=actor, obj_type="drill", obj_id=drill.id,
        inject=inject_id, team=team_id, minute=round(minute, 2),
    )  # fmt: skip
