"""Setup pages for a drill's people: team members and invitations, evaluators and observers, and
the contact check."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core import db
from core.models import User, utcnow
from core.policy import allow, authorize
from drills.lookup import refused
from drills.models import Comcheck, Drill, Team
from drills.setup import comcheck as comchecks
from drills.setup import people
from drills.setup import service as setup_service
from drills.setup.forms import (
    ButtonForm,
    ComcheckForm,
    PersonForm,
)
from drills.setup.views import drill_for_setup, team_for_setup, team_page


@allow("drill.setup")
def add_member(team_id: int):
    session = db.session()
    team = team_for_setup(team_id)
    form = PersonForm()
    if not form.validate_on_submit():
        return team_page(team, person_form=form, status=422)
    try:
        if people.has_account(session, form.email.data):
            user = people.user_by_email(session, form.email.data)
            people.add_member(session, team, user, actor=current_user)
            done = _("%(name)s is in the team.", name=user.name)
        else:
            address = people.invite_member(session, team, form.email.data, current_user)
            done = _(
                "%(email)s has no account yet: an invitation to join the team is on its way.",
                email=address,
            )
    except setup_service.SetupError as error:
        refused(error)
        return team_page(session.get(Team, team_id), person_form=form, status=422)
    session.commit()
    flash(done, "success")
    return redirect(url_for("drills.setup_team", team_id=team_id))


def _user(user_id: int) -> User:
    user = db.session().get(User, user_id)
    if user is None:
        abort(404)
    return user


@allow("drill.setup")
def remove_member(team_id: int, user_id: int):
    session = db.session()
    team = team_for_setup(team_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        people.remove_member(session, team, _user(user_id), current_user)
    except setup_service.SetupError as error:
        refused(error)
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
        people={kind: people.people(session, drill, kind) for kind in people.PEOPLE_LINKS},
        forms={kind: forms.get(kind) or PersonForm(prefix=kind) for kind in people.PEOPLE_LINKS},
        button=ButtonForm(),
        teams=sorted(drill.teams, key=lambda t: t.name.casefold()),
    ), status


@allow("drill.setup")
def setup_people(drill_id: int):
    return _people_page(drill_for_setup(drill_id))


@allow("drill.setup")
def add_person(drill_id: int, kind: str):
    session = db.session()
    drill = drill_for_setup(drill_id)
    form = PersonForm(prefix=kind)
    if not form.validate_on_submit():
        return _people_page(drill, {kind: form}, status=422)
    adding = people.add_evaluator if kind == "evaluator" else people.add_observer
    try:
        user = people.user_by_email(session, form.email.data)
        adding(session, drill, user, current_user)
    except setup_service.SetupError as error:
        refused(error)
        return _people_page(session.get(Drill, drill_id), {kind: form}, status=422)
    session.commit()
    flash(_("%(name)s is added.", name=user.name), "success")
    return redirect(url_for("drills.setup_people", drill_id=drill_id))


@allow("drill.setup")
def remove_person(drill_id: int, kind: str, user_id: int):
    session = db.session()
    drill = drill_for_setup(drill_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        people.remove_person(session, drill, kind, _user(user_id), current_user)
    except setup_service.SetupError as error:
        refused(error)
    else:
        session.commit()
        flash(_("Removed from the drill."), "success")
    return redirect(url_for("drills.setup_people", drill_id=drill_id))


@allow("drill.setup")
def comcheck(drill_id: int):
    session = db.session()
    drill = drill_for_setup(drill_id)
    form = ComcheckForm()
    status = 200
    if form.validate_on_submit():
        try:
            comchecks.start_comcheck(session, drill, form.message.data, current_user, utcnow())
        except setup_service.SetupError as error:
            refused(error)
            status = 422
        else:
            session.commit()
            flash(_("The contact check is sent to every team."), "success")
            return redirect(url_for("drills.comcheck", drill_id=drill_id))
    elif form.errors:
        status = 422
    check = comchecks.latest_comcheck(session, drill)
    status_rows = comchecks.comcheck_status(session, check) if check else []
    return render_template(
        "drills/setup/comcheck.html", drill=drill, form=form, check=check, rows=status_rows
    ), status


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
    comchecks.confirm_comcheck(session, check, team, current_user, utcnow())
    session.commit()
    flash(_("Thank you: your contact check is confirmed."), "success")
    return redirect(url_for("drills.team", team_id=team_id))


def comcheck_for(team: Team):
    """For the team console: the latest comcheck and when the signed-in member confirmed."""
    return comchecks.comcheck_for(db.session(), team, current_user)
