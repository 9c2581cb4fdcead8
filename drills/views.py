"""Drill pages. For now: the drills a user takes part in and the team page; the control room
and the participant console come with the drill execution issue."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from core import db
from core.models import Role
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


@bp.get("/teams/<int:team_id>")
@allow("team.read")
def team(team_id: int):
    found = service.team(db.session(), team_id)
    authorize("team.read", found)
    return render_template("drills/team.html", team=found)


from drills import cli  # noqa: E402,F401 - registers `flask drills …` on the blueprint
