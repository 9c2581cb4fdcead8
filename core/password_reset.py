"""A forgotten password, reset through a single-use link sent by e-mail.

The reset link carries a signed, expiring token bound to the password it replaces: once the
password changes (by this link or otherwise) or every session is ended, the link is dead, so
it works once without a table of its own."""

from __future__ import annotations

import hashlib

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlmodel import Session, select

from core import audit, outbox
from core.accounts import check_password, end_sessions_of, hash_password, normalize_email
from core.models import User

RESET_SALT = "cyberready.password-reset"
RESET_HOURS = 1  # the e-mail and the pages say "one hour"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=RESET_SALT)


def _fingerprint(user: User) -> str:
    """Changes when the password changes or every session is ended: the link dies then."""
    return hashlib.sha256(f"{user.password_hash}:{user.session_token}".encode()).hexdigest()[:20]


def reset_token(user: User) -> str:
    return _serializer().dumps({"u": user.id, "f": _fingerprint(user)})


def user_for_reset(session: Session, token: str) -> User | None:
    """The active user a reset link is for, if it is still valid (signed, not expired, the
    password unchanged since it was sent)."""
    try:
        data = _serializer().loads(token, max_age=RESET_HOURS * 3600)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    user = session.get(User, data["u"])
    if user is None or not user.active or data.get("f") != _fingerprint(user):
        return None
    return user


def request_reset(session: Session, email: str) -> None:
    """Send a reset link to the account with this e-mail, if there is an active one. The
    caller answers the same whether or not there is: who has an account is not told."""
    user = session.exec(select(User).where(User.email == normalize_email(email))).first()
    if user is None or not user.active:
        audit.record(session, "auth.reset_unknown", obj_type="user", email=email[:254])
        return
    link = outbox.public_url(f"/password-reset/{reset_token(user)}")
    with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        body = "\n".join(
            [
                _("Someone asked to reset the password of your CyberReady account %(email)s.",
                  email=user.email),
                "",
                _("Open this link to choose a new password:"),
                link,
                "",
                _(
                    "The link works once, for one hour. If you did not ask for it, ignore this "
                    "message: your password stays as it is."
                ),
            ]
        )  # fmt: skip
        subject = _("Reset your CyberReady password")
    outbox.enqueue(session, user.email, subject, body + "\n", kind="password_reset")
    audit.record(session, "auth.reset_requested", actor=user, obj_type="user", obj_id=user.id)


def reset(session: Session, user: User, new: str) -> None:
    """Set a new password from a reset link: every session and remember-me cookie ends."""
    check_password(new, email=user.email, name=user.name)
    user.password_hash = hash_password(new)
    end_sessions_of(user)
    session.add(user)
    audit.record(session, "auth.password_reset", actor=user, obj_type="user", obj_id=user.id)
