"""Drill use cases. For now: what a user may see of drills and teams."""

from __future__ import annotations

from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from core.policy import can
from drills.models import Drill, Team


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
