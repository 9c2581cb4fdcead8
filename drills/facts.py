"""Reading a drill's facts from the database for the pure rules: its clock, its scenario,
its teams, each team's answers and the trainer's overrides, and from them when each inject reaches a
team. The console, the control room and the scheduler all ask here, so they agree."""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from weakref import WeakKeyDictionary

from sqlmodel import Session, select

from core.models import Country, as_utc
from drills import scoring
from drills.clock import Pause, Timing
from drills.models import Drill, DrillPause, InjectOverride, Submission, Team
from scenarios.authoring import service as scenario_service
from scenarios.format import model
from scenarios.models import ScenarioVersion
from scenarios.play import branching

# --- a small cache of what consoles compute again and again ------------------------------
#
# A thousand consoles poll every two seconds and nearly always find nothing changed. What
# they compute from the database (the pauses, each team's release minutes) is kept here, keyed
# by the revision stamps that every write changing it renews in its own transaction
# (drills/models.py _stamp_revisions) and by the drill's and team's own columns it reads.
# So a hit is what the database says now; what falls due by the clock alone is still worked
# out at each read from the cached minutes. One cache per engine (per app, so per test).

CACHE_SIZE = 4096
_caches: WeakKeyDictionary = WeakKeyDictionary()
_lock = threading.Lock()


def _cached(session: Session, key: tuple, compute):
    cache = _caches.get(session.get_bind())
    if cache is None:
        cache = _caches.setdefault(session.get_bind(), OrderedDict())
    with _lock:
        hit = cache.get(key)
        if hit is not None:
            cache.move_to_end(key)
            return hit
    value = compute()
    with _lock:
        cache[key] = value
        while len(cache) > CACHE_SIZE:
            cache.popitem(last=False)
    return value


def peek(engine, key: tuple):
    """The cached value, or None: for the poll shortcut, which never reads it itself."""
    with _lock:
        return _caches.get(engine, {}).get(key)


def timing_key(drill) -> tuple:
    return ("timing", drill.id, drill.revision, drill.starts_at, drill.compression, drill.ended_at)


def timing_of(session: Session, drill: Drill) -> Timing:
    session.flush()  # a pause added in this transaction stamps the drill first
    return _cached(session, timing_key(drill), lambda: _read_timing(session, drill))


def _read_timing(session: Session, drill: Drill) -> Timing:
    pauses = session.exec(select(DrillPause).where(DrillPause.drill_id == drill.id))
    return Timing(
        starts_at=as_utc(drill.starts_at),
        compression=drill.compression,
        pauses=tuple(
            Pause(as_utc(p.started_at), as_utc(p.ended_at) if p.ended_at else None) for p in pauses
        ),
        ended_at=as_utc(drill.ended_at) if drill.ended_at else None,
    )


def minutes_key(drill, team) -> tuple:
    return (
        "minutes", team.id, team.revision, tuple(team.tags or ()),
        drill.id, drill.revision, drill.scenario_version_id,
    )  # fmt: skip


def release_minutes(
    session: Session, drill: Drill, scenario: model.Scenario, teams: list[Team]
) -> dict[int, dict[str, float | None]]:
    """When each inject reaches each of these teams (Teams, or rows of their id, revision and
    tags), in drill minutes (None: not for it). The
    database is read only for teams whose answers or overrides changed, all in one go. The
    dicts are shared: read them, never change them."""
    session.flush()  # an answer added in this transaction stamps its team first
    cache = _caches.setdefault(session.get_bind(), OrderedDict())
    with _lock:
        found = {t.id: cache.get(minutes_key(drill, t)) for t in teams}
    missing = [t for t in teams if found[t.id] is None]
    if missing:
        facts = drill_facts(session, drill.id, [t.id for t in missing])
        for team in missing:
            compute = lambda t=team: facts.release_minutes(scenario, t)  # noqa: E731
            found[team.id] = _cached(session, minutes_key(drill, team), compute)
    return found


def countries_of(session: Session, teams) -> dict[int, Country]:
    """The countries of these teams, by id, in one query."""
    wanted = {t.country_id for t in teams if t.country_id is not None}
    if not wanted:
        return {}
    return {c.id: c for c in session.exec(select(Country).where(Country.id.in_(wanted)))}


def team_in(session: Session, drill: Drill, team_id: int | None) -> Team | None:
    """The team of that id if it plays in this drill; None if there is none in it."""
    team = session.get(Team, team_id) if team_id is not None else None
    return team if team is not None and team.drill_id == drill.id else None


def scenario_of(session: Session, drill: Drill) -> model.Scenario | None:
    if drill.scenario_version_id is None:
        return None
    # The checksum alone first: the document (up to megabytes of JSON) is loaded and parsed
    # only when no request of this process has read it yet.
    checksum = session.exec(
        select(ScenarioVersion.checksum).where(ScenarioVersion.id == drill.scenario_version_id)
    ).one_or_none()
    found = scenario_service.cached_scenario(checksum) if checksum else None
    if found is not None:
        return found
    return scenario_service.read_version(session.get(ScenarioVersion, drill.scenario_version_id))[0]


def attempt_of(s: Submission) -> scoring.Attempt:
    return scoring.Attempt(s.attempt, s.correct, s.points, s.drill_minute, s.verdict_minute)


@dataclass
class DrillFacts:
    """Answers per team and "inject.response", and the overrides: two queries per drill."""

    attempts: dict[int, dict[str, list[scoring.Attempt]]] = field(default_factory=dict)
    overrides: list[scoring.Override] = field(default_factory=list)

    def release_minutes(self, scenario: model.Scenario, team: Team) -> dict[str, float | None]:
        answers = scoring.team_answers(self.attempts.get(team.id, {}))
        minutes = branching.release_minutes(scenario, team.tags or [], answers)
        return scoring.apply_overrides(minutes, self.overrides, team.id)


def drill_facts(session: Session, drill_id: int, team_ids: list[int] | None = None) -> DrillFacts:
    """The answers of these teams (all the drill's when None) and the drill's overrides."""
    # Only the columns the rules read: a drill of 200 teams holds thousands of answers.
    query = select(
        Submission.team_id, Submission.inject_id, Submission.response_id, Submission.attempt,
        Submission.correct, Submission.points, Submission.drill_minute, Submission.verdict_minute,
    ).where(Submission.drill_id == drill_id)  # fmt: skip
    if team_ids is not None:
        query = query.where(Submission.team_id.in_(team_ids))
    attempts: dict[int, dict[str, list[scoring.Attempt]]] = defaultdict(lambda: defaultdict(list))
    for s in session.exec(query):
        attempts[s.team_id][f"{s.inject_id}.{s.response_id}"].append(attempt_of(s))
    overrides = [
        scoring.Override(o.inject_id, o.team_id, o.action, o.drill_minute, o.id)
        for o in session.exec(select(InjectOverride).where(InjectOverride.drill_id == drill_id))
    ]
    return DrillFacts({t: dict(by) for t, by in attempts.items()}, overrides)
