"""Scenario tables: a scenario and its versions. The document of a version is the file format
(scenarios/FORMAT.md); a published version never changes, and drills point at one.

No `from __future__ import annotations` here: SQLModel reads the annotations at runtime.
"""

from datetime import datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from core.models import utcnow


class Scenario(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=80, unique=True, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")


class ScenarioVersion(SQLModel, table=True):
    __tablename__ = "scenario_version"
    __table_args__ = (UniqueConstraint("scenario_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    scenario_id: int = Field(foreign_key="scenario.id", index=True)
    number: int
    state: str = Field(default="draft", max_length=16)  # draft | published
    document: dict = Field(sa_column=Column(JSON, nullable=False))
    checksum: str = Field(max_length=64)
    # Bumped on every save of a draft: a save that names an older value is refused (409).
    revision: int = 1
    created_at: datetime = Field(default_factory=utcnow)
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    published_at: datetime | None = None
