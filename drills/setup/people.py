"""A drill's people: team members (added by e-mail or invited, the invitation accepted through
core/invitations.py), evaluators and observers."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func
from sqlmodel import Session, select

from core import audit, invitations
from core.models import Role, User, utcnow
from drills.models import (
    Drill,
    DrillEvaluator,
    DrillObserver,
    Team,
    TeamMember,
)
from drills.setup.service import SetupError, check_open, registration_open


def has_account(session: Session, email: str) -> bool:
    email = (email or "").strip().lower()
    return session.exec(select(User.id).where(func.lower(User.email) == email)).first() is not None


def user_by_email(session: Session, email: str) -> User:
    email = (email or "").strip().lower()
    user = session.exec(select(User).where(func.lower(User.email) == email)).first()
    if user is None or not user.active:
        raise SetupError(
            _(
                "No active account has the e-mail %(email)s; create it under Users first.",
                email=email,
            )
        )
    return user


TEAM_INVITATION = "drills.team"


def invite_member(session: Session, team: Team, email: str, actor) -> str:
    """Invite someone without an account to play in `team`: a single-use link by e-mail;
    accepting it creates a participant account and puts it in the team. Returns the
    address the invitation went to."""
    check_open(team.drill)
    try:
        invitation, _token = invitations.issue(
            session,
            email=email,
            role=Role.participant,
            purpose=TEAM_INVITATION,
            grant={"team_id": team.id},
            created_by=actor,
            note=_(
                "You are invited to play in the team %(team)s of the drill %(drill)s.",
                team=team.name,
                drill=team.drill.name,
            ),
        )
    except invitations.InvitationError as error:
        raise SetupError(str(error)) from None
    return invitation.email


@invitations.on_accept(TEAM_INVITATION)
def _join_team(session: Session, user: User, invitation) -> str:
    team = session.get(Team, invitation.grant.get("team_id"))
    if team is None:
        raise invitations.InvitationError(_l("The team of this invitation no longer exists."))
    if not registration_open(team.drill, utcnow()):
        raise invitations.InvitationError(
            _l("Registration for this drill is closed: ask its trainer to add you.")
        )
    try:
        add_member(session, team, user, actor=user)
    except SetupError as error:
        raise invitations.InvitationError(str(error)) from None
    return f"/drills/teams/{team.id}"


def team_of(session: Session, drill: Drill, user: User) -> Team | None:
    """The team `user` plays in within this drill, if any."""
    query = (
        select(Team)
        .join(TeamMember)
        .where(Team.drill_id == drill.id, TeamMember.user_id == user.id)
    )
    return session.exec(query).first()


def add_member(session: Session, team: Team, user: User, actor=None) -> TeamMember:
    """Put a participant in a team; what an accepted invitation calls too (actor: the user).
    Adding someone to the team they are in already returns their membership unchanged."""
    drill = team.drill
    check_open(drill)
    if user.role != Role.participant:
        raise SetupError(
            _(
                "%(name)s is not a participant account; only participants join teams.",
                name=user.name,
            )
        )
    current = team_of(session, drill, user)
    if current is not None and current.id == team.id:
        return session.get(TeamMember, (team.id, user.id))
    if current is not None:
        raise SetupError(
            _(
                "%(name)s plays in the team %(team)s of this drill already; a participant "
                "plays in one team per drill.",
                name=user.name,
                team=current.name,
            )
        )
    if session.get(DrillObserver, (drill.id, user.id)) is not None:
        raise SetupError(_("%(name)s observes this drill, so cannot play in it.", name=user.name))
    member = TeamMember(team_id=team.id, user_id=user.id)
    session.add(member)
    audit.record(
        session,
        "drill.member_added",
        actor=actor,
        obj_type="team",
        obj_id=team.id,
        user=user.id,
    )
    return member


def remove_member(session: Session, team: Team, user: User, actor) -> None:
    check_open(team.drill)
    member = session.get(TeamMember, (team.id, user.id))
    if member is None:
        raise SetupError(_("%(name)s is not in this team.", name=user.name))
    session.delete(member)
    audit.record(
        session, "drill.member_removed", actor=actor, obj_type="team", obj_id=team.id, user=user.id
    )


def add_evaluator(session: Session, drill: Drill, user: User, actor) -> None:
    check_open(drill)
    if user.role != Role.evaluator:
        raise SetupError(_("%(name)s is not an evaluator account.", name=user.name))
    _add_person(session, drill, "evaluator", user, actor)


def add_observer(session: Session, drill: Drill, user: User, actor) -> None:
    check_open(drill)
    if user.role in (Role.admin, Role.trainer):
        raise SetupError(
            _("%(name)s sees every drill already (administrator or trainer).", name=user.name)
        )
    if team_of(session, drill, user) is not None:
        raise SetupError(_("%(name)s plays in this drill, so cannot observe it.", name=user.name))
    _add_person(session, drill, "observer", user, actor)


PEOPLE_LINKS = {"evaluator": DrillEvaluator, "observer": DrillObserver}


def _add_person(session: Session, drill: Drill, kind: str, user: User, actor) -> None:
    """Put an evaluator or observer on the drill; once is enough (a second time does nothing)."""
    link = PEOPLE_LINKS[kind]
    if session.get(link, (drill.id, user.id)) is not None:
        return
    session.add(link(drill_id=drill.id, user_id=user.id))
    audit.record(
        session, f"drill.{kind}_added", actor=actor, obj_type="drill", obj_id=drill.id, user=user.id
    )


def remove_person(session: Session, drill: Drill, kind: str, user: User, actor) -> None:
    """Take an evaluator or observer off the drill."""
    link = session.get(PEOPLE_LINKS[kind], (drill.id, user.id))
    if link is None:
        raise SetupError(_("%(name)s is not on this drill.", name=user.name))
    session.delete(link)
    audit.record(
        session,
        f"drill.{kind}_removed",
        actor=actor,
        obj_type="drill",
        obj_id=drill.id,
        user=user.id,
    )


def people(session: Session, drill: Drill, kind: str) -> list[User]:
    link = PEOPLE_LINKS[kind]
    query = select(User).join(link, link.user_id == User.id).where(link.drill_id == drill.id)
    return list(session.exec(query.order_by(User.name)))


def members(session: Session, team: Team) -> list[User]:
    query = select(User).join(TeamMember, TeamMember.user_id == User.id)
    return list(session.exec(query.where(TeamMember.team_id == team.id).order_by(User.name)))
