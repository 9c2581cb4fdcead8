"""Admin pages of the shell: users and invitations, the audit log, the outbox."""

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

from core import accounts, audit, countries, db, invitations, outbox
from core.forms import (
    OUTBOX_KIND_LABELS,
    OUTBOX_STATUS_LABELS,
    ButtonForm,
    InviteForm,
    UserEditForm,
    UserForm,
)
from core.models import Country, Invitation, OutboxMessage, User, utcnow
from core.policy import allow


@allow("users.manage")
def users():
    form = UserForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = accounts.create_user(
                db.session(),
                email=form.email.data,
                name=form.name.data,
                role=form.role.data,
                password=form.password.data,
                country_iso3=form.country.data or None,
                actor=current_user,
            )
        except accounts.AccountError as error:
            db.session().rollback()
            form.email.errors.append(str(error))
        else:
            db.session().commit()
            flash(_("User %(email)s created.", email=user.email), "success")
            return redirect(url_for("core.users"))
    if form.errors:
        status = 400
    all_users = accounts.all_users(db.session())
    country_names = countries.names_by_id(db.session())
    return render_template(
        "core/users.html", form=form, users=all_users, country_names=country_names
    ), status


def _user_form(user: User, formdata=None) -> UserEditForm:
    country = db.session().get(Country, user.country_id) if user.country_id else None
    form = UserEditForm(
        formdata=formdata,
        data={"role": user.role, "country": country.iso3 if country else "", "active": user.active},
    )
    form.country.choices = [("", "—")] + [
        (c.iso3, c.name) for c in countries.list_countries(db.session())
    ]
    return form


@allow("users.manage")
def edit_user(user_id: int):
    """An admin changes a person's role, country or whether they may sign in; every change
    is audited and signs the person out everywhere."""
    user = db.session().get(User, user_id)
    if user is None:
        abort(404)
    form = _user_form(user, formdata=request.form if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.validate():
        try:
            changed = accounts.update_user(
                db.session(),
                user,
                role=form.role.data,
                country_iso3=form.country.data or None,
                active=form.active.data,
                actor=current_user,
            )
        except accounts.AccountError as error:
            db.session().rollback()
            form.role.errors.append(str(error))
        else:
            db.session().commit()
            if changed:
                flash(
                    _("%(name)s's account is changed and signed out everywhere.", name=user.name),
                    "success",
                )
            return redirect(url_for("core.users"))
    if form.errors:
        status = 400
    return render_template("core/user_edit.html", form=form, person=user), status


def _invite_page(form: InviteForm, status: int = 200):
    return render_template(
        "core/invite.html",
        form=form,
        invitations=invitations.open_invitations(db.session()),
        country_names=countries.names_by_id(db.session()),
        now=utcnow(),
        status_of=invitations.status,
        resend_form=ButtonForm(),
    ), status


def _invite_form() -> InviteForm:
    form = InviteForm()
    form.country.choices = [("", "—")] + [
        (str(c.id), c.name) for c in countries.list_countries(db.session())
    ]
    return form


@allow("users.manage")
def invite_user():
    form = _invite_form()
    if not form.validate_on_submit():
        return _invite_page(form, 400 if form.errors else 200)
    try:
        invitation, _token = invitations.issue(
            db.session(),
            email=form.email.data,
            role=form.role.data,
            country_id=int(form.country.data) if form.country.data else None,
            created_by=current_user,
        )
    except invitations.InvitationError as error:
        db.session().rollback()
        form.email.errors.append(str(error))
        return _invite_page(form, 400)
    db.session().commit()
    flash(_("An invitation is on its way to %(email)s.", email=invitation.email), "success")
    return redirect(url_for("core.invite_user"))


@allow("users.manage")
def resend_invitation(invitation_id: int):
    invitation = db.session().get(Invitation, invitation_id)
    if invitation is None:
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        invitations.resend(db.session(), invitation, current_user)
    except invitations.InvitationError as error:
        flash(str(error), "warning")
    else:
        db.session().commit()
        flash(
            _(
                "A new link is on its way to %(email)s; the old one no longer works.",
                email=invitation.email,
            ),
            "success",
        )
    return redirect(url_for("core.invite_user"))


@allow("audit.read")
def audit_log():
    events = audit.recent(db.session(), limit=200)
    emails = accounts.emails_by_id(db.session())
    return render_template("core/audit.html", events=events, emails=emails)


@allow("outbox.read")
def outbox_page():
    status = request.args.get("status") or None
    if status and status not in outbox.STATUSES:
        abort(400, _("Unknown status."))
    return render_template(
        "core/outbox.html",
        messages=outbox.messages(db.session(), status=status),
        counts=outbox.counts(db.session()),
        status=status,
        status_labels=OUTBOX_STATUS_LABELS,
        kind_labels=OUTBOX_KIND_LABELS,
    )


@allow("outbox.retry")
def retry_message(message_id: int):
    message = db.session().get(OutboxMessage, message_id)
    if message is None:
        abort(404)
    try:
        outbox.retry(db.session(), message, current_user)
    except outbox.OutboxError:
        flash(
            _(
                "Only a failed message can be retried; this one is %(status)s.",
                status=OUTBOX_STATUS_LABELS[message.status],
            ),
            "warning",
        )
    else:
        db.session().commit()
        flash(
            _(
                "The message to %(to)s goes out again on the scheduler's next tick.",
                to=message.to_address,
            ),
            "success",
        )
    return redirect(url_for("core.outbox", status=request.form.get("status") or None))
