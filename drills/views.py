"""Drill pages. For now: the drills a user takes part in and the team page; the control room
and the participant console come with the drill execution issue."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request
from flask_login import current_user

from core import db
from core.markup import render_markdown
from core.models import Role, utcnow
from core.policy import allow, authorize
from drills import service

bp = Blueprint(
    "drills", __name__, url_prefix="/drills", template_folder="templates", cli_group="drills"
)


@bp.get("/")
@allow("drills.list")
def index():
    drills = service.visible_drills(db.session(), current_user)
    own_teams = {}
    if current_user.role == Role.participant:
        own_teams = {d.id: service.member_teams(d, current_user) for d in drills}
    return render_template("drills/index.html", drills=drills, own_teams=own_teams)


def _team_or_deny(team_id: int):
    found = service.team(db.session(), team_id)
    authorize("team.read", found)  # 404 for no such team, 403 for another team's
    return found


@bp.get("/teams/<int:team_id>")
@allow("team.read")
def team(team_id: int):
    found = _team_or_deny(team_id)
    view = service.console(db.session(), found, utcnow())
    return render_template(
        "drills/team.html", team=found, console=view, render_markdown=render_markdown
    )


@bp.get("/teams/<int:team_id>/feed")
@allow("team.read")
def feed(team_id: int):
    """What the console polls: cheap when nothing changed (ETag, 304, a few bytes)."""
    view = service.console(db.session(), _team_or_deny(team_id), utcnow())
    response = jsonify(
        state=view.state, elapsed=round(view.elapsed, 2), injects=[i.id for i, _ in view.injects]
    )
    response.set_etag(view.etag)
    response.headers["Cache-Control"] = "no-cache"
    return response.make_conditional(request)


from drills import cli  # noqa: E402,F401 - registers `flask drills …` on the blueprint
