"""Pages of the shell: home, sign-in, account, users and invitations, audit log, outbox,
countries, health."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import COOKIE_NAME as REMEMBER_COOKIE
from flask_login import current_user, login_user, logout_user

from core import accounts, audit, countries, db, health, invitations, outbox
from core.forms import (
    OUTBOX_KIND_LABELS,
    OUTBOX_STATUS_LABELS,
    ROLE_LABELS,
    AcceptInvitationForm,
    ButtonForm,
    ChangePasswordForm,
    InviteForm,
    LoginForm,
    TimeZoneForm,
    TokenForm,
    UserForm,
)
from core.models import ApiToken, Country, Invitation, ItuRegion, OutboxMessage, utcnow
from core.policy import allow, authorize, can
from core.security import limiter

bp = Blueprint("core", __name__)


@bp.app_context_processor
def _layout_context():
    from core.navigation import navigation

    return {
        "nav_items": navigation(current_user),
        "role_labels": ROLE_LABELS,
        "can": lambda action, obj=None: can(current_user, action, obj),
    }


@bp.get("/")
@allow("public")
def index():
    return render_template("core/index.html")


def _safe_next(target: str | None) -> str:
    # Only same-site paths: never let ?next= send a user to another host.
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("core.index")


@bp.route("/login", methods=["GET", "POST"])
@allow("public")
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(db.session(), form.email.data, form.password.data)
        db.session().commit()  # the audit event is kept whether or not the password matched
        if user is not None:
            session.clear()
            login_user(user, remember=form.remember.data)
            flash(_("Signed in as %(name)s.", name=user.name), "success")
            return redirect(_safe_next(request.args.get("next")))
        # Same message whether the e-mail exists or not.
        form.password.errors.append(_("The e-mail or the password is not correct."))
    status = 400 if form.errors else 200
    return render_template("core/login.html", form=form), status


@bp.post("/logout")
@allow("account.manage")
def logout():
    if request.cookies.get(current_app.config.get("REMEMBER_COOKIE_NAME", REMEMBER_COOKIE)):
        # A lasting cookie cannot be taken back from a copy of it, only made worthless: on a
        # device that kept the person signed in, signing out ends all their sessions.
        accounts.end_all_sessions(db.session(), current_user)
        db.session().commit()
    logout_user()
    session.clear()
    # Clearing the session also dropped Flask-Login's order to delete the remember-me
    # cookie, which would otherwise sign the person in again on their next page.
    session["_remember"] = "clear"
    flash(_("You are signed out."), "info")
    return redirect(url_for("core.index"))


@bp.post("/language")
@allow("public")
def set_language():
    lang = request.form.get("lang", "")
    if lang not in current_app.config["LANGUAGES"]:
        abort(400, _("Unknown language."))
    session["lang"] = lang
    if current_user.is_authenticated:
        # Kept on the account too: e-mails sent to the person later are written in it.
        accounts.set_locale(db.session(), current_user, lang)
        db.session().commit()
    return redirect(_safe_next(request.form.get("next")))


def _account_page(password_form=None, token_form=None, new_token=None, status=200, tz_form=None):
    tokens = accounts.user_tokens(db.session(), current_user)
    country = (
        db.session().get(Country, current_user.country_id) if current_user.country_id else None
    )
    return render_template(
        "core/account.html",
        password_form=password_form or ChangePasswordForm(prefix="pw"),
        token_form=token_form or TokenForm(prefix="tok"),
        tz_form=tz_form or TimeZoneForm(prefix="tz", data={"time_zone": current_user.time_zone}),
        tokens=tokens,
        new_token=new_token,
        country=country,
    ), status


@bp.get("/account")
@allow("account.manage")
def account():
    return _account_page()


@bp.post("/account/password")
@allow("account.manage")
def change_password():
    form = ChangePasswordForm(prefix="pw")
    if form.validate_on_submit():
        try:
            accounts.change_password(db.session(), current_user, form.current.data, form.new.data)
        except accounts.AccountError as error:
            form.current.errors.append(str(error))
        else:
            db.session().commit()
            login_user(current_user._get_current_object())  # this session, with its new token
            flash(_("Your password is changed. Other sessions are signed out."), "success")
            return redirect(url_for("core.account"))
    return _account_page(password_form=form, status=400)


@bp.post("/account/time-zone")
@allow("account.manage")
def set_time_zone():
    form = TimeZoneForm(prefix="tz")
    if form.validate_on_submit():
        try:
            accounts.set_time_zone(db.session(), current_user, form.time_zone.data)
        except accounts.AccountError as error:
            form.time_zone.errors.append(str(error))
        else:
            db.session().commit()
            flash(_("Times are now shown in %(tz)s.", tz=current_user.time_zone), "success")
            return redirect(url_for("core.account"))
    return _account_page(tz_form=form, status=400)


@bp.post("/account/tokens")
@allow("account.manage")
def create_token():
    form = TokenForm(prefix="tok")
    if not form.validate_on_submit():
        return _account_page(token_form=form, status=400)
    _token, plain = accounts.create_token(db.session(), current_user, form.name.data)
    db.session().commit()
    return _account_page(new_token=plain)


@bp.post("/account/tokens/<int:token_id>/revoke")
@allow("account.manage")
def revoke_token(token_id: int):
    token = db.session().get(ApiToken, token_id)
    authorize("token.revoke", token)
    accounts.revoke_token(db.session(), token, current_user)
    db.session().commit()
    flash(_("The token is revoked."), "success")
    return redirect(url_for("core.account"))


@bp.route("/admin/users", methods=["GET", "POST"])
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


@bp.route("/admin/users/invite", methods=["GET", "POST"])
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


@bp.post("/admin/invitations/<int:invitation_id>/resend")
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


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@allow("public")
def invitation(token: str):
    """The link from the e-mail: create the account, or accept as the signed-in account."""
    store = db.session()
    found = invitations.find(store, token)
    state = invitations.status(found, utcnow())
    if state != "open":
        return _invitation_closed(state)
    if current_user.is_authenticated and current_user.email != found.email:
        return _invitation_page(found, "wrong_account", status=403)
    if invitations.account_for(store, found) is None:
        form = AcceptInvitationForm()
        if form.validate_on_submit():
            try:
                user, target = invitations.accept_with_new_account(
                    store, found, name=form.name.data, password=form.password.data
                )
            except invitations.InvitationUsed:
                store.rollback()
                return _invitation_closed("used")
            except (accounts.AccountError, invitations.InvitationError) as error:
                store.rollback()
                form.password.errors.append(str(error))
            else:
                store.commit()
                session.clear()
                login_user(user)
                flash(_("Welcome, %(name)s. Your account is ready.", name=user.name), "success")
                return redirect(_safe_next(target))
        return _invitation_page(found, "new_account", form=form, status=400 if form.errors else 200)
    if not current_user.is_authenticated:
        return _invitation_page(found, "sign_in")
    form = ButtonForm()
    if form.validate_on_submit():
        try:
            target = invitations.accept(store, found, current_user)
        except invitations.InvitationUsed:
            store.rollback()
            return _invitation_closed("used")
        store.commit()
        flash(_("The invitation is accepted."), "success")
        return redirect(_safe_next(target))
    return _invitation_page(found, "confirm", form=form)


def _invitation_page(found: Invitation, mode: str, form=None, status: int = 200):
    country = db.session().get(Country, found.country_id) if found.country_id else None
    response = current_app.make_response(
        (
            render_template(
                "core/invitation.html",
                invitation=found,
                mode=mode,
                form=form,
                country=country,
                min_password=accounts.MIN_PASSWORD_LENGTH,
            ),
            status,
        )
    )
    response.headers["Cache-Control"] = "no-store"  # the address holds the token
    return response


def _invitation_closed(state: str):
    # unknown: mistyped, or replaced by a newer link; used and expired: gone for good.
    status = 404 if state == "unknown" else 410
    response = current_app.make_response(
        (render_template("core/invitation_closed.html", state=state), status)
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/admin/audit")
@allow("audit.read")
def audit_log():
    events = audit.recent(db.session(), limit=200)
    emails = accounts.emails_by_id(db.session())
    return render_template("core/audit.html", events=events, emails=emails)


@bp.get("/admin/outbox", endpoint="outbox")
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


@bp.post("/admin/outbox/<int:message_id>/retry")
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


@bp.get("/countries", endpoint="countries")
@allow("public")
def countries_page():
    region = request.args.get("region") or None
    group = request.args.get("group") or None
    if region and region not in {r.value for r in ItuRegion}:
        abort(400, _("Unknown region."))
    if group and group not in countries.GROUPS:
        abort(400, _("Unknown group."))
    rows = countries.list_countries(db.session(), region=region, group=group)
    return render_template(
        "core/countries.html",
        countries=rows,
        regions=[r.value for r in ItuRegion],
        groups=countries.GROUP_LABELS,
        region=region,
        group=group,
    )


@bp.get("/healthz")
@allow("public")
def healthz():
    ok, report = health.check(db.session(), current_app.config["SCHEDULER_STALE_SECONDS"])
    response = jsonify(report)
    response.status_code = 200 if ok else 503
    response.headers["Cache-Control"] = "no-store"
    return response
