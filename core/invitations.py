"""Single-use invitations sent by e-mail: an administrator invites a person to create their
account, and other packages invite people to something (a drill team, a country's
questionnaire) through the same link.

Only the SHA-256 of a token is stored. Accepting claims the invitation atomically
(`UPDATE … WHERE used_at IS NULL AND expires_at > now`), so a link works once even when it is
opened twice at the same moment. What accepting means beyond the account is up to the
package that issued the invitation: it registers a handler for its purpose with
`@on_accept("drills.team")`, and core never imports that package.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlmodel import Session, select

from core import accounts, audit, outbox
from core.domain import DomainError
from core.models import Country, Invitation, OutboxMessage, Role, User, as_utc, utcnow

ACCOUNT = "account"  # the purpose that only creates an account
DEFAULT_DAYS = 7

# purpose -> fn(session, user, invitation); it may return a path to take the person to.
Handler = Callable[[Session, User, Invitation], str | None]
_HANDLERS: dict[str, Handler] = {}


class InvitationError(DomainError):
    """An invitation that cannot be issued or accepted; the message says why."""


class InvitationUsed(InvitationError):
    """Someone accepted it a moment earlier (or it expired meanwhile)."""


def on_accept(purpose: str):
    """Register what accepting an invitation of `purpose` does, for example:

        @on_accept("drills.team")
        def join_team(session, user, invitation):
            session.add(TeamMember(team_id=invitation.grant["team_id"], user_id=user.id))

    The handler runs in the accepting transaction (it must not commit); one per purpose.
    """

    def register(fn: Handler) -> Handler:
        _HANDLERS[purpose] = fn
        return fn

    return register


# --- pure logic -------------------------------------------------------------------------


def status(invitation: Invitation | None, now: datetime) -> str:
    """unknown, used, expired or open."""
    if invitation is None:
        return "unknown"
    if invitation.used_at is not None:
        return "used"
    if as_utc(invitation.expires_at) <= now:
        return "expired"
    return "open"


# --- use cases --------------------------------------------------------------------------


def issue(
    session: Session,
    *,
    email: str,
    role: Role | str,
    country_id: int | None = None,
    purpose: str = ACCOUNT,
    grant: dict | None = None,
    days: int = DEFAULT_DAYS,
    created_by: User | None,
    note: str | None = None,
) -> tuple[Invitation, str]:
    """Create an invitation and put its e-mail in the outbox (the caller commits).

    Returns the invitation and its token (the token is never stored; the link in the
    e-mail is /invitations/<token>). For purpose "account" the e-mail must not have an
    account yet; other purposes need a handler registered with `on_accept`.
    """
    try:
        email = accounts.check_email(email)
        role = Role(role)
    except ValueError as error:
        raise InvitationError(str(error)) from None
    if role == Role.focal_point and country_id is None:
        raise InvitationError(_l("A focal point must be bound to a country."))
    if country_id is not None and session.get(Country, country_id) is None:
        raise InvitationError(_l("There is no such country."))
    if purpose != ACCOUNT and purpose not in _HANDLERS:
        raise InvitationError(f"Nothing handles invitations for {purpose!r}; see on_accept().")
    if purpose == ACCOUNT and _account(session, email) is not None:
        raise InvitationError(_l("A user with the e-mail %(email)s exists already.", email=email))
    token = _new_token()
    invitation = Invitation(
        token_hash=accounts.hash_token(token),
        email=email,
        role=role.value,
        country_id=country_id,
        purpose=purpose,
        grant=grant or {},
        note=note[:500] if note else None,
        expires_at=utcnow() + timedelta(days=days),
        created_by=getattr(created_by, "id", None),
    )
    session.add(invitation)
    session.flush()
    _send(session, invitation, token, created_by)
    audit.record(
        session,
        "invitation.issued",
        actor=created_by,
        obj_type="invitation",
        obj_id=invitation.id,
        email=email,
        role=role.value,
        purpose=purpose,
    )
    return invitation, token


def resend(session: Session, invitation: Invitation, actor: User, days: int = DEFAULT_DAYS) -> str:
    """A new link (the old one stops working) with a new expiry, sent again."""
    if invitation.used_at is not None:
        raise InvitationError(_l("This invitation has been accepted already."))
    token = _new_token()
    invitation.token_hash = accounts.hash_token(token)
    invitation.expires_at = utcnow() + timedelta(days=days)
    earlier = session.get(OutboxMessage, invitation.message_id) if invitation.message_id else None
    if earlier is not None:
        outbox.cancel(session, earlier)  # its link no longer works
    session.add(invitation)
    _send(session, invitation, token, actor)
    audit.record(
        session, "invitation.resent", actor=actor, obj_type="invitation", obj_id=invitation.id
    )
    return token


def find(session: Session, token: str) -> Invitation | None:
    return session.exec(
        select(Invitation).where(Invitation.token_hash == accounts.hash_token(token))
    ).first()


def account_for(session: Session, invitation: Invitation) -> User | None:
    return _account(session, invitation.email)


def accept(session: Session, invitation: Invitation, user: User) -> str | None:
    """The signed-in `user`, whose e-mail the invitation names, accepts it.

    Returns the path the purpose's handler wants the person taken to, if any."""
    if accounts.normalize_email(user.email) != invitation.email:
        raise InvitationError(_l("This invitation is for another account."))
    now = _claim(session, invitation)
    return _accepted(session, invitation, user, now)


def accept_with_new_account(
    session: Session, invitation: Invitation, *, name: str, password: str
) -> tuple[User, str | None]:
    """The invited person creates their account (role and country from the invitation)."""
    now = _claim(session, invitation)  # first: a second, simultaneous accept waits here
    country = session.get(Country, invitation.country_id) if invitation.country_id else None
    user = accounts.create_user(
        session,
        email=invitation.email,
        name=name,
        role=invitation.role,
        password=password,
        country_iso3=country.iso3 if country else None,
    )
    return user, _accepted(session, invitation, user, now)


def open_invitations(session: Session) -> list[Invitation]:
    """Not yet accepted (expired ones included: they can be sent again), newest first."""
    query = select(Invitation).where(Invitation.used_at.is_(None)).order_by(Invitation.id.desc())
    return list(session.exec(query))


# --- helpers ----------------------------------------------------------------------------


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def _account(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == email)).first()


def _claim(session: Session, invitation: Invitation) -> datetime:
    now = utcnow()
    claimed = session.execute(
        update(Invitation)
        .where(
            Invitation.id == invitation.id,
            Invitation.used_at.is_(None),
            Invitation.expires_at > now,
        )
        .values(used_at=now)
        .returning(Invitation.id)
        .execution_options(synchronize_session=False)
    ).first()
    if claimed is None:
        raise InvitationUsed(_l("This invitation has been used already or has expired."))
    return now


def _accepted(session: Session, invitation: Invitation, user: User, now) -> str | None:
    invitation.used_at, invitation.used_by = now, user.id
    session.add(invitation)
    handler = _HANDLERS.get(invitation.purpose)
    if handler is None and invitation.purpose != ACCOUNT:
        raise InvitationError(f"Nothing handles invitations for {invitation.purpose!r}.")
    target = handler(session, user, invitation) if handler else None
    audit.record(
        session,
        "invitation.accepted",
        actor=user,
        obj_type="invitation",
        obj_id=invitation.id,
        purpose=invitation.purpose,
    )
    return target


def _send(session: Session, invitation: Invitation, token: str, inviter: User | None) -> None:
    from core.forms import ROLE_LABELS

    country = session.get(Country, invitation.country_id) if invitation.country_id else None
    role = str(ROLE_LABELS[Role(invitation.role)])
    if country:
        role = _("%(role)s for %(country)s", role=role, country=country.name)
    who = inviter.name if inviter else "CyberReady"
    lines = [
        _(
            "%(who)s invites you to CyberReady, the platform for the Global Cybersecurity "
            "Index and national cyberdrills, as %(role)s.",
            who=who,
            role=role,
        )
    ]
    if invitation.note:
        lines += ["", invitation.note]
    lines += [
        "",
        _("Open this link to accept the invitation:"),
        outbox.public_url(f"/invitations/{token}"),
        "",
        _(
            "The link works once, until %(when)s UTC. If you did not expect this "
            "invitation, you can ignore this message.",
            when=f"{as_utc(invitation.expires_at):%Y-%m-%d %H:%M}",
        ),
    ]
    message = outbox.enqueue(
        session,
        invitation.email,
        _("Your invitation to CyberReady"),
        "\n".join(lines) + "\n",
        kind="invitation",
    )
    session.flush()  # the message's id, for the invitation to know it
    invitation.message_id = message.id
    session.add(invitation)
