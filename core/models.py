"""Tables of the shell: people, places, tokens, the audit log, the scheduler heartbeat, the
e-mail outbox and invitations."""

from datetime import UTC, datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import JSON, Column, String, Text
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """A stored time as an aware UTC datetime (SQLite hands back naive ones; all are UTC)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class Role(StrEnum):
    admin = "admin"
    analyst = "analyst"
    focal_point = "focal_point"
    trainer = "trainer"
    evaluator = "evaluator"
    participant = "participant"


class ItuRegion(StrEnum):
    africa = "Africa"
    americas = "Americas"
    arab_states = "Arab States"
    asia_pacific = "Asia-Pacific"
    cis = "CIS"
    europe = "Europe"


class Country(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    iso3: str = Field(max_length=3, unique=True, index=True)
    iso2: str = Field(max_length=2, unique=True)
    numeric: str = Field(max_length=3)
    name: str = Field(max_length=120)
    itu_region: str = Field(max_length=20, index=True)
    ldc: bool = False
    lldc: bool = False
    sids: bool = False
    # False for an entity measured by the GCI that is not an ITU Member State.
    itu_member: bool = True


class User(UserMixin, SQLModel, table=True):
    __tablename__ = "user_account"  # "user" is reserved in PostgreSQL

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    name: str = Field(max_length=120)
    role: str = Field(max_length=20)
    password_hash: str = Field(max_length=255)
    # Rotated when the password changes or the account is disabled: every session and
    # "remember me" cookie that carries the old value stops working.
    session_token: str = Field(max_length=64)
    active: bool = True
    country_id: int | None = Field(default=None, foreign_key="country.id", index=True)
    locale: str | None = Field(default=None, max_length=8)
    # IANA name; every time is stored in UTC and shown in this zone.
    time_zone: str = Field(default="UTC", max_length=64, sa_column_kwargs={"server_default": "UTC"})
    created_at: datetime = Field(default_factory=utcnow)
    last_login_at: datetime | None = None

    # Flask-Login
    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles


class ApiToken(SQLModel, table=True):
    """A personal token for scripts: only its SHA-256 is stored, the token is shown once."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    name: str = Field(max_length=80)
    prefix: str = Field(max_length=12)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


class AuditEvent(SQLModel, table=True):
    """Append-only: rows are added in the same transaction as the change they record."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor_id: int | None = Field(default=None, foreign_key="user_account.id", index=True)
    action: str = Field(max_length=64, index=True)
    object_type: str | None = Field(default=None, max_length=40)
    object_id: str | None = Field(default=None, max_length=64)
    ip: str | None = Field(default=None, max_length=64)
    details: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class SchedulerHeartbeat(SQLModel, table=True):
    """One row per running scheduler process; /healthz reads the newest beat."""

    __tablename__ = "scheduler_heartbeat"

    process: str = Field(sa_column=Column(String(120), primary_key=True))
    started_at: datetime = Field(default_factory=utcnow)
    beat_at: datetime = Field(default_factory=utcnow)


class OutboxMessage(SQLModel, table=True):
    """An e-mail waiting for the scheduler, written in the transaction of the change that
    causes it: the message goes out if and only if that change is committed."""

    __tablename__ = "outbox_message"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=40, index=True)
    to_address: str = Field(max_length=254)
    subject: str = Field(max_length=300)
    body_text: str = Field(sa_column=Column(Text, nullable=False))
    # pending -> sending -> sent; back to pending after a failed attempt; failed at the last;
    # cancelled: replaced before it went out (an invitation sent again with a new link).
    status: str = Field(default="pending", max_length=12, index=True)
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow, index=True)
    claimed_at: datetime | None = None
    sent_at: datetime | None = None
    last_error: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(default_factory=utcnow)


class Invitation(SQLModel, table=True):
    """A single-use link sent by e-mail: only the SHA-256 of its token is stored."""

    __tablename__ = "invitation"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    email: str = Field(max_length=254, index=True)
    role: str = Field(max_length=20)
    country_id: int | None = Field(default=None, foreign_key="country.id")
    # What accepting means: "account" only creates the account; other purposes are handled
    # by the package that registered them with core.invitations.on_accept.
    purpose: str = Field(default="account", max_length=40)
    grant: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # A sentence from the inviting package, put in the e-mail ("… to join team Kenya CIRT").
    note: str | None = Field(default=None, max_length=500)
    # The e-mail with the current link: sending a new link cancels it if it has not gone out.
    message_id: int | None = Field(default=None, foreign_key="outbox_message.id")
    expires_at: datetime
    used_at: datetime | None = None
    used_by: int | None = Field(default=None, foreign_key="user_account.id")
    created_by: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow)
