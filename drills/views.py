"""Drill pages. For now: the drills a user takes part in and the team page; the control room
and the participant console come with the drill execution issue."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm

from core import db
from core.markup import render_markdown
from core.models import Role, utcnow
from core.policy import allow, authorize
from drills import service
from drills.models import Drill


class ControlForm(FlaskForm):
    """A control-room button: only the CSRF token."""


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


def _drill_or_404(drill_id: int):
    drill = db.session().get(Drill, drill_id)
    if drill is None:
        abort(404)
    return drill


@bp.get("/<int:drill_id>")
@allow("drill.observe")
def control_room(drill_id: int):
    drill = _drill_or_404(drill_id)
    authorize("drill.observe", drill)  # observers read it; the buttons need drill.control
    room = service.control_room(db.session(), drill, utcnow())
    return render_template("drills/control.html", room=room, form=ControlForm(), moves=MOVES)


# Buttons of the control room, with what each one says.
MOVES = {
    "start": _l("Start now"),
    "pause": _l("Pause"),
    "resume": _l("Resume"),
    "end": _l("End the drill"),
}


@bp.post("/<int:drill_id>/<any(start, pause, resume, end):move>")
@allow("drill.control")
def control(drill_id: int, move: str):
    if not ControlForm().validate_on_submit():
        abort(400)
    session = db.session()
    drill = _drill_or_404(drill_id)
    try:
        service.control(session, drill, move, current_user, utcnow())
    except service.ControlError as error:
        flash(str(error), "error")
    else:
        session.commit()
        flash(_("Done: the drill is %(state)s.", state=drill.state), "success")
    return redirect(url_for("drills.control_room", drill_id=drill_id))


@bp.post("/<int:drill_id>/extend")
@allow("drill.control")
def extend(drill_id: int):
    form = ControlForm()
    minutes = request.form.get("minutes", type=int)
    if not form.validate_on_submit():
        abort(400)
    session = db.session()
    drill = _drill_or_404(drill_id)
    try:
        service.extend(session, drill, minutes or 0, current_user)
    except service.ControlError as error:
        flash(str(error), "error")
    else:
        session.commit()
        flash(_("The drill is extended by %(m)s minutes.", m=minutes), "success")
    return redirect(url_for("drills.control_room", drill_id=drill_id))


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


# Register `flask drills …` and the setup pages (drills/setup_views.py) on this blueprint.
from drills import cli, setup_views  # noqa: E402,F401
