"""The evaluators' pages: the queue of answers to score, observations by objective, and the
scoreboard."""

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
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from core import db
from core.models import Role, utcnow
from core.policy import allow, authorize
from drills import facts, lookup
from drills.control import service as control_service
from drills.evaluation import service as evaluation_service
from drills.evaluation.forms import ObservationForm, ScoreForm
from drills.models import Drill, Submission


@allow("drill.evaluate")
def evaluate(drill_id: int):
    """The evaluators' page: answers waiting for a score, and observations by objective."""
    drill = lookup.drill_or_404(drill_id)
    authorize("drill.evaluate", drill)
    session = db.session()
    scenario = facts.scenario_of(session, drill)
    form = ObservationForm()
    form.team_id.choices = [SelectChoice(0, _("All teams"))] + [
        SelectChoice(t.id, t.name) for t in drill.teams
    ]
    form.objective_id.choices = (
        [SelectChoice(o.id, f"{o.id} {o.text}") for o in scenario.objectives] if scenario else []
    )
    if form.validate_on_submit():
        try:
            evaluation_service.observe(
                session, drill, form.team_id.data or None, form.objective_id.data,
                form.kind.data, form.text.data, current_user, utcnow(),
            )  # fmt: skip
        except control_service.ControlError as error:
            flash(str(error), "error")
        else:
            session.commit()
            flash(_("Observation recorded."), "success")
            return redirect(url_for("drills.evaluate", drill_id=drill_id, _anchor="observations"))
    queue = [
        (s, *evaluation_service.response_of(scenario, s.inject_id, s.response_id))
        for s in evaluation_service.evaluation_queue(session, drill)
    ]
    return render_template(
        "drills/evaluate.html",
        drill=drill,
        scenario=scenario,
        queue=queue,
        teams={t.id: t for t in drill.teams},
        observations=evaluation_service.observations(session, drill),
        form=form,
        score_form=ScoreForm(formdata=None),
    )


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
        evaluation_service.score(
            session, found, form.points.data, criteria, form.note.data, current_user, utcnow()
        )
    except control_service.ControlError as error:
        flash(str(error), "error")
    else:
        session.commit()
        flash(_("Scored."), "success")
    return redirect(url_for("drills.evaluate", drill_id=drill.id))


@allow("drill.scoreboard")
def scoreboard(drill_id: int):
    drill = lookup.drill_or_404(drill_id)
    authorize("drill.scoreboard", drill)
    for_teams = current_user.role == Role.participant
    board = evaluation_service.scoreboard(db.session(), drill, utcnow(), for_teams=for_teams)
    region = request.args.get("region", "")
    ranked = [(rank, s) for rank, s in board.ranked if not region or s.region == region]
    return render_template(
        "drills/scoreboard.html", board=board, ranked=ranked, region=region, for_teams=for_teams
    )
