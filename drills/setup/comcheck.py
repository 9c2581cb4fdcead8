"""The contact check before a drill: a message to every member of every team, each confirming
they read it, and the status per team."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlmodel import Session, select

from core import audit, outbox
from core.models import User, as_utc
from drills.facts import scenario_of
from drills.models import (
    Comcheck,
    ComcheckConfirmation,
    Drill,
    Team,
    TeamMember,
)
from drills.setup.service import SetupError, check_open

MAX_COMCHECK_LENGTH = 500


def start_comcheck(session: Session, drill: Drill, message: str, actor, now: datetime) -> Comcheck:
    """Ask every participant of every team to confirm `message`, on the team console and
    by e-mail (queued in this transaction, sent by the scheduler)."""
    check_open(drill)
    message = (message or "").strip()
    if not message:
        raise SetupError(_("Write the message the participants confirm."))
    if len(message) > MAX_COMCHECK_LENGTH:
        raise SetupError(
            _("The message is too long (at most %(n)s characters).", n=MAX_COMCHECK_LENGTH)
        )
    check = Comcheck(
        drill_id=drill.id, message=message, started_at=now, started_by_id=getattr(actor, "id", None)
    )
    session.add(check)
    session.flush()
    audit.record(
        session,
        "drill.comcheck_started",
        actor=actor,
        obj_type="drill",
        obj_id=drill.id,
        comcheck=check.id,
    )
    scenario = scenario_of(session, drill)
    banner = scenario.banner if scenario else None
    for team, user in comcheck_recipients(session, check):
        link = outbox.public_url(f"/drills/teams/{team.id}")
        outbox.enqueue(
            session,
            user.email,
            _("Contact check: %(drill)s", drill=drill.name),
            _(
                "%(message)s\n\nPlease confirm that you received this on your team's page: "
                "%(link)s",
                message=message,
                link=link,
            ),
            banner=banner,
            kind="drill.comcheck",
        )
    return check


def latest_comcheck(session: Session, drill: Drill) -> Comcheck | None:
    query = select(Comcheck).where(Comcheck.drill_id == drill.id).order_by(Comcheck.id.desc())
    return session.exec(query).first()


def comcheck_recipients(session: Session, check: Comcheck) -> list[tuple[Team, User]]:
    query = (
        select(Team, User)
        .join(TeamMember, TeamMember.team_id == Team.id)
        .join(User, User.id == TeamMember.user_id)
        .where(Team.drill_id == check.drill_id)
        .order_by(Team.name, User.name)
    )
    return list(session.exec(query))


def confirm_comcheck(
    session: Session, check: Comcheck, team: Team, user: User, now: datetime
) -> ComcheckConfirmation:
    """One click from a team member; a second click keeps the first time."""
    done = session.get(ComcheckConfirmation, (check.id, user.id))
    if done is not None:
        return done
    done = ComcheckConfirmation(
        comcheck_id=check.id, user_id=user.id, team_id=team.id, confirmed_at=now
    )
    session.add(done)
    audit.record(
        session,
        "drill.comcheck_confirmed",
        actor=user,
        obj_type="team",
        obj_id=team.id,
        comcheck=check.id,
    )
    return done


@dataclass(frozen=True)
class TeamCheck:
    team: Team
    confirmed: list[tuple[User, datetime]]
    waiting: list[User]


def comcheck_status(session: Session, check: Comcheck) -> list[TeamCheck]:
    """Per team: who confirmed and when, and who has not yet (teams without anyone too)."""
    confirmations = {
        c.user_id: as_utc(c.confirmed_at)
        for c in session.exec(
            select(ComcheckConfirmation).where(ComcheckConfirmation.comcheck_id == check.id)
        )
    }
    by_team: dict[int, TeamCheck] = {}
    for team in session.exec(
        select(Team).where(Team.drill_id == check.drill_id).order_by(Team.name)
    ):
        by_team[team.id] = TeamCheck(team, [], [])
    for team, user in comcheck_recipients(session, check):
        row = by_team[team.id]
        if user.id in confirmations:
            row.confirmed.append((user, confirmations[user.id]))
        else:
            row.waiting.append(user)
    return list(by_team.values())


def comcheck_for(session: Session, team: Team, user) -> tuple[Comcheck, datetime | None] | None:
    """The drill's latest comcheck for a member of `team`, with when they confirmed it."""
    if not any(m.user_id == user.id for m in team.members):
        return None
    check = latest_comcheck(session, team.drill)
    if check is None:
        return None
    done = session.get(ComcheckConfirmation, (check.id, user.id))
    return check, as_utc(done.confirmed_at) if done else None
