"""Drill pages for the trainer's hand: the list of drills, the control room with its moves,
broadcasts, and releasing or holding an inject."""

from __future__ import annotations

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from core import db
from core.models import Role, utcnow
from core.policy import allow, authorize
from drills import lookup
from drills.console import service as console_service
from drills.control import service as control_service
from drills.forms import ControlForm


@allow("drills.list")
def index():
    drills = console_service.visible_drills(db.session(), current_user)
    own_teams = {}
    if current_user.role == Role.participant:
        own_teams = {d.id: console_service.member_teams(d, current_user) for d in drills}
    return render_template("drills/index.html", drills=drills, own_teams=own_teams)


@allow("drill.observe")
def control_room(drill_id: int):
    drill = lookup.drill_or_404(drill_id)
    authorize("drill.observe", drill)  # observers read it; the buttons need drill.control
    room = control_service.control_room(db.session(), drill, utcnow())
    return render_template("drills/control.html", room=room, form=ControlForm(), moves=MOVES)


# Buttons of the control room, with what each one says.
MOVES = {
    "start": _l("Start now"),
    "pause": _l("Pause"),
    "resume": _l("Resume"),
    "end": _l("End the drill"),
}


@allow("drill.control")
def control(drill_id: int, move: str):
    if not ControlForm().validate_on_submit():
        abort(400)
    session = db.session()
    drill = lookup.drill_or_404(drill_id)
    try:
        control_service.control(session, drill, move, current_user, utcnow())
    except control_service.ControlError as error:
        flash(str(error), "error")
    else:
        session.commit()
        flash(_("Done: the drill is %(state)s.", state=drill.state), "success")
    return redirect(url_for("drills.control_room", drill_id=drill_id))


@allow("drill.control")
def extend(drill_id: int):
    form = ControlForm()
    minutes = request.form.get("minutes", type=int)
    if not form.validate_on_submit():
        abort(400)
    session = db.session()
    drill = lookup.drill_or_404(drill_id)
    try:
        control_service.extend(session, drill, minutes or 0, current_user)
    except control_service.ControlError as error:
        flash(str(error), "error")
    else:
        session.commit()
        flash(_("The drill is extended by %(m)s minutes.", m=minutes), "success")
    return redirect(url_for("drills.control_room", drill_id=drill_id))


def _controlled(drill_id: int):
    if not ControlForm().validate_on_submit():
        abort(400)
    return lookup.drill_or_404(drill_id)


@allow("drill.control")
def broadcast(drill_id: int):
    drill = _controlled(drill_id)
    session = db.session()
    try:
        control_service.broadcast(
            session, drill, request.form.get("text", ""), current_user, utcnow()
        )
    except control_service.ControlError as error:
        flash(str(error), "error")
    else:
        session.commit()
        flash(_("The message is on every team's console."), "success")
    return redirect(url_for("drills.control_room", drill_id=drill_id))


@allow("drill.control")
def override(drill_id: int, inject_id: str, action: str):
    drill = _controlled(drill_id)
    session = db.session()
    team_id = request.form.get("team_id", type=int)
    try:
        control_service.override(session, drill, inject_id, team_id, action, current_user, utcnow())
    except control_service.ControlError as error:
        flash(str(error), "error")
    else:
        session.commit()
        done = _("Released now.") if action == "release" else _("Held back.")
        flash(f"{inject_id}: {done}", "success")
    return redirect(url_for("drills.control_room", drill_id=drill_id, _anchor="injects"))
