"""What a team sees: the drills a user may see, a team, and the console computed from the
clock and the team's own results at read time (the feed itself is drills/console/rules.py),
beside the team's work and the broadcasts. Read-only; what teams do is drills/console/play.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import joinedload, selectinload
from sqlmodel import Session, select

from core.models import as_utc
from core.policy import can
from drills import scoring, workflow
from drills.clock import real_time_at
from drills.console.rules import REFUSALS, console_etag, feed, feed_body, poll_after
from drills.facts import attempt_of, release_minutes, scenario_of, timing_of
from drills.models import (
    Broadcast,
    Drill,
    HintOpening,
    InjectAck,
    ResponseDraft,
    Submission,
    Team,
    TeamLogEntry,
)
from scenarios.format import model


def visible_drills(session: Session, user) -> list[Drill]:
    query = (
        select(Drill)
        .options(
            selectinload(Drill.evaluators),
            selectinload(Drill.teams).selectinload(Team.members),
        )
        .order_by(Drill.starts_at.desc())
    )
    return [drill for drill in session.exec(query) if can(user, "drill.read", drill)]


def team(session: Session, team_id: int) -> Team | None:
    # Every page of a team reads its drill too: in the same query.
    return session.get(Team, team_id, options=[joinedload(Team.drill)])


def member_teams(drill: Drill, user) -> list[Team]:
    """The teams of the drill the user plays in: core/policy.py decides membership."""
    return [t for t in drill.teams if can(user, "team.play", t)]


@dataclass(frozen=True)
class Console:
    """What a team sees now, computed from the clock and the team's own results at read
    time, so it is right even while the scheduler is down."""

    team: Team
    drill: Drill
    scenario: model.Scenario | None
    elapsed: float
    state: str
    injects: list[tuple[model.Inject, datetime | None]]  # with the real time it arrived
    ends_at: datetime | None
    minutes: dict[str, float | None]  # inject id -> drill minute it reaches the team
    marks: tuple = ()  # what else changes the page: the drill's and the team's revisions
    poll_after: float | None = None  # seconds: see poll_after()

    @property
    def etag(self) -> str:
        return console_etag(self.state, [i.id for i, _ in self.injects], self.marks)

    @property
    def body(self) -> str:
        """The feed's JSON (drills/console/rules.py feed_body)."""
        return feed_body(self.state, self.elapsed, [i.id for i, _ in self.injects])

    def inject(self, inject_id: str) -> model.Inject | None:
        """The inject if the team can see it now."""
        return next((i for i, _ in self.injects if i.id == inject_id), None)


def console(session: Session, team: Team, now: datetime) -> Console:
    drill = team.drill
    scenario = scenario_of(session, drill)
    session.flush()  # an answer or broadcast of this transaction stamps its revision first
    # Broadcasts, pauses and overrides renew the drill's revision; answers and scores the
    # team's (drills/models.py): the page changes with them.
    marks = (drill.revision, team.revision)
    started = as_utc(drill.starts_at) <= now
    if scenario is None or workflow.state_seen(drill.state, started, False) == "scheduled":
        starts = poll_after([as_utc(drill.starts_at)], now)
        return Console(team, drill, scenario, 0.0, drill.state, [], None, {}, marks, starts)
    timing = timing_of(session, drill)
    minutes = release_minutes(session, drill, scenario, [team])[team.id]
    now_seen = feed(
        scenario, timing, minutes, stored_state=drill.state, started=started,
        extra_minutes=drill.extra_minutes, marks=marks, now=now,
    )  # fmt: skip
    shown = [(inject, real_time_at(timing, minute)) for minute, inject in now_seen.due]
    ends_at = real_time_at(timing, scenario.duration_minutes + drill.extra_minutes)
    elapsed, state, soon = now_seen.elapsed, now_seen.state, now_seen.poll_after
    return Console(team, drill, scenario, elapsed, state, shown, ends_at, minutes, marks, soon)


@dataclass(frozen=True)
class TeamWork:
    """What the console shows beside the injects: the team's own work and the broadcasts."""

    submissions: dict[str, list[Submission]]  # "inject.response" -> attempts in order
    drafts: dict[str, object]
    hints: dict[str, int]  # "inject.response" -> hints opened
    acks: dict[str, datetime]
    log: list[TeamLogEntry]
    broadcasts: list[Broadcast]

    def refusal(self, response: model.Response, key: str):
        """Why the team may not submit this answer now, or None."""
        reason = scoring.may_submit(
            response, [attempt_of(s) for s in self.submissions.get(key, [])]
        )
        return REFUSALS[reason] if reason else None

    def points(self, key: str) -> float | None:
        scored = [s.points for s in self.submissions.get(key, []) if s.points is not None]
        return max(scored) if scored else None


def team_work(session: Session, team: Team) -> TeamWork:
    submissions: dict[str, list[Submission]] = {}
    for s in session.exec(
        select(Submission).where(Submission.team_id == team.id).order_by(Submission.attempt)
    ):
        submissions.setdefault(f"{s.inject_id}.{s.response_id}", []).append(s)
    drafts = {
        f"{d.inject_id}.{d.response_id}": d.answer.get("v")
        for d in session.exec(select(ResponseDraft).where(ResponseDraft.team_id == team.id))
    }
    hints: dict[str, int] = {}
    for h in session.exec(select(HintOpening).where(HintOpening.team_id == team.id)):
        key = f"{h.inject_id}.{h.response_id}"
        hints[key] = hints.get(key, 0) + 1
    acks = {
        a.inject_id: as_utc(a.acknowledged_at)
        for a in session.exec(select(InjectAck).where(InjectAck.team_id == team.id))
    }
    log = list(
        session.exec(
            select(TeamLogEntry)
            .where(TeamLogEntry.team_id == team.id)
            .order_by(TeamLogEntry.created_at.desc())
        )
    )
    broadcasts = list(
        session.exec(
            select(Broadcast)
            .where(Broadcast.drill_id == team.drill_id)
            .order_by(Broadcast.created_at.desc())
        )
    )
    return TeamWork(submissions, drafts, hints, acks, log, broadcasts)
