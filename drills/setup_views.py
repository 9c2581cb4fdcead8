"""Drill setup pages on the drills blueprint: create and edit a drill, its teams (one by one
or pasted as CSV), its people (participants, evaluators, observers) and the contact check.
Thin: each handler checks the form, calls one use case of drills/setup.py and commits once."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core import db
from core.models import Country, User, utcnow
from core.policy import allow, authorize
from drills import dispatcher, setup
from drills.models import Comcheck, Drill, Team
from drills.setup_forms import (
    ButtonForm,
    ComcheckForm,
    DrillForm,
    ImportTeamsForm,
    PersonForm,
    TeamForm,
)
from drills.views import bp


def _drill(drill_id: int) -> Drill:
    drill = db.session().get(Drill, drill_id)
    authorize("drill.setup", drill)
    return drill


def _team(team_id: int) -> Team:
    team = db.session().get(Team, team_id)
    authorize("drill.setup", team.drill if team else None)
    return team


def _refused(error: setup.SetupError) -> None:
    db.session().rollback()
    for problem in error.problems:
        flash(problem, "error")


# --- the drill's settings ---------------------------------------------------------------


def _version_choices(session) -> list[tuple[int, str]]:
    return [
        (version.id, f"{data.title} — v{version.number}")
        for version, data in setup.published_versions(session)
    ]


def _settings(form: DrillForm) -> setup.Settings:
    return setup.Settings(
        name=form.name.data,
        scenario_version_id=form.scenario_version.data,
        starts_local=form.starts_at.data,
        time_zone=form.time_zone.data,
        compression=form.compression.data,
        registration_opens_local=form.registration_opens.data,
        registration_closes_local=form.registration_closes.data,
        scoreboard_visible=form.scoreboard_visible.data,
        scoreboard_freeze_minutes=form.scoreboard_freeze_minutes.data,
        email_injects=form.email_injects.data,
    )


def _form_data(drill: Drill) -> dict:
    zone = drill.time_zone
    return {
        "name": drill.name,
        "scenario_version": drill.scenario_version_id,
        "starts_at": setup.to_local(drill.starts_at, zone),
        "time_zone": zone,
        "compression": drill.compression,
        "registration_opens": setup.to_local(drill.registration_opens_at, zone),
        "registration_closes": setup.to_local(drill.registration_closes_at, zone),
        "scoreboard_visible": drill.scoreboard_visible,
        "scoreboard_freeze_minutes": drill.scoreboard_freeze_minutes,
        "email_injects": drill.email_injects,
    }


@bp.route("/new", methods=["GET", "POST"])
@allow("drills.create")
def new_drill():
    session = db.session()
    data = None if request.method == "POST" else {"time_zone": current_user.time_zone}
    form = DrillForm(data=data)
    form.scenario_version.choices = _version_choices(session)
    status = 200
    if form.validate_on_submit():
        try:
            drill = setup.create_drill(session, _settings(form), current_user)
        except setup.SetupError as error:
            _refused(error)
            status = 422
        else:
            session.commit()
            flash(_("The drill is created. Now add its teams."), "success")
            return redirect(url_for("drills.setup_teams", drill_id=drill.id))
    elif form.errors:
        status = 422
    return render_template("drills/setup/drill.html", form=form, drill=None), status


@bp.route("/<int:drill_id>/setup", methods=["GET", "POST"])
@allow("drill.setup")
def setup_drill(drill_id: int):
    session = db.session()
    drill = _drill(drill_id)
    form = DrillForm(data=None if request.method == "POST" else _form_data(drill))
    form.scenario_version.choices = _version_choices(session)
    status = 200
    if form.validate_on_submit():
        try:
            changed = setup.update_drill(session, drill, _settings(form), current_user)
        except setup.SetupError as error:
            _refused(error)
            status = 422
        else:
            session.commit()
            flash(_("Saved.") if changed else _("Nothing changed."), "success")
            return redirect(url_for("drills.setup_drill", drill_id=drill.id))
    elif form.errors:
        status = 422
    local_start = setup.to_local(drill.starts_at, drill.time_zone)
    return render_template(
        "drills/setup/drill.html", form=form, drill=drill, local_start=local_start
    ), status


# --- teams ------------------------------------------------------------------------------


def _country_choices(session) -> list[tuple[str, str]]:
    return [(c.iso3, c.name) for c in setup.countries(session)]


def _teams_page(drill: Drill, team_form=None, import_form=None, status=200):
    session = db.session()
    if team_form is None:
        team_form = TeamForm()
        team_form.country.choices = _country_choices(session)
    teams = sorted(drill.teams, key=lambda t: t.name.casefold())
    scenario = dispatcher.scenario_of(session, drill)
    return render_template(
        "drills/setup/teams.html",
        drill=drill,
        teams=teams,
        country_names={c.id: c.name for c in setup.countries(session)},
        team_form=team_form,
        import_form=import_form or ImportTeamsForm(),
        button=ButtonForm(),
        unmatched=setup.unmatched_audiences(scenario, teams),
    ), status


@bp.get("/<int:drill_id>/teams")
@allow("drill.setup")
def setup_teams(drill_id: int):
    return _teams_page(_drill(drill_id))


@bp.post("/<int:drill_id>/teams")
@allow("drill.setup")
def add_team(drill_id: int):
    session = db.session()
    drill = _drill(drill_id)
    form = TeamForm()
    form.country.choices = _country_choices(session)
    if not form.validate_on_submit():
        return _teams_page(drill, team_form=form, status=422)
    try:
        team = setup.add_team(
            session, drill, form.country.data, form.name.data, form.tags.data, current_user
        )
    except setup.SetupError as error:
        _refused(error)
        return _teams_page(session.get(Drill, drill_id), team_form=form, status=422)
    session.commit()
    flash(_("The team %(name)s is added.", name=team.name), "success")
    return redirect(url_for("drills.setup_teams", drill_id=drill_id))


@bp.post("/<int:drill_id>/teams/import")
@allow("drill.setup")
def import_teams(drill_id: int):
    session = db.session()
    drill = _drill(drill_id)
    form = ImportTeamsForm()
    if not form.validate_on_submit():
        return _teams_page(drill, import_form=form, status=422)
    try:
        teams = setup.import_teams(session, drill, form.rows.data, current_user)
    except setup.SetupError as error:
        _refused(error)
        flash(_("No team was added: correct the rows above and send them again."), "error")
        return _teams_page(session.get(Drill, drill_id), import_form=form, status=422)
    session.commit()
    flash(_("%(n)s teams are added.", n=len(teams)), "success")
    return redirect(url_for("drills.setup_teams", drill_id=drill_id))


def _team_page(team: Team, form=None, person_form=None, status=200):
    session = db.session()
    if form is None:
        form = TeamForm(
            data={
                "country": country.iso3
                if (country := session.get(Country, team.country_id or 0))
                else None,
                "name": team.name,
                "tags": ", ".join(team.tags or []),
            }
        )
        form.country.choices = _country_choices(session)
    return render_template(
        "drills/setup/team.html",
        team=team,
        drill=team.drill,
        form=form,
        person_form=person_form or PersonForm(),
        members=setup.members(session, team),
        button=ButtonForm(),
    ), status


@bp.get("/teams/<int:team_id>/setup")
@allow("drill.setup")
def setup_team(team_id: int):
    return _team_page(_team(team_id))


@bp.post("/teams/<int:team_id>/setup")
@allow("drill.setup")
def edit_team(team_id: int):
    session = db.session()
    team = _team(team_id)
    form = TeamForm()
    form.country.choices = _country_choices(session)
    if not form.validate_on_submit():
        return _team_page(team, form=form, status=422)
    try:
        setup.update_team(
            session, team, form.country.data, form.name.data, form.tags.data, current_user
        )
    except setup.SetupError as error:
        _refused(error)
        return _team_page(session.get(Team, team_id), form=form, status=422)
    session.commit()
    flash(_("Saved."), "success")
    return redirect(url_for("drills.setup_team", team_id=team_id))


@bp.post("/teams/<int:team_id>/remove")
@allow("drill.setup")
def remove_team(team_id: int):
    session = db.session()
    team = _team(team_id)
    drill_id = team.drill_id
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        setup.remove_team(session, team, current_user)
    except setup.SetupError as error:
        _refused(error)
        return redirect(url_for("drills.setup_team", team_id=team_id))
    session.commit()
    flash(_("The team is removed."), "success")
    return redirect(url_for("drills.setup_teams", drill_id=drill_id))


# --- people -----------------------------------------------------------------------------


@bp.post("/teams/<int:team_id>/members")
@allow("drill.setup")
def add_member(team_id: int):
    session = db.session()
    team = _team(team_id)
    form = PersonForm()
    if not form.validate_on_submit():
        return _team_page(team, person_form=form, status=422)
    try:
        if setup.has_account(session, form.email.data):
            user = setup.user_by_email(session, form.email.data)
            setup.add_member(session, team, user, actor=current_user)
            done = _("%(name)s is in the team.", name=user.name)
        else:
            address = setup.invite_member(session, team, form.email.data, current_user)
            done = _(
                "%(email)s has no account yet: an invitation to join the team is on its way.",
                email=address,
            )
    except setup.SetupError as error:
        _refused(error)
        return _team_page(session.get(Team, team_id), person_form=form, status=422)
    session.commit()
    flash(done, "success")
    return redirect(url_for("drills.setup_team", team_id=team_id))


def _user(user_id: int) -> User:
    user = db.session().get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.post("/teams/<int:team_id>/members/<int:user_id>/remove")
@allow("drill.setup")
def remove_member(team_id: int, user_id: int):
    session = db.session()
    team = _team(team_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        setup.remove_member(session, team, _user(user_id), current_user)
    except setup.SetupError as error:
        _refused(error)
    else:
        session.commit()
        flash(_("Removed from the team."), "success")
    return redirect(url_for("drills.setup_team", team_id=team_id))


def _people_page(drill: Drill, forms=None, status=200):
    session = db.session()
    forms = forms or {}
    return render_template(
        "drills/setup/people.html",
        drill=drill,
        people={kind: setup.people(session, drill, kind) for kind in setup.PEOPLE_LINKS},
        forms={kind: forms.get(kind) or PersonForm(prefix=kind) for kind in setup.PEOPLE_LINKS},
        button=ButtonForm(),
        teams=sorted(drill.teams, key=lambda t: t.name.casefold()),
    ), status


@bp.get("/<int:drill_id>/people")
@allow("drill.setup")
def setup_people(drill_id: int):
    return _people_page(_drill(drill_id))


@bp.post("/<int:drill_id>/people/<any(evaluator, observer):kind>")
@allow("drill.setup")
def add_person(drill_id: int, kind: str):
    session = db.session()
    drill = _drill(drill_id)
    form = PersonForm(prefix=kind)
    if not form.validate_on_submit():
        return _people_page(drill, {kind: form}, status=422)
    adding = setup.add_evaluator if kind == "evaluator" else setup.add_observer
    try:
        user = setup.user_by_email(session, form.email.data)
        adding(session, drill, user, current_user)
    except setup.SetupError as error:
        _refused(error)
        return _people_page(session.get(Drill, drill_id), {kind: form}, status=422)
    session.commit()
    flash(_("%(name)s is added.", name=user.name), "success")
    return redirect(url_for("drills.setup_people", drill_id=drill_id))


@bp.post("/<int:drill_id>/people/<any(evaluator, observer):kind>/<int:user_id>/remove")
@allow("drill.setup")
def remove_person(drill_id: int, kind: str, user_id: int):
    session = db.session()
    drill = _drill(drill_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        setup.remove_person(session, drill, kind, _user(user_id), current_user)
    except setup.SetupError as error:
        _refused(error)
    else:
        session.commit()
        flash(_("Removed from the drill."), "success")
    return redirect(url_for("drills.setup_people", drill_id=drill_id))


# --- the contact check ------------------------------------------------------------------


@bp.route("/<int:drill_id>/comcheck", methods=["GET", "POST"])
@allow("drill.setup")
def comcheck(drill_id: int):
    session = db.session()
    drill = _drill(drill_id)
    form = ComcheckForm()
    status = 200
    if form.validate_on_submit():
        try:
            setup.start_comcheck(session, drill, form.message.data, current_user, utcnow())
        except setup.SetupError as error:
            _refused(error)
            status = 422
        else:
            session.commit()
            flash(_("The contact check is sent to every team."), "success")
            return redirect(url_for("drills.comcheck", drill_id=drill_id))
    elif form.errors:
        status = 422
    check = setup.latest_comcheck(session, drill)
    status_rows = setup.comcheck_status(session, check) if check else []
    return render_template(
        "drills/setup/comcheck.html", drill=drill, form=form, check=check, rows=status_rows
    ), status


@bp.post("/teams/<int:team_id>/comcheck/<int:comcheck_id>")
@allow("comcheck.confirm")
def confirm_comcheck(team_id: int, comcheck_id: int):
    session = db.session()
    team = session.get(Team, team_id)
    authorize("comcheck.confirm", team, conceal=True)  # members of this team only
    check = session.get(Comcheck, comcheck_id)
    if check is None or check.drill_id != team.drill_id:
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    setup.confirm_comcheck(session, check, team, current_user, utcnow())
    session.commit()
    flash(_("Thank you: your contact check is confirmed."), "success")
    return redirect(url_for("drills.team", team_id=team_id))


@bp.app_template_global()
def comcheck_for(team: Team):
    """For the team console: the latest comcheck and when the signed-in member confirmed."""
    return setup.comcheck_for(db.session(), team, current_user)
