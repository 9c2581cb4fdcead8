"""The team console's pages: the console, its artifacts, the feed it polls, and what
participants do there (drafts, answers, hints, acknowledgements, the team log)."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_datetime, format_decimal, get_locale
from flask_babel import gettext as _
from flask_login import current_user

from core import db
from core.markup import render_markdown
from core.models import utcnow
from core.policy import allow, authorize, can
from drills import lookup
from drills.console import play
from drills.console import rules as console_rules
from drills.console import service as console_service
from drills.forms import ControlForm
from scenarios.authoring.downloads import artifact_download, artifact_headers


@allow("team.read")
def team(team_id: int):
    found = lookup.team_or_deny(team_id)
    session = db.session()
    view = console_service.console(session, found, utcnow())
    return render_template(
        "drills/team.html",
        team=found,
        console=view,
        work=console_service.team_work(session, found),
        plays=can(current_user, "team.play", found),
        form=ControlForm(),
        render_markdown=render_markdown,
    )


@artifact_headers
@allow("team.read")
def artifact(team_id: int, inject_id: str, number: int):
    """A binary artifact of an inject that has reached the team; 404 otherwise, alike for
    another team's, one not yet released and one that does not exist."""
    found = lookup.team_or_deny(team_id)
    inject = console_service.console(db.session(), found, utcnow()).inject(inject_id)
    if inject is None or not 0 <= number < len(inject.artifacts):
        abort(404)
    return artifact_download(inject.artifacts[number])


def _playing_team(team_id: int):
    found = console_service.team(db.session(), team_id)
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


@allow("team.play")
def save_draft(team_id: int, inject_id: str, response_id: str):
    """The console's autosave (JSON), or a plain form post without JavaScript."""
    found = _playing_team(team_id)
    session = db.session()
    raw = request.form.getlist("answer")
    try:
        play.save_draft(session, found, inject_id, response_id, raw, current_user, utcnow())
    except play.PlayError as error:
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


@allow("team.play")
def submit(team_id: int, inject_id: str, response_id: str):
    found = _playing_team(team_id)
    session = db.session()
    try:
        done = play.submit(
            session,
            found,
            inject_id,
            response_id,
            _answer_from_form(),
            current_user,
            utcnow(),
            attempt=request.form.get("attempt", type=int),
            locale=str(get_locale()),
        )
    except play.PlayError as error:
        flash(str(error), "error")
        return _back_to(team_id, inject_id)
    session.commit()
    given = done.answer["v"]
    if isinstance(given, float):  # a number: say how it was read ("1,022" read as 1,022)
        flash(_("Read as %(n)s.", n=format_decimal(given)), "info")
    if done.correct is None:
        flash(_("Answer sent: an evaluator will score it."), "success")
    elif done.correct:
        flash(_("Right: %(p)s points.", p=f"{done.points:g}"), "success")
    else:
        flash(_("Answer recorded, but it is not right."), "error")
    return _back_to(team_id, inject_id)


@allow("team.play")
def open_hint(team_id: int, inject_id: str, response_id: str):
    found = _playing_team(team_id)
    session = db.session()
    try:
        play.open_hint(session, found, inject_id, response_id, current_user, utcnow())
    except play.PlayError as error:
        flash(str(error), "error")
    else:
        session.commit()
    return _back_to(team_id, inject_id)


@allow("team.play")
def acknowledge(team_id: int, inject_id: str):
    found = _playing_team(team_id)
    session = db.session()
    try:
        play.acknowledge(session, found, inject_id, current_user, utcnow())
    except play.PlayError as error:
        flash(str(error), "error")
    else:
        session.commit()
    return _back_to(team_id, inject_id)


@allow("team.play")
def add_log_entry(team_id: int):
    found = _playing_team(team_id)
    session = db.session()
    try:
        play.add_log_entry(session, found, request.form.get("text", ""), current_user, utcnow())
    except play.PlayError as error:
        flash(str(error), "error")
    else:
        session.commit()
    return redirect(url_for("drills.team", team_id=team_id, _anchor="team-log"))


@allow("team.read")
def feed(team_id: int):
    """What the console polls: cheap when nothing changed (ETag, 304, a few bytes)."""
    view = console_service.console(db.session(), lookup.team_or_deny(team_id), utcnow())
    response = current_app.response_class(view.body, mimetype="application/json")
    response.set_etag(view.etag)
    response.headers["Cache-Control"] = "no-cache"
    if view.poll_after is not None:
        response.headers[console_rules.POLL_AFTER_HEADER] = console_rules.poll_after_ms(
            view.poll_after
        )
    return response.make_conditional(request)
