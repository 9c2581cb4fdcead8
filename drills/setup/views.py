"""Drill setup pages: create and edit a drill, and its teams (one by one or pasted as CSV);
people and the contact check are drills/setup/people_views.py. Thin: each handler checks the
form, calls one use case of drills/setup/ and commits once."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core import db
from core.models import Country
from core.policy import allow, authorize
from drills import facts
from drills.lookup import refused
from drills.models import Drill, Team
from drills.setup import people, teams
from drills.setup import service as setup_service
from drills.setup.forms import (
    ButtonForm,
    DrillForm,
    ImportTeamsForm,
    PersonForm,
    TeamForm,
)


def drill_for_setup(drill_id: int) -> Drill:
    drill = db.session().get(Drill, drill_id)
    authorize("drill.setup", drill)
    return drill


def team_for_setup(team_id: int) -> Team:
    team = db.session().get(Team, team_id)
    authorize("drill.setup", team.drill if team else None)
    return team


# --- the drill's settings ---------------------------------------------------------------


def _version_choices(session) -> list[tuple[int, str]]:
    return [
        (version.id, f"{data.title} — v{version.number}")
        for version, data in setup_service.published_versions(session)
    ]


def _settings(form: DrillForm) -> setup_service.Settings:
    return setup_service.Settings(
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
        "starts_at": setup_service.to_local(drill.starts_at, zone),
        "time_zone": zone,
        "compression": drill.compression,
        "registration_opens": setup_service.to_local(drill.registration_opens_at, zone),
        "registration_closes": setup_service.to_local(drill.registration_closes_at, zone),
        "scoreboard_visible": drill.scoreboard_visible,
        "scoreboard_freeze_minutes": drill.scoreboard_freeze_minutes,
        "email_injects": drill.email_injects,
    }


@allow("drills.create")
def new_drill():
    session = db.session()
    data = None if request.method == "POST" else {"time_zone": current_user.time_zone}
    form = DrillForm(data=data)
    form.scenario_version.choices = _version_choices(session)
    status = 200
    if form.validate_on_submit():
        try:
            drill = setup_service.create_drill(session, _settings(form), current_user)
        except setup_service.SetupError as error:
            refused(error)
            status = 422
        else:
            session.commit()
            flash(_("The drill is created. Now add its teams."), "success")
            return redirect(url_for("drills.setup_teams", drill_id=drill.id))
    elif form.errors:
        status = 422
    return render_template("drills/setup/drill.html", form=form, drill=None), status


@allow("drill.setup")
def setup_drill(drill_id: int):
    session = db.session()
    drill = drill_for_setup(drill_id)
    form = DrillForm(data=None if request.method == "POST" else _form_data(drill))
    form.scenario_version.choices = _version_choices(session)
    status = 200
    if form.validate_on_submit():
        try:
            changed = setup_service.update_drill(session, drill, _settings(form), current_user)
        except setup_service.SetupError as error:
            refused(error)
            status = 422
        else:
            session.commit()
            flash(_("Saved.") if changed else _("Nothing changed."), "success")
            return redirect(url_for("drills.setup_drill", drill_id=drill.id))
    elif form.errors:
        status = 422
    local_start = setup_service.to_local(drill.starts_at, drill.time_zone)
    return render_template(
        "drills/setup/drill.html", form=form, drill=drill, local_start=local_start
    ), status


# --- teams ------------------------------------------------------------------------------


def _country_choices(session) -> list[tuple[str, str]]:
    return [(c.iso3, c.name) for c in teams.countries(session)]


def _teams_page(drill: Drill, team_form=None, import_form=None, status=200):
    session = db.session()
    if team_form is None:
        team_form = TeamForm()
        team_form.country.choices = _country_choices(session)
    listed = sorted(drill.teams, key=lambda t: t.name.casefold())
    scenario = facts.scenario_of(session, drill)
    return render_template(
        "drills/setup/teams.html",
        drill=drill,
        teams=listed,
        country_names={c.id: c.name for c in teams.countries(session)},
        team_form=team_form,
        import_form=import_form or ImportTeamsForm(),
        button=ButtonForm(),
        unmatched=teams.unmatched_audiences(scenario, listed),
    ), status


@allow("drill.setup")
def setup_teams(drill_id: int):
    return _teams_page(drill_for_setup(drill_id))


@allow("drill.setup")
def add_team(drill_id: int):
    session = db.session()
    drill = drill_for_setup(drill_id)
    form = TeamForm()
    form.country.choices = _country_choices(session)
    if not form.validate_on_submit():
        return _teams_page(drill, team_form=form, status=422)
    try:
        team = teams.add_team(
            session, drill, form.country.data, form.name.data, form.tags.data, current_user
        )
    except setup_service.SetupError as error:
        refused(error)
        return _teams_page(session.get(Drill, drill_id), team_form=form, status=422)
    session.commit()
    flash(_("The team %(name)s is added.", name=team.name), "success")
    return redirect(url_for("drills.setup_teams", drill_id=drill_id))


@allow("drill.setup")
def import_teams(drill_id: int):
    session = db.session()
    drill = drill_for_setup(drill_id)
    form = ImportTeamsForm()
    if not form.validate_on_submit():
        return _teams_page(drill, import_form=form, status=422)
    try:
        added = teams.import_teams(session, drill, form.rows.data, current_user)
    except setup_service.SetupError as error:
        refused(error)
        flash(_("No team was added: correct the rows above and send them again."), "error")
        return _teams_page(session.get(Drill, drill_id), import_form=form, status=422)
    session.commit()
    flash(_("%(n)s teams are added.", n=len(added)), "success")
    return redirect(url_for("drills.setup_teams", drill_id=drill_id))


def team_page(team: Team, form=None, person_form=None, status=200):
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
        members=people.members(session, team),
        button=ButtonForm(),
    ), status


@allow("drill.setup")
def setup_team(team_id: int):
    return team_page(team_for_setup(team_id))


@allow("drill.setup")
def edit_team(team_id: int):
    session = db.session()
    team = team_for_setup(team_id)
    form = TeamForm()
    form.country.choices = _country_choices(session)
    if not form.validate_on_submit():
        return team_page(team, form=form, status=422)
    try:
        teams.update_team(
            session, team, form.country.data, form.name.data, form.tags.data, current_user
        )
    except setup_service.SetupError as error:
        refused(error)
        return team_page(session.get(Team, team_id), form=form, status=422)
    session.commit()
    flash(_("Saved."), "success")
    return redirect(url_for("drills.setup_team", team_id=team_id))


@allow("drill.setup")
def remove_team(team_id: int):
    session = db.session()
    team = team_for_setup(team_id)
    drill_id = team.drill_id
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        teams.remove_team(session, team, current_user)
    except setup_service.SetupError as error:
        refused(error)
        return redirect(url_for("drills.setup_team", team_id=team_id))
    session.commit()
    flash(_("The team is removed."), "success")
    return redirect(url_for("drills.setup_teams", drill_id=drill_id))


# --- people -----------------------------------------------------------------------------


# --- the contact check ------------------------------------------------------------------
