"""Pages of a person's own account: sign in and out, language, password, time zone, API
tokens, and accepting an invitation."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import COOKIE_NAME as REMEMBER_COOKIE
from flask_login import current_user, login_user, logout_user

from core import accounts, db, invitations, password_reset
from core.forms import (
    AcceptInvitationForm,
    ButtonForm,
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    ResetPasswordForm,
    TimeZoneForm,
    TokenForm,
)
from core.models import ApiToken, Country, Invitation, utcnow
from core.policy import allow, authorize
from core.security import limiter


def _safe_next(target: str | None) -> str:
    # Only same-site paths: never let ?next= send a user to another host.
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("core.index")


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


@allow("account.manage")
def account():
    return _account_page()


@allow("account.manage")
def change_password():
    form = ChangePasswordForm(prefix="pw")
    if form.validate_on_submit():
        try:
            accounts.change_password(db.session(), current_user, form.current.data, form.new.data)
        except accounts.PasswordRefused as error:
            form.new.errors.append(str(error))
        except accounts.AccountError as error:
            form.current.errors.append(str(error))
        else:
            db.session().commit()
            login_user(current_user._get_current_object())  # this session, with its new token
            flash(_("Your password is changed. Other sessions are signed out."), "success")
            return redirect(url_for("core.account"))
    return _account_page(password_form=form, status=400)


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


@allow("account.manage")
def create_token():
    form = TokenForm(prefix="tok")
    if not form.validate_on_submit():
        return _account_page(token_form=form, status=400)
    _token, plain = accounts.create_token(db.session(), current_user, form.name.data)
    db.session().commit()
    return _account_page(new_token=plain)


@allow("account.manage")
def revoke_token(token_id: int):
    token = db.session().get(ApiToken, token_id)
    authorize("token.revoke", token)
    accounts.revoke_token(db.session(), token, current_user)
    db.session().commit()
    flash(_("The token is revoked."), "success")
    return redirect(url_for("core.account"))


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


@allow("public")
@limiter.limit(lambda: current_app.config["RESET_RATE_LIMIT"], methods=["POST"])
def forgot_password():
    """Ask for a reset link. The answer is the same whether or not the address has an
    account, so the page does not tell who has one."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        password_reset.request_reset(db.session(), form.email.data)
        db.session().commit()
        flash(
            _(
                "If %(email)s has an account, a link to choose a new password is on its way. "
                "It works once, for one hour.",
                email=form.email.data,
            ),
            "info",
        )
        return redirect(url_for("core.login"))
    status = 400 if form.errors else 200
    return render_template("core/password_forgot.html", form=form), status


@allow("public")
@limiter.limit(lambda: current_app.config["RESET_RATE_LIMIT"], methods=["POST"])
def reset_password(token: str):
    user = password_reset.user_for_reset(db.session(), token)
    if user is None:
        return render_template("core/password_reset_closed.html"), 410
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            password_reset.reset(db.session(), user, form.new.data)
        except accounts.AccountError as error:
            form.new.errors.append(str(error))
        else:
            db.session().commit()
            logout_user()
            session.clear()
            flash(_("Your password is changed. Sign in with it."), "success")
            return redirect(url_for("core.login"))
    status = 400 if form.errors else 200
    return render_template(
        "core/password_reset.html", form=form, user=user, min_length=accounts.MIN_PASSWORD_LENGTH
    ), status
