"""What many drill pages share: load the drill or team asked for, 404 when there is none (and,
for a team, when the user may not read it: another team's looks like no team), and answer a
refused form by rolling back and flashing every reason."""

from __future__ import annotations

from flask import abort, flash

from core import db
from core.domain import Refusals
from core.policy import authorize
from drills.console import service as console_service
from drills.models import Drill


def team_or_deny(team_id: int):
    found = console_service.team(db.session(), team_id)
    authorize("team.read", found, conceal=True)  # another team's looks like no team
    return found


def drill_or_404(drill_id: int):
    drill = db.session().get(Drill, drill_id)
    if drill is None:
        abort(404)
    return drill


def refused(error: Refusals) -> None:
    """A use case refused the form: nothing it wrote stays, and each reason is flashed."""
    db.session().rollback()
    for problem in error.problems:
        flash(problem, "error")
