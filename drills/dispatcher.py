"""What the scheduler does on each tick: start the drills whose time has come, record the
release of every inject that fell due for every team, end the drills whose time is up.

Every step claims its rows atomically, so two scheduler processes, or a restart between two
steps, never do anything twice and never lose anything: a drill starts with
`UPDATE … WHERE state = 'scheduled' … RETURNING`, a release is an `INSERT … ON CONFLICT DO
NOTHING RETURNING` on the unique (drill, team, inject) key. After an outage the next tick
catches up, recording the real time each inject fell due beside the time it was recorded.
The side effects of a release (e-mail, notifications) hang off the rows this tick inserted.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from weakref import WeakKeyDictionary

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from core import audit, outbox
from core.i18n import locale_of
from core.models import User
from drills.clock import elapsed_minutes, real_time_at
from drills.facts import release_minutes, scenario_of, timing_of
from drills.models import Drill, InjectRelease, Team, TeamMember
from drills.reports import service as report_service

# Rows per INSERT: 6 parameters each stays under SQLite's 32,766 bound parameters.
RELEASES_PER_INSERT = 2000


@dataclass
class Tick:
    started: list[int] = field(default_factory=list)
    released: list[int] = field(default_factory=list)
    ended: list[int] = field(default_factory=list)
    reported: list[int] = field(default_factory=list)


def _insert(session: Session):
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def start_due(session: Session, now: datetime) -> list[int]:
    claimed = (
        session.execute(
            update(Drill)
            .where(Drill.state == "scheduled", Drill.starts_at <= now)
            .values(state="running")
            .returning(Drill.id)
        )
        .scalars()
        .all()
    )
    for drill_id in claimed:
        audit.record(session, "drill.started", obj_type="drill", obj_id=drill_id, by="scheduler")
    session.commit()
    return list(claimed)


# The releases this process knows are recorded, per drill (and engine: one per app, so per
# test). The table is read once per drill; after that a tick only tries what fell due since,
# so an idle tick of a 200-team drill reads nothing but its teams. A row another scheduler
# recorded meanwhile just conflicts on insert. Drills no longer running are forgotten.
_recorded: WeakKeyDictionary = WeakKeyDictionary()
_recorded_lock = threading.Lock()


def _known(session: Session, drill: Drill) -> set[tuple[int, str]]:
    by_drill = _recorded.setdefault(session.get_bind(), {})
    key = (drill.id, drill.created_at)  # an id reused after a deletion is another drill
    with _recorded_lock:
        known = by_drill.get(key)
    if known is None:
        known = set(
            session.exec(
                select(InjectRelease.team_id, InjectRelease.inject_id).where(
                    InjectRelease.drill_id == drill.id
                )
            ).all()
        )
        with _recorded_lock:
            by_drill[key] = known
    return known


def _forget_all_but(session: Session, running: set[int]) -> None:
    with _recorded_lock:
        by_drill = _recorded.get(session.get_bind(), {})
        for key in [k for k in by_drill if k[0] not in running]:
            del by_drill[key]


def release_due(session: Session, drill: Drill, now: datetime) -> list[int]:
    """Record every release that fell due by `now`; returns the ids this call inserted."""
    scenario = scenario_of(session, drill)
    if scenario is None:
        return []
    timing = timing_of(session, drill)
    elapsed = elapsed_minutes(timing, now)
    known = _known(session, drill)
    # Only the columns the cached release minutes are keyed by (drills/facts.py).
    teams = session.exec(
        select(Team.id, Team.revision, Team.tags).where(Team.drill_id == drill.id)
    ).all()
    minutes = release_minutes(session, drill, scenario, teams)
    rows = []
    for team in teams:
        for inject_id, minute in minutes[team.id].items():
            if minute is None or minute > elapsed or (team.id, inject_id) in known:
                continue
            rows.append(
                {
                    "drill_id": drill.id,
                    "team_id": team.id,
                    "inject_id": inject_id,
                    "drill_minute": minute,
                    "due_at": real_time_at(timing, minute) or now,
                    "released_at": now,
                }
            )
    if not rows:
        return []
    inserted = []
    for chunk in range(0, len(rows), RELEASES_PER_INSERT):
        statement = (
            _insert(session)(InjectRelease)
            .values(rows[chunk : chunk + RELEASES_PER_INSERT])
            .on_conflict_do_nothing(index_elements=["drill_id", "team_id", "inject_id"])
            .returning(InjectRelease.id, InjectRelease.team_id, InjectRelease.inject_id)
        )
        inserted += session.execute(statement).all()
    if drill.email_injects:
        # In the claim's transaction: a release recorded once is mailed once.
        mail_injects(session, drill, scenario, [(r.team_id, r.inject_id) for r in inserted])
    session.commit()
    with _recorded_lock:
        known.update((row["team_id"], row["inject_id"]) for row in rows)
    return [r.id for r in inserted]


def mail_injects(session: Session, drill: Drill, scenario, released) -> int:
    """Queue an e-mail to every member of the team for each released e-mail inject, in the
    member's own language (the scenario's text as written, the platform's words translated)."""
    by_id = {i.id: i for i in scenario.injects}
    emailed = [(t, by_id[i]) for t, i in released if by_id[i].channel == "email"]
    if not emailed:
        return 0
    team_ids = {t for t, _inject in emailed}
    members: dict[int, list[tuple[str, str]]] = {}
    for team_id, user in session.exec(
        select(TeamMember.team_id, User)
        .join(User, User.id == TeamMember.user_id)
        .where(TeamMember.team_id.in_(team_ids))
    ):
        members.setdefault(team_id, []).append((user.email, locale_of(user)))
    queued = 0
    for team_id, inject in emailed:
        for address, locale in members.get(team_id, []):
            with force_locale(locale):
                body = inject_mail_body(drill, scenario, inject, team_id)
            outbox.enqueue(
                session,
                address,
                f"[TLP:{scenario.tlp}] {inject.title}",
                body,
                banner=scenario.banner,
                kind="drill.inject",
            )
            queued += 1
    return queued


def inject_mail_body(drill: Drill, scenario, inject, team_id: int) -> str:
    lines = [f"{drill.name} - TLP:{scenario.tlp}"]
    if inject.sender:
        lines.append(_("From: %(sender)s", sender=inject.sender))
    if inject.story_time:
        lines.append(_("Story time: %(time)s", time=inject.story_time))
    link = outbox.public_url(f"/drills/teams/{team_id}#inject-{inject.id}")
    lines += ["", inject.body, "", _("Answer on the team console: %(link)s", link=link)]
    return "\n".join(lines) + "\n"


def end_due(session: Session, now: datetime) -> list[int]:
    ended = []
    for drill in session.exec(select(Drill).where(Drill.state.in_(("running", "paused")))):
        scenario = scenario_of(session, drill)
        if scenario is None:
            continue
        end = real_time_at(
            timing_of(session, drill), scenario.duration_minutes + drill.extra_minutes
        )
        if end is None or end > now:
            continue
        claimed = (
            session.execute(
                update(Drill)
                .where(Drill.id == drill.id, Drill.state.in_(("running", "paused")))
                .values(state="ended", ended_at=end)
                .returning(Drill.id)
            )
            .scalars()
            .all()
        )
        for drill_id in claimed:
            audit.record(session, "drill.ended", obj_type="drill", obj_id=drill_id, by="scheduler")
        session.commit()
        ended += claimed
    return ended


def dispatch(session: Session, now: datetime, *, reports: bool = True) -> Tick:
    """One tick. The scheduler process passes reports=False and generates the after-action
    reports in a job of their own (drills/scheduler.py), so that minutes of drawing PDFs for
    a large drill never hold up the clock of the others."""
    tick = Tick(started=start_due(session, now))
    running = session.exec(select(Drill).where(Drill.state.in_(("running", "paused")))).all()
    _forget_all_but(session, {drill.id for drill in running})
    for drill in running:
        tick.released += release_due(session, drill, now)
    tick.ended = end_due(session, now)
    # After the end's claim has committed: the drill's and its teams' reports, once (the
    # ones just ended, or any left over by a crash or a drill ended by hand).
    if reports:
        tick.reported = report_service.generate_due(session, now)
    return tick
