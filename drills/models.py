"""Drill tables. For now only what the shell needs to bind people to drills: evaluators to
drills and participants to teams (a CIRT member may play in many drills); the drills issue
adds schedule, injects and responses.

No `from __future__ import annotations` here: SQLModel resolves relationship types at runtime.
"""

from datetime import datetime

from sqlmodel import Field, Relationship, SQLModel

from core.models import utcnow


class Drill(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=160)
    state: str = Field(default="scheduled", max_length=20)
    starts_at: datetime
    time_zone: str = Field(default="UTC", max_length=64)
    created_at: datetime = Field(default_factory=utcnow)

    teams: list["Team"] = Relationship(back_populates="drill")
    evaluators: list["DrillEvaluator"] = Relationship()


class Team(SQLModel, table=True):
    __tablename__ = "drill_team"

    id: int | None = Field(default=None, primary_key=True)
    drill_id: int = Field(foreign_key="drill.id", index=True)
    country_id: int | None = Field(default=None, foreign_key="country.id")
    name: str = Field(max_length=160)

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
