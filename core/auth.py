"""Flask-Login wiring: the only module that configures it (it is unmaintained since 2023, so
keep it replaceable). Browsers sign in with a session cookie; scripts send
`Authorization: Bearer <personal token>` and are then authenticated by the token alone."""

from __future__ import annotations

from flask import Flask, flash, g, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager
from werkzeug.exceptions import Unauthorized

from core import accounts, db

login_manager = LoginManager()
STALE_SESSION_MESSAGE = _l(
    "Your session has ended (you signed out elsewhere, or your password changed). "
    "Please sign in again."
)


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


def wants_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


@login_manager.user_loader
def _load_from_session(session_id: str):
    if bearer_token() is not None:
        return None  # a token request ignores any cookie it carries (no CSRF bypass)
    user = accounts.load_session_user(db.session(), session_id)
    if user is None:
        g.stale_session = True
    return user


@login_manager.request_loader
def _load_from_token(_request):
    token = bearer_token()
    if token is None:
        return None
    g.token_auth = True
    return accounts.user_for_token(db.session(), token)


@login_manager.unauthorized_handler
def _unauthorized():
    stale = g.get("stale_session", False)
    if stale:
        session.clear()  # drop the dead id so the next page is a plain anonymous one
    if wants_json() or g.get("token_auth"):
        message = STALE_SESSION_MESSAGE if stale else _l("Sign in, or send a valid API token.")
        raise Unauthorized(str(message))
    if stale:
        flash(str(STALE_SESSION_MESSAGE), "warning")
    else:
        flash(str(_l("Please sign in to open this page.")), "info")
    return redirect(url_for("core.login", next=request.full_path.rstrip("?")))


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.session_protection = "basic"
