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

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from core import audit, outbox
from core.models import User
from drills import reporting
from drills.clock import elapsed_minutes, real_time_at
from drills.facts import release_minutes, scenario_of, timing_of
from drills.models import Drill, InjectRelease, Team, TeamMember


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


def release_due(session: Session, drill: Drill, now: datetime) -> list[int]:
    """Record every release that fell due by `now`; returns the ids this call inserted."""
    scenario = scenario_of(session, drill)
    if scenario is None:
        return []
    timing = timing_of(session, drill)
    elapsed = elapsed_minutes(timing, now)
    done = set(
        session.exec(
            select(InjectRelease.team_id, InjectRelease.inject_id).where(
                InjectRelease.drill_id == drill.id
            )
        ).all()
    )
    teams = list(session.exec(select(Team).where(Team.drill_id == drill.id)))
    minutes = release_minutes(session, drill, scenario, teams)
    rows = []
    for team in teams:
        for inject_id, minute in minutes[team.id].items():
            if minute is None or minute > elapsed or (team.id, inject_id) in done:
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
    statement = (
        _insert(session)(InjectRelease)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["drill_id", "team_id", "inject_id"])
        .returning(InjectRelease.id, InjectRelease.team_id, InjectRelease.inject_id)
    )
    inserted = session.execute(statement).all()
    if drill.email_injects:
        # In the claim's transaction: a release recorded once is mailed once.
        mail_injects(session, drill, scenario, [(r.team_id, r.inject_id) for r in inserted])
    session.commit()
    return [r.id for r in inserted]


def mail_injects(session: Session, drill: Drill, scenario, released) -> int:
    """Queue an e-mail to every member of the team for each released e-mail inject."""
    by_id = {i.id: i for i in scenario.injects}
    emailed = [(t, by_id[i]) for t, i in released if by_id[i].channel == "email"]
    if not emailed:
        return 0
    team_ids = {t for t, _inject in emailed}
    members: dict[int, list[str]] = {}
    for team_id, email in session.exec(
        select(TeamMember.team_id, User.email)
        .join(User, User.id == TeamMember.user_id)
        .where(TeamMember.team_id.in_(team_ids))
    ):
        members.setdefault(team_id, []).append(email)
    queued = 0
    for team_id, inject in emailed:
        body = inject_mail_body(drill, scenario, inject, team_id)
        for address in members.get(team_id, []):
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
    sender = f"From: {inject.sender}\n" if inject.sender else ""
    story = f"Story time: {inject.story_time}\n" if inject.story_time else ""
    link = outbox.public_url(f"/drills/teams/{team_id}#inject-{inject.id}")
    return (
        f"{drill.name} - TLP:{scenario.tlp}\n{sender}{story}\n{inject.body}\n\n"
        f"Answer on the team console: {link}\n"
    )


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


def dispatch(session: Session, now: datetime) -> Tick:
    tick = Tick(started=start_due(session, now))
    for drill in session.exec(select(Drill).where(Drill.state.in_(("running", "paused")))):
        tick.released += release_due(session, drill, now)
    tick.ended = end_due(session, now)
    # After the end's claim has committed: the drill's and its teams' reports, once (the
    # ones just ended, or any left over by a crash or a drill ended by hand).
    tick.reported = reporting.generate_due(session, now)
    return tick
