"""Drill tables. For now only what the shell needs to bind people to drills: evaluators to
drills and participants to teams (a CIRT member may play in many drills); the drills issue
adds schedule, injects and responses.

No `from __future__ import annotations` here: SQLModel resolves relationship types at runtime.
"""

from datetime import datetime

from sqlalchemy import JSON, Column, UniqueConstraint, false
from sqlmodel import Field, Relationship, SQLModel

from core.models import utcnow


class Drill(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=160)
    state: str = Field(default="scheduled", max_length=20)
    starts_at: datetime
    time_zone: str = Field(default="UTC", max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    # The frozen scenario version the drill runs (None only for drills made before scenarios).
    scenario_version_id: int | None = Field(default=None, foreign_key="scenario_version.id")
    compression: float = Field(default=1.0, sa_column_kwargs={"server_default": "1"})
    extra_minutes: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    ended_at: datetime | None = None
    # Set up by the trainer (drills/setup.py); read by invitations and the scoreboard.
    registration_opens_at: datetime | None = None
    registration_closes_at: datetime | None = None
    scoreboard_visible: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    scoreboard_freeze_minutes: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    email_injects: bool = Field(default=False, sa_column_kwargs={"server_default": false()})

    teams: list["Team"] = Relationship(back_populates="drill")
    evaluators: list["DrillEvaluator"] = Relationship()
    observers: list["DrillObserver"] = Relationship()


class Team(SQLModel, table=True):
    __tablename__ = "drill_team"

    id: int | None = Field(default=None, primary_key=True)
    drill_id: int = Field(foreign_key="drill.id", index=True)
    country_id: int | None = Field(default=None, foreign_key="country.id")
    name: str = Field(max_length=160)
    # Inject audiences pick teams by tag (e.g. sector-health); None means no tags.
    tags: list | None = Field(default=None, sa_column=Column(JSON, nullable=True))

    drill: "Drill" = Relationship(back_populates="teams")
    members: list["TeamMember"] = Relationship()


class DrillEvaluator(SQLModel, table=True):
    __tablename__ = "drill_evaluator"

    drill_id: int = Field(foreign_key="drill.id", primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", primary_key=True)


class TeamMember(SQLModel, table=True):
    __tablename__ = "drill_team_member"

    team_id: int = Field(foreign_key="drill_team.id", primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", primary_key=True, index=True)


class DrillPause(SQLModel, table=True):
    __tablename__ = "drill_pause"

    id: int | None = Field(default=None, primary_key=True)
    drill_id: int = Field(foreign_key="drill.id", index=True)
    started_at: datetime
    ended_at: datetime | None = None


class InjectRelease(SQLModel, table=True):
    """One row per inject per team, written once: the unique key is the claim, so two
    scheduler processes, or a restart in the middle, never release anything twice."""

    __tablename__ = "inject_release"
    __table_args__ = (UniqueConstraint("drill_id", "team_id", "inject_id"),)

    id: int | None = Field(default=None, primary_key=True)
    drill_id: int = Field(foreign_key="drill.id", index=True)
    team_id: int = Field(foreign_key="drill_team.id", index=True)
    inject_id: str = Field(max_length=40)
    drill_minute: float  # when it fell due on the drill clock
    due_at: datetime  # the real time that minute was reached
    released_at: datetime = Field(default_factory=utcnow)  # when the scheduler recorded it


class DrillObserver(SQLModel, table=True):
    """Someone who may watch the control room of one drill but not control it."""

    __tablename__ = "drill_observer"

    drill_id: int = Field(foreign_key="drill.id", primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", primary_key=True)


class Comcheck(SQLModel, table=True):
    """A contact check: the trainer's message that every participant confirms."""

    __tablename__ = "drill_comcheck"

    id: int | None = Field(default=None, primary_key=True)
    drill_id: int = Field(foreign_key="drill.id", index=True)
    message: str = Field(max_length=500)
    started_at: datetime = Field(default_factory=utcnow)
    started_by_id: int | None = Field(default=None, foreign_key="user_account.id")


class ComcheckConfirmation(SQLModel, table=True):
    __tablename__ = "drill_comcheck_confirmation"

    comcheck_id: int = Field(foreign_key="drill_comcheck.id", primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", primary_key=True)
    team_id: int = Field(foreign_key="drill_team.id")
    confirmed_at: datetime = Field(default_factory=utcnow)
