"""After-the-drill pages on the drills blueprint: the hot wash on the team console and its
summary, the evaluators' rating overrides, the improvement plan and the report marking.
Thin: each handler checks its form, calls one use case of drills/aftermath/, commits once."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from core import db
from core.models import User, utcnow
from core.policy import allow, authorize, can
from drills import facts
from drills.aftermath import hotwash, marking, plan
from drills.aftermath import ratings as rating_overrides
from drills.aftermath import rules as aftermath_rules
from drills.aftermath import service as aftermath_service
from drills.aftermath.forms import (
    ButtonForm,
    HotwashForm,
    ImprovementForm,
    MarkingForm,
    RatingForm,
    VersionForm,
)
from drills.evaluation import service as evaluation_service
from drills.lookup import refused
from drills.models import Drill, ImprovementItem, Team


def _drill(drill_id: int, action: str) -> Drill:
    drill = db.session().get(Drill, drill_id)
    authorize(action, drill)
    return drill


# --- the hot wash ------------------------------------------------------------------------


def hotwash_for(team: Team):
    """For the team console: None when the hot wash is not for the signed-in user now,
    else (answered already?, the form)."""
    if not can(current_user, "drill.hotwash.answer", team) or not hotwash.hotwash_open(team.drill):
        return None
    answered = hotwash.hotwash_answered(
        db.session(), team.drill, current_user, current_app.secret_key
    )
    return answered, HotwashForm(formdata=None)


@allow("drill.hotwash.answer")
def answer_hotwash(team_id: int):
    session = db.session()
    team = session.get(Team, team_id)
    authorize("drill.hotwash.answer", team)
    form = HotwashForm()
    back = redirect(url_for("drills.team", team_id=team_id, _anchor="hotwash"))
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return back
    try:
        hotwash.answer_hotwash(
            session,
            team,
            current_user,
            went_well=form.went_well.data,
            went_badly=form.went_badly.data,
            rating=int(form.rating.data),
            anonymous=form.anonymous.data,
            secret_key=current_app.secret_key,
            now=utcnow(),
        )
    except aftermath_service.AftermathError as error:
        refused(error)
        return back
    session.commit()
    flash(_("Thank you: your answer is recorded."), "success")
    return back


@allow("drill.hotwash.read")
def hotwash_summary(drill_id: int):
    drill = _drill(drill_id, "drill.hotwash.read")
    summary = hotwash.hotwash_summary(db.session(), drill)
    return render_template("drills/aftermath/hotwash.html", drill=drill, summary=summary)


# --- rating overrides --------------------------------------------------------------------


@allow("drill.evaluate")
def ratings(drill_id: int):
    session = db.session()
    drill = _drill(drill_id, "drill.evaluate")
    scenario = facts.scenario_of(session, drill)
    objectives = list(scenario.objectives) if scenario else []
    teams = sorted(drill.teams, key=lambda t: t.name.casefold())
    form = RatingForm()
    form.team_id.choices = [SelectChoice(t.id, t.name) for t in teams]
    form.objective_id.choices = [SelectChoice(o.id, f"{o.id} {o.text}") for o in objectives]
    form.rating.choices = [
        SelectChoice(k, f"{k} — {label}") for k, label in rating_overrides.RATINGS.items()
    ]
    status = 200
    if form.validate_on_submit():
        try:
            rating_overrides.override_rating(
                session, drill, form.team_id.data, form.objective_id.data, form.rating.data,
                form.reason.data, current_user, utcnow(),
            )  # fmt: skip
        except aftermath_service.AftermathError as error:
            refused(error)
            status = 422
        else:
            session.commit()
            flash(_("The rating is recorded."), "success")
            return redirect(url_for("drills.ratings", drill_id=drill_id))
    elif form.errors:
        status = 422
    board = evaluation_service.scoreboard(session, drill, utcnow(), for_teams=False)
    points = {s.team_id: s.by_objective for _rank, s in board.ranked}
    history = rating_overrides.rating_history(session, drill)
    names = aftermath_service.names_of(
        session, (r.evaluator_id for rows in history.values() for r in rows)
    )
    return render_template(
        "drills/aftermath/ratings.html",
        drill=drill,
        scenario=scenario,
        objectives=objectives,
        teams=teams,
        points=points,
        history=history,
        names=names,
        ratings=rating_overrides.RATINGS,
        form=form,
    ), status


# --- the improvement plan and the report marking -----------------------------------------


def _item_form(session, drill: Drill, **kwargs) -> ImprovementForm:
    form = ImprovementForm(**kwargs)
    scenario = facts.scenario_of(session, drill)
    objectives = list(scenario.objectives) if scenario else []
    form.objective_id.choices = [SelectChoice("", _("None"))] + [
        SelectChoice(o.id, f"{o.id} {o.text}") for o in objectives
    ]
    form.team_id.choices = [SelectChoice(0, _("The whole drill"))] + [
        SelectChoice(t.id, t.name) for t in sorted(drill.teams, key=lambda t: t.name.casefold())
    ]
    return form


def _values(form: ImprovementForm) -> aftermath_rules.PlanItem:
    return aftermath_rules.PlanItem(
        capability=form.capability.data,
        issue=form.issue.data,
        corrective_action=form.corrective_action.data,
        capability_element=form.capability_element.data,
        responsible_org=form.responsible_org.data,
        contact=form.contact.data or "",
        start_date=form.start_date.data,
        completion_date=form.completion_date.data,
        objective_id=form.objective_id.data or None,
        team_id=form.team_id.data or None,
    )


def _version(form) -> int | None:
    try:
        return int(form.version.data)
    except (TypeError, ValueError):
        return None


def _plan_page(drill: Drill, form=None, marking_form=None, status=200):
    session = db.session()
    items = plan.improvement_plan(session, drill)
    scenario = facts.scenario_of(session, drill)
    return render_template(
        "drills/aftermath/plan.html",
        drill=drill,
        items=items,
        teams={t.id: t.name for t in drill.teams},
        objectives={o.id: o for o in scenario.objectives} if scenario else {},
        elements=plan.CAPABILITY_ELEMENTS,
        is_draft=plan.is_draft,
        form=form or _item_form(session, drill, formdata=None),
        marking_form=marking_form or MarkingForm(data={"marking": drill.report_marking}),
        button=ButtonForm(),
        delete_form=VersionForm(formdata=None),
    ), status


@allow("drill.report.edit")
def improvement_plan(drill_id: int):
    return _plan_page(_drill(drill_id, "drill.report.edit"))


@allow("drill.report.edit")
def add_improvement(drill_id: int):
    session = db.session()
    drill = _drill(drill_id, "drill.report.edit")
    form = _item_form(session, drill)
    if not form.validate_on_submit():
        return _plan_page(drill, form=form, status=422)
    try:
        plan.add_item(session, drill, _values(form), current_user, utcnow())
    except aftermath_service.AftermathError as error:
        refused(error)
        return _plan_page(session.get(Drill, drill_id), form=form, status=422)
    session.commit()
    flash(_("The item is added to the improvement plan."), "success")
    return redirect(url_for("drills.improvement_plan", drill_id=drill_id, _anchor="plan"))


@allow("drill.report.edit")
def improvements_from_observations(drill_id: int):
    session = db.session()
    drill = _drill(drill_id, "drill.report.edit")
    if not ButtonForm().validate_on_submit():
        abort(400)
    added = plan.add_from_observations(session, drill, current_user, utcnow())
    session.commit()
    if added:
        flash(
            _("Draft items added: %(n)s. Complete each one.", n=len(added)),
            "success",
        )
    else:
        flash(_("Every area for improvement observed is in the plan already."), "success")
    return redirect(url_for("drills.improvement_plan", drill_id=drill_id, _anchor="plan"))


def _item(item_id: int) -> ImprovementItem:
    item = db.session().get(ImprovementItem, item_id)
    if item is None:
        abort(404)
    authorize("drill.report.edit", db.session().get(Drill, item.drill_id))
    return item


def _item_page(item: ImprovementItem, form, stale=None, status=200):
    session = db.session()
    drill = session.get(Drill, item.drill_id)
    scenario = facts.scenario_of(session, drill)
    updated_by = session.get(User, item.updated_by_id) if item.updated_by_id else None
    return render_template(
        "drills/aftermath/item.html",
        drill=drill,
        item=item,
        form=form,
        stale=stale,
        updated_by=updated_by,
        teams={t.id: t.name for t in drill.teams},
        objectives={o.id: o for o in scenario.objectives} if scenario else {},
        elements=plan.CAPABILITY_ELEMENTS,
        delete_form=VersionForm(formdata=None, data={"version": item.version}),
    ), status


@allow("drill.report.edit")
def edit_improvement(item_id: int):
    session = db.session()
    item = _item(item_id)
    drill = session.get(Drill, item.drill_id)
    if request.method == "GET":
        data = {**vars(plan.item_values(item)), "version": item.version}
        data["team_id"] = data["team_id"] or 0
        data["objective_id"] = data["objective_id"] or ""
        return _item_page(item, _item_form(session, drill, data=data))
    form = _item_form(session, drill)
    if not form.validate_on_submit():
        return _item_page(item, form, status=422)
    try:
        changed = plan.update_item(
            session, item, _values(form), _version(form), current_user, utcnow()
        )
    except plan.StaleItem as stale:
        refused(stale)
        current = session.get(ImprovementItem, item_id)
        # Saving this form again keeps the trainer's version over the one saved meanwhile.
        form.version.data = str(current.version)
        return _item_page(current, form, stale=stale, status=409)
    except aftermath_service.AftermathError as error:
        refused(error)
        return _item_page(session.get(ImprovementItem, item_id), form, status=422)
    session.commit()
    flash(_("Saved.") if changed else _("Nothing changed."), "success")
    return redirect(url_for("drills.improvement_plan", drill_id=drill.id, _anchor="plan"))


@allow("drill.report.edit")
def delete_improvement(item_id: int):
    session = db.session()
    item = _item(item_id)
    drill_id = item.drill_id
    form = VersionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        plan.delete_item(session, item, form.version.data, current_user)
    except aftermath_service.AftermathError as error:
        refused(error)
        return redirect(url_for("drills.edit_improvement", item_id=item_id))
    session.commit()
    flash(_("The item is deleted."), "success")
    return redirect(url_for("drills.improvement_plan", drill_id=drill_id, _anchor="plan"))


@allow("drill.report.edit")
def report_marking(drill_id: int):
    session = db.session()
    drill = _drill(drill_id, "drill.report.edit")
    form = MarkingForm()
    if not form.validate_on_submit():
        flash(
            _("Choose one of the markings: %(markings)s.", markings=", ".join(marking.MARKINGS)),
            "error",
        )
        return _plan_page(drill, marking_form=form, status=422)
    try:
        changed = marking.set_marking(session, drill, form.marking.data, current_user)
    except aftermath_service.AftermathError as error:
        refused(error)
        return _plan_page(session.get(Drill, drill_id), marking_form=form, status=422)
    session.commit()
    if changed:
        flash(_("The reports are now marked %(m)s.", m=drill.report_marking), "success")
    else:
        flash(_("Nothing changed."), "success")
    return redirect(url_for("drills.improvement_plan", drill_id=drill_id))
