"""The drills' tables, in one module because several features share them: a drill, its teams,
members, evaluators and observers (setup), pauses, releases, overrides and broadcasts (control),
drafts, submissions, hints, acknowledgements and the team log (console), observations (evaluation),
hot-wash answers, rating overrides and improvement items (aftermath) and the stored
after-action reports (reports). Writes that change what a console shows renew the drill's or
the team's revision (`_stamp_revisions`), which the console's ETag and the caches key on.

No `from __future__ import annotations` here: SQLModel resolves relationship types at runtime.
"""

import secrets
from datetime import date, datetime

from sqlalchemy import JSON, Column, LargeBinary, UniqueConstraint, event, false
from sqlalchemy.orm import Session
from sqlmodel import Field, Relationship, SQLModel

from core.models import utcnow


def new_revision() -> str:
    """A fresh random stamp, never reused: a change that is rolled back cannot leave behind a
    cached result that a later change would pick up, as a counter's number could."""
    return secrets.token_hex(8)


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
    # Set up by the trainer (drills/setup/); read by invitations and the scoreboard.
    registration_opens_at: datetime | None = None
    registration_closes_at: datetime | None = None
    scoreboard_visible: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    scoreboard_freeze_minutes: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    email_injects: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    # The handling marking the trainer chose for the after-action reports.
    report_marking: str = Field(
        default="TLP:AMBER", max_length=20, sa_column_kwargs={"server_default": "TLP:AMBER"}
    )
    # Stamped anew in the transaction of every broadcast, pause and override (see
    # _stamp_revisions): what every console computes is cached by it (drills/facts.py).
    revision: str = Field(
        default_factory=new_revision, max_length=16, sa_column_kwargs={"server_default": "0"}
    )

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
    # Stamped anew in the transaction of every submission and score of the team.
    revision: str = Field(
        default_factory=new_revision, max_length=16, sa_column_kwargs={"server_default": "0"}
    )

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


# --- what teams do during a drill, and how it is scored ----------------------------------


class ResponseDraft(SQLModel, table=True):
    """A team's answer being written, saved as it is typed so nothing is lost."""

    __tablename__ = "drill_response_draft"

    team_id: int = Field(foreign_key="drill_team.id", primary_key=True)
    inject_id: str = Field(max_length=40, primary_key=True)
    response_id: str = Field(max_length=40, primary_key=True)
    answer: dict = Field(sa_column=Column(JSON, nullable=False))  # {"v": the answer}
    updated_at: datetime = Field(default_factory=utcnow)
    updated_by_id: int | None = Field(default=None, foreign_key="user_account.id")


class Submission(SQLModel, table=True):
    """One submitted answer. Its points name where they came from: the automatic rule (with
    decay and hint costs) or the evaluator who scored it, so every point can be traced."""

    __tablename__ = "drill_submission"
    __table_args__ = (UniqueConstraint("team_id", "inject_id", "response_id", "attempt"),)

    id: int | None = Field(default=None, primary_key=True)
    drill_id: int = Field(foreign_key="drill.id", index=True)
    team_id: int = Field(foreign_key="drill_team.id", index=True)
    inject_id: str = Field(max_length=40)
    response_id: str = Field(max_length=40)
    attempt: int = 1
    answer: dict = Field(sa_column=Column(JSON, nullable=False))  # {"v": the answer}
    submitted_at: datetime = Field(default_factory=utcnow)
    submitted_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    drill_minute: float  # on the drill clock, when submitted
    release_minute: float  # when the inject reached the team (the decay counts from here)
    hints_opened: int = 0
    max_points: float
    correct: bool | None = None  # None until an evaluator scores it
    points: float | None = None
    verdict_minute: float | None = None  # drill minute the result became known (branching)
    scored_at: datetime | None = None
    scored_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    rule: str = Field(default="", max_length=300)  # how the points were reached
    note: str = Field(default="", max_length=2000)  # the evaluator's reasons
    criteria_met: list | None = Field(default=None, sa_column=Column(JSON, nullable=True))


class HintOpening(SQLModel, table=True):
    __tablename__ = "drill_hint_opening"

    team_id: int = Field(foreign_key="drill_team.id", primary_key=True)
    inject_id: str = Field(max_length=40, primary_key=True)
    response_id: str = Field(max_length=40, primary_key=True)
    hint_index: int = Field(primary_key=True)
    opened_at: datetime = Field(default_factory=utcnow)
    opened_by_id: int | None = Field(default=None, foreign_key="user_account.id")


class InjectAck(SQLModel, table=True):
    """A team acknowledged an inject: the time goes into the after-action timeline."""

    __tablename__ = "drill_inject_ack"

    team_id: int = Field(foreign_key="drill_team.id", primary_key=True)
    inject_id: str = Field(max_length=40, primary_key=True)
    acknowledged_at: datetime = Field(default_factory=utcnow)
    acknowledged_by_id: int | None = Field(default=None, foreign_key="user_account.id")


class TeamLogEntry(SQLModel, table=True):
    """The team's own log of notes and decisions."""

    __tablename__ = "drill_team_log"

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="drill_team.id", index=True)
    user_id: int | None = Field(default=None, foreign_key="user_account.id")
    text: str = Field(max_length=4000)
    created_at: datetime = Field(default_factory=utcnow)


class Broadcast(SQLModel, table=True):
    """A message from the trainer to every team of the drill."""

    __tablename__ = "drill_broadcast"

    id: int | None = Field(default=None, primary_key=True)
    drill_id: int = Field(foreign_key="drill.id", index=True)
    text: str = Field(max_length=2000)
    created_at: datetime = Field(default_factory=utcnow)
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")


class InjectOverride(SQLModel, table=True):
    """The trainer held an inject back or released it now, for one team or (team None) for
    all. The newest override of an inject for a team wins."""

    __tablename__ = "drill_inject_override"

    id: int | None = Field(default=None, primary_key=True)
    drill_id: int = Field(foreign_key="drill.id", index=True)
    inject_id: str = Field(max_length=40)
    team_id: int | None = Field(default=None, foreign_key="drill_team.id")
    action: str = Field(max_length=10)  # hold | release
    drill_minute: float  # the drill clock when the trainer acted
    created_at: datetime = Field(default_factory=utcnow)
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")


class Observation(SQLModel, table=True):
    """What an evaluator saw, tagged to an objective: a strength or an area for improvement.
    The after-action report draws on these."""

    __tablename__ = "drill_observation"

    id: int | None = Field(default=None, primary_key=True)
    drill_id: int = Field(foreign_key="drill.id", index=True)
    team_id: int | None = Field(default=None, foreign_key="drill_team.id")
    objective_id: str = Field(max_length=40)
    kind: str = Field(max_length=12)  # strength | improvement
    text: str = Field(max_length=4000)
    evaluator_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow)


# --- after the drill: the hot wash, ratings, the improvement plan and the reports ----------


class HotwashAnswer(SQLModel, table=True):
    """A participant's short feedback when the drill ends. One per person and drill; when
    anonymous, the person is kept only as a salted hash, enough to refuse a second answer."""

    __tablename__ = "drill_hotwash"
    __table_args__ = (
        UniqueConstraint("drill_id", "respondent", name="uq_drill_hotwash_respondent"),
    )

    id: int | None = Field(default=None, primary_key=True)
    drill_id: int = Field(foreign_key="drill.id", index=True)
    team_id: int | None = Field(default=None, foreign_key="drill_team.id")
    user_id: int | None = Field(default=None, foreign_key="user_account.id")  # None: anonymous
    respondent: str = Field(max_length=64)  # sha256 of secret key, drill and user
    went_well: str = Field(default="", max_length=4000)
    went_badly: str = Field(default="", max_length=4000)
    rating: int  # 1 (poor) to 5 (excellent)
    created_at: datetime = Field(default_factory=utcnow)


class RatingOverride(SQLModel, table=True):
    """An evaluator's P/S/M/U rating of a team on an objective, in place of the one derived
    from the scores, with the reason. The newest one counts."""

    __tablename__ = "drill_rating_override"

    id: int | None = Field(default=None, primary_key=True)
    drill_id: int = Field(foreign_key="drill.id", index=True)
    team_id: int = Field(foreign_key="drill_team.id")
    objective_id: str = Field(max_length=40)
    rating: str = Field(max_length=1)  # P | S | M | U
    reason: str = Field(max_length=2000)
    evaluator_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow)


class ImprovementItem(SQLModel, table=True):
    """A row of the improvement plan (HSEEP IP matrix), for the drill or for one team."""

    __tablename__ = "drill_improvement"

    id: int | None = Field(default=None, primary_key=True)
    drill_id: int = Field(foreign_key="drill.id", index=True)
    team_id: int | None = Field(default=None, foreign_key="drill_team.id")
    objective_id: str | None = Field(default=None, max_length=40)
    capability: str = Field(max_length=200)
    issue: str = Field(max_length=2000)
    corrective_action: str = Field(max_length=2000)
    # planning | organisation | equipment | training | exercise
    capability_element: str = Field(max_length=20)
    responsible_org: str = Field(max_length=200)
    contact: str = Field(default="", max_length=200)
    start_date: date | None = None
    completion_date: date | None = None
    version: int = 1
    updated_at: datetime = Field(default_factory=utcnow)
    updated_by_id: int | None = Field(default=None, foreign_key="user_account.id")


class AfterActionReport(SQLModel, table=True):
    """One generated after-action report: the whole drill (team None) or one team's. Each
    generation is a new version with the data it was built from and the PDF's checksum; a
    finalised version never changes (generating again makes a new version)."""

    __tablename__ = "drill_report"
    __table_args__ = (
        UniqueConstraint("drill_id", "scope", "version", name="uq_drill_report_version"),
    )

    id: int | None = Field(default=None, primary_key=True)
    drill_id: int = Field(foreign_key="drill.id", index=True)
    team_id: int | None = Field(default=None, foreign_key="drill_team.id")
    scope: str = Field(max_length=20)  # "drill" or "team-<id>"
    version: int
    marking: str = Field(max_length=20)
    data: dict = Field(sa_column=Column(JSON, nullable=False))
    pdf: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    checksum: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    created_by_id: int | None = Field(
        default=None, foreign_key="user_account.id"
    )  # None: scheduler
    finalised_at: datetime | None = None
    finalised_by_id: int | None = Field(default=None, foreign_key="user_account.id")


@event.listens_for(Session, "before_flush")
def _stamp_revisions(session, _context, _instances) -> None:
    """Whatever writes an answer, a score, a broadcast, a pause or an override (a use case, the
    scheduler, a test) stamps a new revision on the team or drill in the same flush, so a
    console's cached facts are never read for a state they do not describe."""
    drill_ids, team_ids = set(), set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Submission):
            team_ids.add(obj.team_id)
        elif isinstance(obj, Broadcast | DrillPause | InjectOverride):
            drill_ids.add(obj.drill_id)
    for model, ids in ((Team, team_ids), (Drill, drill_ids)):
        for found in filter(None, (session.get(model, i) for i in ids if i is not None)):
            found.revision = new_revision()
