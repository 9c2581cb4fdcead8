"""GCI tables: cycles, framework versions (the framework document as data), answers, and
result snapshots with one row per country.

No `from __future__ import annotations` here: SQLModel reads the annotations at runtime.
"""

from datetime import date, datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from core.models import utcnow


class Cycle(SQLModel, table=True):
    """An edition of the index, such as GCI 2024."""

    __tablename__ = "gci_cycle"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True, index=True)
    name: str = Field(max_length=200)
    year: int
    previous_cycle_id: int | None = Field(default=None, foreign_key="gci_cycle.id")
    # Imported results of an earlier edition: read-only, no framework or answers.
    historic: bool = False
    # Historic cycles carry their tiers here; computed cycles take them from the framework.
    tiers: list | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    created_at: datetime = Field(default_factory=utcnow)
    # The questionnaire window: focal points answer from opens_on to closes_on (inclusive).
    # No opening date: the questionnaire is not open to focal points.
    opens_on: date | None = None
    closes_on: date | None = None
    # Whether focal points see the score their current answers would earn.
    show_whatif: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})


class FrameworkVersion(SQLModel, table=True):
    """One version of a cycle's framework. Frozen once published results use it; an edit of a
    frozen version makes a new version."""

    __tablename__ = "gci_framework"
    __table_args__ = (UniqueConstraint("cycle_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="gci_cycle.id", index=True)
    version: int
    document: dict = Field(sa_column=Column(JSON, nullable=False))
    checksum: str = Field(max_length=64)
    frozen: bool = False
    created_at: datetime = Field(default_factory=utcnow)
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")


class Answer(SQLModel, table=True):
    """A country's answer to one question of a cycle (by the question's stable code)."""

    __tablename__ = "gci_answer"
    __table_args__ = (UniqueConstraint("cycle_id", "country_id", "question_code"),)

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="gci_cycle.id", index=True)
    country_id: int = Field(foreign_key="country.id", index=True)
    question_code: str = Field(max_length=40)
    value: dict = Field(sa_column=Column(JSON, nullable=False))  # {"v": the answer}
    accepted: bool = False
    version: int = 1
    updated_at: datetime = Field(default_factory=utcnow)
    updated_by_id: int | None = Field(default=None, foreign_key="user_account.id")

    @classmethod
    def new(cls, cycle_id: int, country_id: int, code: str, value, accepted: bool = False):
        """A first answer row (version 1), its value stored as {"v": value}."""
        return cls(
            cycle_id=cycle_id,
            country_id=country_id,
            question_code=code,
            value={"v": value},
            accepted=accepted,
        )


class Snapshot(SQLModel, table=True):
    """Results of a whole cycle at one moment. A published snapshot never changes; computing
    again makes a new one."""

    __tablename__ = "gci_snapshot"

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="gci_cycle.id", index=True)
    framework_id: int | None = Field(default=None, foreign_key="gci_framework.id")
    kind: str = Field(max_length=16)  # computed | imported
    placeholder_weights: bool = False
    created_at: datetime = Field(default_factory=utcnow)
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    published_at: datetime | None = None
    note: str = Field(default="", max_length=500)


class CountryResult(SQLModel, table=True):
    __tablename__ = "gci_result"
    __table_args__ = (UniqueConstraint("snapshot_id", "country_id"),)

    id: int | None = Field(default=None, primary_key=True)
    snapshot_id: int = Field(foreign_key="gci_snapshot.id", index=True)
    country_id: int = Field(foreign_key="country.id")
    overall: float
    pillars: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    provisional_overall: float | None = None
    provisional_pillars: dict | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    tier: int | None = None
    tier_name: str | None = Field(default=None, max_length=40)
    rank_global: int | None = None
    rank_region: int | None = None
    rank_groups: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # question code -> [official points, provisional points, state]: the "why this score"
    items: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


# --- the questionnaire -------------------------------------------------------------------


class Questionnaire(SQLModel, table=True):
    """A country's questionnaire in one cycle and where it stands in the workflow
    (gci/questionnaire/workflow.py). Made when the first answer or piece of evidence is
    saved; a country without one has not started."""

    __tablename__ = "gci_questionnaire"
    __table_args__ = (
        UniqueConstraint("cycle_id", "country_id", name="uq_gci_questionnaire_cycle_country"),
    )

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="gci_cycle.id", index=True)
    country_id: int = Field(foreign_key="country.id", index=True)
    state: str = Field(default="draft", max_length=32, index=True)
    # Filled by analysts from public sources for a country that does not answer; the
    # country reviews it when it approves the validated questionnaire.
    secondary_research: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    created_at: datetime = Field(default_factory=utcnow)
    submitted_at: datetime | None = None
    state_changed_at: datetime = Field(default_factory=utcnow)


class Evidence(SQLModel, table=True):
    """A file or a link supporting one answer. Files live outside the web root under a random
    name (`stored_name`); `filename` is only what the download is called."""

    __tablename__ = "gci_evidence"

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="gci_cycle.id", index=True)
    country_id: int = Field(foreign_key="country.id", index=True)
    question_code: str = Field(max_length=40)
    kind: str = Field(max_length=8)  # file | url
    description: str = Field(max_length=500)
    url: str | None = Field(default=None, max_length=2000)
    filename: str | None = Field(default=None, max_length=200)
    stored_name: str | None = Field(default=None, max_length=64)
    content_type: str | None = Field(default=None, max_length=120)
    size: int | None = None
    sha256: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")


class AnswerComment(SQLModel, table=True):
    """The review thread of one answer: an analyst's request for clarification, the focal
    point's reply, an analyst's correction with its reason, or an acceptance note."""

    __tablename__ = "gci_answer_comment"

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="gci_cycle.id", index=True)
    country_id: int = Field(foreign_key="country.id", index=True)
    question_code: str = Field(max_length=40)
    kind: str = Field(max_length=16)  # clarification | reply | correction | accepted
    body: str = Field(default="", max_length=2000)
    author_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow)
