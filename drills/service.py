"""Drill use cases: what a user may see of drills and teams, the control room, and what
teams do while a drill runs (answers, hints, acknowledgements, their log) and how it is
scored. Each use case is one transaction; the view commits."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload
from sqlmodel import Session, select

from core import audit
from core.models import as_utc
from core.policy import can
from drills import scoring, workflow
from drills.clock import elapsed_minutes, real_time_at
from drills.facts import attempt_of, countries_of, release_minutes, scenario_of, timing_of
from drills.models import (
    Broadcast,
    Drill,
    DrillPause,
    HintOpening,
    InjectAck,
    InjectOverride,
    InjectRelease,
    Observation,
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
    return [t for t in drill.teams if any(m.user_id == user.id for m in t.members)]


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

    def inject(self, inject_id: str) -> model.Inject | None:
        """The inject if the team can see it now."""
        return next((i for i, _ in self.injects if i.id == inject_id), None)


def console_etag(state: str, inject_ids: list[str], marks: tuple) -> str:
    """What the console's poll compares (drills/poll.py computes it too, without Flask)."""
    text = f"{state}|{','.join(inject_ids)}|{','.join(str(m) for m in marks)}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def feed_body(state: str, elapsed: float, inject_ids: list[str]) -> str:
    """The feed's JSON: the same whether Flask or drills/poll.py answers."""
    body = {"elapsed": round(elapsed, 2), "injects": inject_ids, "state": state}
    return json.dumps(body, separators=(",", ":")) + "\n"


def due_injects(scenario: model.Scenario, minutes, elapsed: float) -> list[tuple]:
    """(minute, inject) of every inject that has reached the team, in the order it did."""
    return sorted(
        ((m, i) for i in scenario.injects if (m := minutes[i.id]) is not None and m <= elapsed),
        key=lambda pair: (pair[0], pair[1].offset_minutes, pair[1].id),
    )


POLL_SECONDS = 2.0  # how often a console asks (core/static/js/console.js)
POLL_AFTER_HEADER = "Poll-After"  # milliseconds; the console's next poll comes then


def poll_after_ms(seconds: float) -> str:
    return str(int(seconds * 1000))


def poll_after(due: list[datetime | None], now: datetime) -> float | None:
    """Seconds until the next of these moments (the drill's start, the next inject for the
    team) if it comes before the console's next poll: the console asks again just then, so
    a scheduled inject shows at once. The team learns no more than polling would tell it a
    moment later: at most one poll interval ahead, never what comes."""
    waits = [(at - now).total_seconds() for at in due if at is not None]
    soon = [w for w in waits if 0 <= w < POLL_SECONDS]
    return min(soon) if soon else None


def next_due(timing, minutes: dict[str, float | None], elapsed: float) -> datetime | None:
    """When the next inject reaches the team by the clock, if one is still to come."""
    upcoming = [m for m in minutes.values() if m is not None and m > elapsed]
    return real_time_at(timing, min(upcoming)) if upcoming else None


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
    elapsed = elapsed_minutes(timing, now)
    length = scenario.duration_minutes + drill.extra_minutes
    state = workflow.state_seen(drill.state, started, elapsed >= length)
    minutes = release_minutes(session, drill, scenario, [team])[team.id]
    shown = [
        (inject, real_time_at(timing, minute))
        for minute, inject in due_injects(scenario, minutes, min(elapsed, length))
    ]
    ends_at = real_time_at(timing, length)
    soon = poll_after([next_due(timing, minutes, elapsed)], now) if state == "running" else None
    return Console(team, drill, scenario, elapsed, state, shown, ends_at, minutes, marks, soon)


class ControlError(ValueError):
    """A control-room action the drill cannot take now; the message says why."""


def control(session: Session, drill: Drill, move: str, actor, now: datetime) -> None:
    """Start now, pause, resume or end a drill: one transaction with its audit event."""
    try:
        new_state = workflow.next_state(drill.state, move)
    except workflow.DrillStateError as error:
        raise ControlError(str(error)) from None
    if move == "start" and as_utc(drill.starts_at) > now:
        drill.starts_at = now  # "start now": the clock counts from this moment
    elif move == "pause":
        session.add(DrillPause(drill_id=drill.id, started_at=now))
    elif move == "resume":
        for pause in session.exec(
            select(DrillPause).where(DrillPause.drill_id == drill.id, DrillPause.ended_at.is_(None))
        ):
            pause.ended_at = now
            session.add(pause)
    elif move == "end":
        drill.ended_at = now
        for pause in session.exec(
            select(DrillPause).where(DrillPause.drill_id == drill.id, DrillPause.ended_at.is_(None))
        ):
            pause.ended_at = now
            session.add(pause)
    drill.state = new_state
    session.add(drill)
    audit.record(
        session, f"drill.{move}", actor=actor, obj_type="drill", obj_id=drill.id, state=new_state
    )


def extend(session: Session, drill: Drill, minutes: int, actor) -> None:
    try:
        workflow.check_extend(drill.state, minutes)
    except workflow.DrillStateError as error:
        raise ControlError(str(error)) from None
    drill.extra_minutes += minutes
    session.add(drill)
    audit.record(
        session, "drill.extended", actor=actor, obj_type="drill", obj_id=drill.id, minutes=minutes
    )


@dataclass(frozen=True)
class ControlRoom:
    drill: Drill
    scenario: model.Scenario | None
    elapsed: float
    ends_at: datetime | None
    teams: list[Team]
    released: dict[tuple[int, str], datetime]  # (team id, inject id) -> recorded release

    @cached_property
    def _reach(self) -> dict[str, tuple[int, datetime]]:
        found: dict[str, tuple[int, datetime]] = {}
        for (_team, inject), at in self.released.items():
            n, first = found.get(inject, (0, at))
            found[inject] = (n + 1, min(first, at))
        return found

    def reached(self, inject_id: str) -> tuple[int, datetime | None]:
        """How many teams an inject has reached, and when the first one got it."""
        return self._reach.get(inject_id, (0, None))


def control_room(session: Session, drill: Drill, now: datetime) -> ControlRoom:
    scenario = scenario_of(session, drill)
    timing = timing_of(session, drill)
    elapsed = elapsed_minutes(timing, now) if drill.state != "scheduled" else 0.0
    ends_at = None
    if scenario is not None:
        ends_at = real_time_at(timing, scenario.duration_minutes + drill.extra_minutes)
    rows = session.exec(
        select(InjectRelease.team_id, InjectRelease.inject_id, InjectRelease.released_at).where(
            InjectRelease.drill_id == drill.id
        )
    )
    released = {(team_id, inject): as_utc(at) for team_id, inject, at in rows}
    teams = list(session.exec(select(Team).where(Team.drill_id == drill.id).order_by(Team.name)))
    return ControlRoom(drill, scenario, elapsed, ends_at, teams, released)


# --- what teams do while the drill runs ----------------------------------------------------


class PlayError(ValueError):
    """An answer, hint or note the drill cannot take now; the message says why."""


# Why a team may not submit (again), by scoring.may_submit's reason.
REFUSALS = {
    "waiting": _l("Your answer is waiting for an evaluator."),
    "right": _l("You have answered this right."),
    "exhausted": _l("You have used every submission this question allows."),
}
ANSWER_MAX_CHARS = 4000
LOG_MAX_CHARS = 4000


def _running_console(session: Session, team: Team, now: datetime) -> Console:
    view = console(session, team, now)
    if view.state == "paused":
        raise PlayError(_l("The drill is paused: answers wait until the trainer resumes it."))
    if view.state != "running":
        raise PlayError(_l("The drill has not started or has ended: it takes no answers now."))
    return view


def _visible_response(view: Console, inject_id: str, response_id: str):
    inject = view.inject(inject_id)
    if inject is None:
        raise PlayError(_l("That inject has not reached your team."))
    response = next((r for r in inject.responses if r.id == response_id), None)
    if response is None:
        raise PlayError(_l("That inject asks no such question."))
    return inject, response


def parse_answer(response: model.Response, raw: str | list[str]):
    """The answer as the rubric compares it, from what a form or JSON sent; PlayError with
    what to fix otherwise."""
    if response.type == "multiple_choice":
        given = [raw] if isinstance(raw, str) else list(raw)
        keys = {k for k, _label in response.options}
        given = [g for g in given if g]
        if not given:
            raise PlayError(_l("Choose at least one option."))
        if not set(given) <= keys:
            raise PlayError(_l("Choose among the options shown."))
        return sorted(set(given))
    text = (raw[0] if raw else "") if isinstance(raw, list) else raw
    text = (text or "").strip()
    if not text:
        raise PlayError(_l("Write an answer first."))
    if len(text) > ANSWER_MAX_CHARS:
        raise PlayError(_l("An answer is at most %(n)s characters.", n=ANSWER_MAX_CHARS))
    if response.type == "single_choice" and text not in {k for k, _ in response.options}:
        raise PlayError(_l("Choose one of the options shown."))
    if response.type == "number":
        try:
            value = float(text.replace(",", "."))
        except ValueError:
            raise PlayError(_l("Write a number, such as 42 or 3.5.")) from None
        if value != value or value in (float("inf"), float("-inf")):
            raise PlayError(_l("Write a number, such as 42 or 3.5."))
        return value
    return text


def save_draft(session: Session, team: Team, inject_id, response_id, raw, user, now) -> None:
    """Keep what the team is writing; drafts are not checked beyond their size."""
    view = _running_console(session, team, now)
    _visible_response(view, inject_id, response_id)
    text = raw if isinstance(raw, list) else [raw]
    if sum(len(t or "") for t in text) > ANSWER_MAX_CHARS:
        raise PlayError(_l("An answer is at most %(n)s characters.", n=ANSWER_MAX_CHARS))
    draft = session.get(ResponseDraft, (team.id, inject_id, response_id)) or ResponseDraft(
        team_id=team.id, inject_id=inject_id, response_id=response_id, answer={}
    )
    draft.answer = {"v": raw}
    draft.updated_at = now
    draft.updated_by_id = user.id
    session.add(draft)


def _team_submissions(session: Session, team_id: int, inject_id: str, response_id: str):
    return list(
        session.exec(
            select(Submission)
            .where(
                Submission.team_id == team_id,
                Submission.inject_id == inject_id,
                Submission.response_id == response_id,
            )
            .order_by(Submission.attempt)
        )
    )


def _hints_opened(session: Session, team_id: int, inject_id: str, response_id: str) -> int:
    return session.exec(
        select(func.count())
        .select_from(HintOpening)
        .where(
            HintOpening.team_id == team_id,
            HintOpening.inject_id == inject_id,
            HintOpening.response_id == response_id,
        )
    ).one()


def submit(
    session: Session, team: Team, inject_id, response_id, raw, user, now, attempt=None
) -> Submission:
    """Record a team's answer and score it at once when the rubric checks it automatically.
    `attempt` is the number the answering page was showing: a second click, another tab or
    a teammate who got there first makes it stale, and it is refused rather than counted
    as one more try. The unique key catches the same race between two requests."""
    view = _running_console(session, team, now)
    _inject, response = _visible_response(view, inject_id, response_id)
    given = parse_answer(response, raw)
    earlier = _team_submissions(session, team.id, inject_id, response_id)
    if attempt is not None and attempt != len(earlier) + 1:
        raise PlayError(_l("This answer was submitted already (another tab or a teammate)."))
    refusal = scoring.may_submit(response, [attempt_of(s) for s in earlier])
    if refusal:
        raise PlayError(REFUSALS[refusal])
    release_minute = view.minutes[inject_id] or 0.0
    hints = _hints_opened(session, team.id, inject_id, response_id)
    verdict = scoring.auto_verdict(response, given, view.elapsed - release_minute, hints)
    submission = Submission(
        drill_id=team.drill_id,
        team_id=team.id,
        inject_id=inject_id,
        response_id=response_id,
        attempt=len(earlier) + 1,
        answer={"v": given},
        submitted_at=now,
        submitted_by_id=user.id,
        drill_minute=view.elapsed,
        release_minute=release_minute,
        hints_opened=hints,
        max_points=response.points,
        correct=verdict.correct,
        points=verdict.points,
        rule=verdict.rule,
    )
    if verdict.correct is not None:
        submission.verdict_minute = view.elapsed
        submission.scored_at = now
    session.add(submission)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise PlayError(
            _l("A teammate has just submitted this answer: reload to see it.")
        ) from None
    # The draft is done with: one statement, whether there was one or not.
    session.execute(
        delete(ResponseDraft).where(
            ResponseDraft.team_id == team.id,
            ResponseDraft.inject_id == inject_id,
            ResponseDraft.response_id == response_id,
        )
    )
    audit.record(
        session,
        "drill.answer_submitted",
        actor=user,
        obj_type="team",
        obj_id=team.id,
        response=f"{inject_id}.{response_id}",
        attempt=submission.attempt,
        points=submission.points,
    )
    return submission


def open_hint(session: Session, team: Team, inject_id, response_id, user, now) -> int:
    """Open the team's next hint (they open in order); returns its index."""
    view = _running_console(session, team, now)
    _inject, response = _visible_response(view, inject_id, response_id)
    opened = _hints_opened(session, team.id, inject_id, response_id)
    if opened >= len(response.hints):
        raise PlayError(_l("There are no more hints for this question."))
    earlier = _team_submissions(session, team.id, inject_id, response_id)
    if any(s.correct for s in earlier):
        raise PlayError(_l("You have already answered this right."))
    session.add(
        HintOpening(
            team_id=team.id,
            inject_id=inject_id,
            response_id=response_id,
            hint_index=opened,
            opened_at=now,
            opened_by_id=user.id,
        )
    )
    audit.record(
        session, "drill.hint_opened", actor=user, obj_type="team", obj_id=team.id,
        response=f"{inject_id}.{response_id}", hint=opened,
    )  # fmt: skip
    return opened


def acknowledge(session: Session, team: Team, inject_id: str, user, now) -> bool:
    """Record that the team has seen an inject; False if it was already acknowledged."""
    view = console(session, team, now)
    if view.inject(inject_id) is None:
        raise PlayError(_l("That inject has not reached your team."))
    if session.get(InjectAck, (team.id, inject_id)) is not None:
        return False
    session.add(
        InjectAck(
            team_id=team.id, inject_id=inject_id, acknowledged_at=now, acknowledged_by_id=user.id
        )
    )
    return True


def add_log_entry(session: Session, team: Team, text: str, user, now) -> TeamLogEntry:
    text = (text or "").strip()
    if not text:
        raise PlayError(_l("Write something for the log first."))
    if len(text) > LOG_MAX_CHARS:
        raise PlayError(_l("A log entry is at most %(n)s characters.", n=LOG_MAX_CHARS))
    entry = TeamLogEntry(team_id=team.id, user_id=user.id, text=text, created_at=now)
    session.add(entry)
    return entry


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


# --- the trainer's hand and the evaluators ------------------------------------------------


def broadcast(session: Session, drill: Drill, text: str, actor, now) -> Broadcast:
    text = (text or "").strip()
    if not text:
        raise ControlError(_l("Write the message to send to every team."))
    if len(text) > 2000:
        raise ControlError(_l("A broadcast is at most 2000 characters."))
    if drill.state == "ended":
        raise ControlError(_l("The drill has ended: no team reads broadcasts any more."))
    message = Broadcast(drill_id=drill.id, text=text, created_at=now, created_by_id=actor.id)
    session.add(message)
    audit.record(session, "drill.broadcast", actor=actor, obj_type="drill", obj_id=drill.id)
    return message


def override(session: Session, drill: Drill, inject_id, team_id, action, actor, now) -> None:
    """Hold an inject back or release it now, for one team or for all."""
    if drill.state not in ("running", "paused"):
        raise ControlError(_l("Injects are held or released by hand only while the drill runs."))
    scenario = scenario_of(session, drill)
    if scenario is None or inject_id not in {i.id for i in scenario.injects}:
        raise ControlError(_l("The scenario has no such inject."))
    if team_id is not None:
        found = session.get(Team, team_id)
        if found is None or found.drill_id != drill.id:
            raise ControlError(_l("That team is not in this drill."))
    minute = elapsed_minutes(timing_of(session, drill), now)
    session.add(
        InjectOverride(
            drill_id=drill.id,
            inject_id=inject_id,
            team_id=team_id,
            action=action,
            drill_minute=minute,
            created_at=now,
            created_by_id=actor.id,
        )
    )
    audit.record(
        session, f"drill.inject_{action}", actor=actor, obj_type="drill", obj_id=drill.id,
        inject=inject_id, team=team_id, minute=round(minute, 2),
    )  # fmt: skip


def evaluation_queue(session: Session, drill: Drill) -> list[Submission]:
    """Answers waiting for an evaluator, oldest first."""
    return list(
        session.exec(
            select(Submission)
            .where(Submission.drill_id == drill.id, Submission.correct.is_(None))
            .order_by(Submission.submitted_at)
        )
    )


def response_of(scenario: model.Scenario, inject_id: str, response_id: str):
    inject = next((i for i in scenario.injects if i.id == inject_id), None)
    if inject is None:
        return None, None
    return inject, next((r for r in inject.responses if r.id == response_id), None)


def score(
    session: Session, submission: Submission, points: float, criteria_met, note, evaluator, now
) -> None:
    """An evaluator's score: within the response's points, with the criteria met and the
    reasons. Scoring again replaces the score; the audit log keeps both."""
    drill = session.get(Drill, submission.drill_id)
    scenario = scenario_of(session, drill)
    _inject, response = response_of(scenario, submission.inject_id, submission.response_id)
    if response is None:
        raise ControlError(_l("The scenario has no such question any more."))
    if points is None or not 0 <= points <= response.points:
        raise ControlError(_l("Give between 0 and %(max)s points.", max=f"{response.points:g}"))
    note = (note or "").strip()
    if len(note) > 2000:
        raise ControlError(_l("The note is at most 2000 characters."))
    known = set(range(len(response.criteria)))
    met = sorted(set(criteria_met or ()) & known)
    submission.points = round(points, 2)
    submission.correct = scoring.evaluator_correct(response, points)
    submission.criteria_met = met
    submission.note = note
    submission.scored_at = now
    submission.scored_by_id = evaluator.id
    submission.rule = f"evaluator: {len(met)} of {len(known)} criteria met"
    if submission.verdict_minute is None and drill.state != "scheduled":
        submission.verdict_minute = elapsed_minutes(timing_of(session, drill), now)
    session.add(submission)
    audit.record(
        session, "drill.answer_scored", actor=evaluator, obj_type="submission",
        obj_id=submission.id, points=submission.points, criteria=met,
    )  # fmt: skip


OBSERVATION_KINDS = ("strength", "improvement")


def observe(session: Session, drill: Drill, team_id, objective_id, kind, text, evaluator, now):
    scenario = scenario_of(session, drill)
    if scenario is None or objective_id not in {o.id for o in scenario.objectives}:
        raise ControlError(_l("Choose one of the scenario's objectives."))
    if kind not in OBSERVATION_KINDS:
        raise ControlError(_l("An observation is a strength or an area for improvement."))
    if team_id is not None:
        found = session.get(Team, team_id)
        if found is None or found.drill_id != drill.id:
            raise ControlError(_l("That team is not in this drill."))
    text = (text or "").strip()
    if not text or len(text) > 4000:
        raise ControlError(_l("Write the observation (at most 4000 characters)."))
    observation = Observation(
        drill_id=drill.id,
        team_id=team_id,
        objective_id=objective_id,
        kind=kind,
        text=text,
        evaluator_id=evaluator.id,
        created_at=now,
    )
    session.add(observation)
    audit.record(session, "drill.observation", actor=evaluator, obj_type="drill", obj_id=drill.id)
    return observation


def observations(session: Session, drill: Drill) -> list[Observation]:
    return list(
        session.exec(
            select(Observation)
            .where(Observation.drill_id == drill.id)
            .order_by(Observation.created_at.desc())
        )
    )


# --- the scoreboard ----------------------------------------------------------------------


@dataclass(frozen=True)
class Scoreboard:
    drill: Drill
    scenario: model.Scenario | None
    ranked: list[tuple[int, scoring.TeamScore]]
    objectives: list[model.Objective]
    frozen_at_minute: float | None  # what teams see stops here (the last minutes are hidden)
    regions: list[str]


def scoreboard(session: Session, drill: Drill, now: datetime, *, for_teams: bool) -> Scoreboard:
    """Totals, per objective and response times for every team. Teams see it frozen for
    the drill's last minutes when the trainer asked for that; staff always see it live."""
    scenario = scenario_of(session, drill)
    teams = list(session.exec(select(Team).where(Team.drill_id == drill.id)))
    countries = countries_of(session, teams)
    regions = {
        t.id: countries[t.country_id].itu_region if t.country_id in countries else None
        for t in teams
    }
    until = None
    if scenario is not None and drill.state != "scheduled" and drill.scoreboard_freeze_minutes:
        end = scenario.duration_minutes + drill.extra_minutes
        freeze_from = max(0.0, end - drill.scoreboard_freeze_minutes)
        if elapsed_minutes(timing_of(session, drill), now) >= freeze_from:
            until = freeze_from
    scored: list[scoring.ScoredResponse] = []
    if scenario is not None:
        # Only the columns scoring reads (not the answers): 200 teams x 30 injects is 6,000 rows.
        columns = (
            Submission.team_id, Submission.inject_id, Submission.response_id, Submission.attempt,
            Submission.correct, Submission.points, Submission.drill_minute,
            Submission.verdict_minute, Submission.release_minute,
        )  # fmt: skip
        by_key: dict[tuple[int, str, str], list] = {}
        for s in session.exec(select(*columns).where(Submission.drill_id == drill.id)):
            by_key.setdefault((s.team_id, s.inject_id, s.response_id), []).append(s)
        responses = {(i.id, r.id): r for i in scenario.injects for r in i.responses}
        for (team_id, inject_id, response_id), rows in by_key.items():
            response = responses.get((inject_id, response_id))
            if response is None:
                continue
            scored.append(
                scoring.ScoredResponse(
                    team_id,
                    inject_id,
                    response,
                    tuple(attempt_of(s) for s in rows),
                    min(s.release_minute for s in rows),
                )
            )
    ranked = scoring.scoreboard(
        [(t.id, t.name, regions[t.id]) for t in teams],
        scored,
        until_minute=until if for_teams else None,
    )
    return Scoreboard(
        drill,
        scenario,
        ranked,
        list(scenario.objectives) if scenario else [],
        until,
        sorted({r for r in regions.values() if r}),
    )
