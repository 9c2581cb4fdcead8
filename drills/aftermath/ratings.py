"""The evaluators' rating overrides: a P/S/M/U rating per team and objective that replaces the
computed one, with its reason and history."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from core import audit
from drills.aftermath.service import AftermathError, objectives_of, team_of_drill
from drills.models import (
    Drill,
    RatingOverride,
)

RATINGS = {
    "P": _l("Performed without challenges"),
    "S": _l("Performed with some challenges"),
    "M": _l("Performed with major challenges"),
    "U": _l("Unable to be performed"),
}


REASON_MAX = 2000


def override_rating(
    session: Session,
    drill: Drill,
    team_id: int | None,
    objective_id: str,
    rating: str,
    reason: str,
    evaluator,
    now: datetime,
) -> RatingOverride:
    """An evaluator's rating of a team on an objective, with the reason. Earlier ones stay
    as the history; the newest counts."""
    problems = []
    try:
        team = team_of_drill(session, drill, team_id)
        if team is None:
            problems.append(_("Choose a team of this drill."))
    except AftermathError as error:
        problems.extend(error.problems)
    if objective_id not in objectives_of(session, drill):
        problems.append(_("Choose one of the scenario's objectives."))
    if rating not in RATINGS:
        problems.append(_("A rating is P, S, M or U."))
    reason = (reason or "").strip()
    if not reason:
        problems.append(_("Give the reason for this rating."))
    elif len(reason) > REASON_MAX:
        problems.append(_("The reason is at most %(n)s characters.", n=REASON_MAX))
    if problems:
        raise AftermathError(problems)
    row = RatingOverride(
        drill_id=drill.id,
        team_id=team_id,
        objective_id=objective_id,
        rating=rating,
        reason=reason,
        evaluator_id=evaluator.id,
        created_at=now,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        "drill.rating_overridden",
        actor=evaluator,
        obj_type="drill",
        obj_id=drill.id,
        team=team_id,
        objective=objective_id,
        rating=rating,
        override=row.id,
    )
    return row


def rating_history(session: Session, drill: Drill) -> dict[tuple[int, str], list[RatingOverride]]:
    """Every override per (team id, objective id), newest first."""
    query = (
        select(RatingOverride)
        .where(RatingOverride.drill_id == drill.id)
        .order_by(RatingOverride.created_at.desc(), RatingOverride.id.desc())
    )
    history: dict[tuple[int, str], list[RatingOverride]] = {}
    for row in session.exec(query):
        history.setdefault((row.team_id, row.objective_id), []).append(row)
    return history
