"""Drill pages: the drills a user takes part in, the trainer's control room, the team
console where participants answer, and the evaluators' queue."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import FloatField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange

from core import db
from core.markup import render_markdown
from core.models import Role, utcnow
from core.policy import allow, authorize, can
from drills import service
from drills.models import Drill, Submission
from scenarios.authoring.downloads import artifact_download, artifact_headers


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
    authorize("team.read", found, conceal=True)  # another team's looks like no team
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
    session = db.session()
    view = service.console(session, found, utcnow())
    return render_template(
        "drills/team.html",
        team=found,
        console=view,
        work=service.team_work(session, found),
        plays=can(current_user, "team.play", found),
        form=ControlForm(),
        render_markdown=render_markdown,
    )


@bp.get("/teams/<int:team_id>/injects/<inject_id>/artifacts/<int:number>")
@artifact_headers
@allow("team.read")
def artifact(team_id: int, inject_id: str, number: int):
    """A binary artifact of an inject that has reached the team; 404 otherwise, alike for
    another team's, one not yet released and one that does not exist."""
    found = _team_or_deny(team_id)
    inject = service.console(db.session(), found, utcnow()).inject(inject_id)
    if inject is None or not 0 <= number < len(inject.artifacts):
        abort(404)
    return artifact_download(inject.artifacts[number])


def _playing_team(team_id: int):
    found = service.team(db.session(), team_id)
    authorize("team.play", found, conceal=True)
    if not ControlForm().validate_on_submit():
        abort(400)
    return found


def _answer_from_form():
    values = request.form.getlist("answer")
    return values if len(values) != 1 else values[0]


def _back_to(team_id: int, inject_id: str | None = None):
    anchor = f"inject-{inject_id}" if inject_id else None
    return redirect(url_for("drills.team", team_id=team_id, _anchor=anchor))


@bp.post("/teams/<int:team_id>/injects/<inject_id>/responses/<response_id>/draft")
@allow("team.play")
def save_draft(team_id: int, inject_id: str, response_id: str):
    """The console's autosave (JSON), or a plain form post without JavaScript."""
    found = _playing_team(team_id)
    session = db.session()
    raw = request.form.getlist("answer")
    try:
        service.save_draft(session, found, inject_id, response_id, raw, current_user, utcnow())
    except service.PlayError as error:
        if request.headers.get("X-Autosave"):
            return jsonify(message=str(error)), 409
        flash(str(error), "error")
        return _back_to(team_id, inject_id)
    session.commit()
    message = _("Draft saved at %(t)s.", t=format_datetime(utcnow(), "HH:mm:ss"))
    if request.headers.get("X-Autosave"):
        return jsonify(message=message, revision=0)
    flash(message, "success")
    return _back_to(team_id, inject_id)


@bp.post("/teams/<int:team_id>/injects/<inject_id>/responses/<response_id>/submit")
@allow("team.play")
def submit(team_id: int, inject_id: str, response_id: str):
    found = _playing_team(team_id)
    session = db.session()
    try:
        done = service.submit(
            session,
            found,
            inject_id,
            response_id,
            _answer_from_form(),
            current_user,
            utcnow(),
            attempt=request.form.get("attempt", type=int),
        )
    except service.PlayError as error:
        flash(str(error), "error")
        return _back_to(team_id, inject_id)
    session.commit()
    if done.correct is None:
        flash(_("Answer sent: an evaluator will score it."), "success")
    elif done.correct:
        flash(_("Right: %(p)s points.", p=f"{done.points:g}"), "success")
    else:
        flash(_("Answer recorded, but it is not right."), "error")
    return _back_to(team_id, inject_id)


@bp.post("/teams/<int:team_id>/injects/<inject_id>/responses/<response_id>/hint")
@allow("team.play")
def open_hint(team_id: int, inject_id: str, response_id: str):
    found = _playing_team(team_id)
    session = db.session()
    try:
        service.open_hint(session, found, inject_id, response_id, current_user, utcnow())
    except service.PlayError as error:
        flash(str(error), "error")
    else:
        session.commit()
    return _back_to(team_id, inject_id)


@bp.post("/teams/<int:team_id>/injects/<inject_id>/ack")
@allow("team.play")
def acknowledge(team_id: int, inject_id: str):
    found = _playing_team(team_id)
    session = db.session()
    try:
        service.acknowledge(session, found, inject_id, current_user, utcnow())
    except service.PlayError as error:
        flash(str(error), "error")
    else:
        session.commit()
    return _back_to(team_id, inject_id)


@bp.post("/teams/<int:team_id>/log")
@allow("team.play")
def add_log_entry(team_id: int):
    found = _playing_team(team_id)
    session = db.session()
    try:
        service.add_log_entry(session, found, request.form.get("text", ""), current_user, utcnow())
    except service.PlayError as error:
        flash(str(error), "error")
    else:
        session.commit()
    return redirect(url_for("drills.team", team_id=team_id, _anchor="team-log"))


@bp.get("/teams/<int:team_id>/feed")
@allow("team.read")
def feed(team_id: int):
    """What the console polls: cheap when nothing changed (ETag, 304, a few bytes)."""
    view = service.console(db.session(), _team_or_deny(team_id), utcnow())
    body = service.feed_body(view.state, view.elapsed, [i.id for i, _ in view.injects])
    response = current_app.response_class(body, mimetype="application/json")
    response.set_etag(view.etag)
    response.headers["Cache-Control"] = "no-cache"
    if view.poll_after is not None:
        response.headers[service.POLL_AFTER_HEADER] = service.poll_after_ms(view.poll_after)
    return response.make_conditional(request)


# --- the trainer's hand and the evaluators ------------------------------------------------


def _controlled(drill_id: int):
    if not ControlForm().validate_on_submit():
        abort(400)
    return _drill_or_404(drill_id)


@bp.post("/<int:drill_id>/broadcast")
@allow("drill.control")
def broadcast(drill_id: int):
    drill = _controlled(drill_id)
    session = db.session()
    try:
        service.broadcast(session, drill, request.form.get("text", ""), current_user, utcnow())
    except service.ControlError as error:
        flash(str(error), "error")
    else:
        session.commit()
        flash(_("The message is on every team's console."), "success")
    return redirect(url_for("drills.control_room", drill_id=drill_id))


@bp.post("/<int:drill_id>/injects/<inject_id>/<any(hold, release):action>")
@allow("drill.control")
def override(drill_id: int, inject_id: str, action: str):
    drill = _controlled(drill_id)
    session = db.session()
    team_id = request.form.get("team_id", type=int)
    try:
        service.override(session, drill, inject_id, team_id, action, current_user, utcnow())
    except service.ControlError as error:
        flash(str(error), "error")
    else:
        session.commit()
        done = _("Released now.") if action == "release" else _("Held back.")
        flash(f"{inject_id}: {done}", "success")
    return redirect(url_for("drills.control_room", drill_id=drill_id, _anchor="injects"))


class ScoreForm(FlaskForm):
    points = FloatField(_l("Points"), validators=[InputRequired(), NumberRange(min=0)])
    note = TextAreaField(_l("Why (the team reads this)"), validators=[Length(max=2000)])


class ObservationForm(FlaskForm):
    team_id = SelectField(_l("Team"), coerce=int)
    objective_id = SelectField(_l("Objective"))
    kind = SelectField(
        _l("Kind"),
        choices=[
            SelectChoice("strength", _l("Strength")),
            SelectChoice("improvement", _l("Area for improvement")),
        ],
    )
    text = TextAreaField(_l("Observation"), validators=[InputRequired(), Length(max=4000)])


@bp.route("/<int:drill_id>/evaluate", methods=["GET", "POST"])
@allow("drill.evaluate")
def evaluate(drill_id: int):
    """The evaluators' page: answers waiting for a score, and observations by objective."""
    drill = _drill_or_404(drill_id)
    authorize("drill.evaluate", drill)
    session = db.session()
    scenario = service.scenario_of(session, drill)
    form = ObservationForm()
    form.team_id.choices = [SelectChoice(0, _("All teams"))] + [
        SelectChoice(t.id, t.name) for t in drill.teams
    ]
    form.objective_id.choices = (
        [SelectChoice(o.id, f"{o.id} {o.text}") for o in scenario.objectives] if scenario else []
    )
    if form.validate_on_submit():
        try:
            service.observe(
                session, drill, form.team_id.data or None, form.objective_id.data,
                form.kind.data, form.text.data, current_user, utcnow(),
            )  # fmt: skip
        except service.ControlError as error:
            flash(str(error), "error")
        else:
            session.commit()
            flash(_("Observation recorded."), "success")
            return redirect(url_for("drills.evaluate", drill_id=drill_id, _anchor="observations"))
    queue = [
        (s, *service.response_of(scenario, s.inject_id, s.response_id))
        for s in service.evaluation_queue(session, drill)
    ]
    return render_template(
        "drills/evaluate.html",
        drill=drill,
        scenario=scenario,
        queue=queue,
        teams={t.id: t for t in drill.teams},
        observations=service.observations(session, drill),
        form=form,
        score_form=ScoreForm(formdata=None),
    )


@bp.post("/submissions/<int:submission_id>/score")
@allow("drill.evaluate")
def score(submission_id: int):
    session = db.session()
    found = session.get(Submission, submission_id)
    if found is None:
        abort(404)
    drill = session.get(Drill, found.drill_id)
    authorize("drill.evaluate", drill)
    form = ScoreForm()
    if not form.validate_on_submit():
        flash(_("Give the points as a number from 0 up."), "error")
        return redirect(url_for("drills.evaluate", drill_id=drill.id))
    criteria = [int(c) for c in request.form.getlist("criteria") if c.isdigit()]
    try:
        service.score(
            session, found, form.points.data, criteria, form.note.data, current_user, utcnow()
        )
    except service.ControlError as error:
        flash(str(error), "error")
    else:
        session.commit()
        flash(_("Scored."), "success")
    return redirect(url_for("drills.evaluate", drill_id=drill.id))


@bp.get("/<int:drill_id>/scoreboard")
@allow("drill.scoreboard")
def scoreboard(drill_id: int):
    drill = _drill_or_404(drill_id)
    authorize("drill.scoreboard", drill)
    for_teams = current_user.role == Role.participant
    board = service.scoreboard(db.session(), drill, utcnow(), for_teams=for_teams)
    region = request.args.get("region", "")
    ranked = [(rank, s) for rank, s in board.ranked if not region or s.region == region]
    return render_template(
        "drills/scoreboard.html", board=board, ranked=ranked, region=region, for_teams=for_teams
    )


# Register `flask drills …` and the pages of setup (drills/setup_views.py), after the drill
# (drills/aftermath_views.py) and the after-action reports (drills/report_views.py).
from drills import aftermath_views, cli, report_views, setup_views  # noqa: E402,F401
