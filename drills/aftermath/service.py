"""What the after-drill features share: their error, and reading the drill's teams, objectives
and the names of the people who wrote. Each use case of hotwash.py, ratings.py, plan.py and
marking.py works in the caller's session, adds its audit event there and leaves the one commit
to the caller; a refusal raises AftermathError before anything is written."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlmodel import Session, select

from core.domain import Refusals
from core.models import User
from drills.facts import scenario_of, team_in
from drills.models import (
    Drill,
    Team,
)


class AftermathError(Refusals):
    """A request that cannot be carried out; `problems` lists every reason."""


def team_of_drill(session: Session, drill: Drill, team_id: int | None) -> Team | None:
    if team_id is None:
        return None
    team = team_in(session, drill, team_id)
    if team is None:
        raise AftermathError(_("That team is not in this drill."))
    return team


def names_of(session: Session, user_ids) -> dict[int, str]:
    ids = {i for i in user_ids if i is not None}
    if not ids:
        return {}
    return {u.id: u.name for u in session.exec(select(User).where(User.id.in_(ids)))}


def objectives_of(session: Session, drill: Drill) -> dict:
    scenario = scenario_of(session, drill)
    return {o.id: o for o in scenario.objectives} if scenario else {}
