"""Setting up a drill: its settings, teams, people and the contact check (comcheck).

Each use case works in the caller's session, adds its audit event there and leaves the one
commit to the caller; a refusal raises SetupError before anything is written, with every
reason a trainer can act on.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func
from sqlmodel import Session, select

from core import audit, invitations, outbox
from core.models import Country, Role, User, as_utc, utcnow
from drills import workflow
from drills.facts import scenario_of
from drills.models import (
    Comcheck,
    ComcheckConfirmation,
    Drill,
    DrillEvaluator,
    DrillObserver,
    Team,
    TeamMember,
)
from scenarios.authoring import service as scenarios
from scenarios.format import model
from scenarios.models import Scenario, ScenarioVersion
from scenarios.play import branching

MIN_COMPRESSION, MAX_COMPRESSION = 1.0, 60.0
MAX_FREEZE_MINUTES = 24 * 60
MAX_COMCHECK_LENGTH = 500
MAX_TAGS, MAX_TAG_LENGTH = 20, 40
TAG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# How refusals name the settings that are fixed once the drill has started.
FIELD_LABELS = {
    "scenario_version_id": _l("scenario"),
    "starts_at": _l("start time"),
    "time_zone": _l("time zone"),
    "compression": _l("time compression"),
}


class SetupError(ValueError):
    """A setup request that cannot be carried out; `problems` lists every reason."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(self.problems))


# --- time zones -------------------------------------------------------------------------


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def check_zone(name: str) -> ZoneInfo:
    if name not in _zone_names():
        raise SetupError(
            _("%(zone)r is not a time zone name; use one like Africa/Nairobi.", zone=name)
        )
    return ZoneInfo(name)


def to_utc(local: datetime, zone_name: str) -> datetime:
    """A wall-clock time in the named zone as UTC; a time the clocks skip is refused."""
    zone = check_zone(zone_name)
    moment = local.replace(tzinfo=zone).astimezone(UTC)
    if moment.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise SetupError(
            _(
                "%(time)s does not exist in %(zone)s (the clocks move forward then); "
                "choose another time.",
                time=local.strftime("%Y-%m-%d %H:%M"),
                zone=zone_name,
            )
        )
    return moment


def to_local(moment: datetime | None, zone_name: str) -> datetime | None:
    """A stored UTC time as the naive wall-clock time of the zone (to fill in a form)."""
    if moment is None:
        return None
    return as_utc(moment).astimezone(ZoneInfo(zone_name)).replace(tzinfo=None)


# --- the drill's settings ---------------------------------------------------------------


@dataclass
class Settings:
    """What the trainer enters; times are wall-clock times in `time_zone`."""

    name: str
    scenario_version_id: int | None
    starts_local: datetime
    time_zone: str
    compression: float = 1.0
    registration_opens_local: datetime | None = None
    registration_closes_local: datetime | None = None
    scoreboard_visible: bool = False
    scoreboard_freeze_minutes: int = 0
    email_injects: bool = False


def published_versions(session: Session) -> list[tuple[ScenarioVersion, model.Scenario]]:
    """Every published scenario version, newest first per scenario, by title."""
    query = (
        select(ScenarioVersion)
        .join(Scenario)
        .where(ScenarioVersion.state == "published")
        .order_by(Scenario.slug, ScenarioVersion.number.desc())
    )
    found = [(v, scenarios.read_version(v)[0]) for v in session.exec(query)]
    found = [(v, data) for v, data in found if data is not None]
    return sorted(found, key=lambda pair: (pair[1].title.casefold(), -pair[0].number))


def _values(session: Session, settings: Settings) -> dict:
    """The drill's column values for these settings, or SetupError with every problem."""
    problems = []
    name = settings.name.strip()
    if not name:
        problems.append(_("Give the drill a name."))
    elif len(name) > 160:
        problems.append(_("The name is too long (at most 160 characters)."))
    version = (
        session.get(ScenarioVersion, settings.scenario_version_id)
        if settings.scenario_version_id
        else None
    )
    if version is None or version.state != "published":
        problems.append(_("Choose a published scenario version."))
    compression = settings.compression
    if compression is None or not MIN_COMPRESSION <= compression <= MAX_COMPRESSION:
        problems.append(
            _(
                "Time compression must be between %(low)s× (real time) and %(high)s×.",
                low=f"{MIN_COMPRESSION:g}",
                high=f"{MAX_COMPRESSION:g}",
            )
        )
    freeze = settings.scoreboard_freeze_minutes
    if freeze is None or not 0 <= freeze <= MAX_FREEZE_MINUTES:
        problems.append(
            _(
                "The scoreboard freeze must be between 0 and %(max)s minutes.",
                max=MAX_FREEZE_MINUTES,
            )
        )
    zone = settings.time_zone.strip()
    times = {}
    try:
        check_zone(zone)
        for key, local in (
            ("starts_at", settings.starts_local),
            ("registration_opens_at", settings.registration_opens_local),
            ("registration_closes_at", settings.registration_closes_local),
        ):
            times[key] = to_utc(local, zone) if local is not None else None
    except SetupError as error:
        problems.extend(error.problems)
    opens, closes = times.get("registration_opens_at"), times.get("registration_closes_at")
    if opens and closes and opens >= closes:
        problems.append(_("Registration must open before it closes."))
    if opens and times.get("starts_at") and opens >= times["starts_at"]:
        problems.append(_("Registration must open before the drill starts."))
    if problems:
        raise SetupError(problems)
    return {
        "name": name,
        "scenario_version_id": version.id,
        "time_zone": zone,
        "compression": float(compression),
        "scoreboard_visible": bool(settings.scoreboard_visible),
        "scoreboard_freeze_minutes": int(freeze),
        "email_injects": bool(settings.email_injects),
        **times,
    }


def create_drill(session: Session, settings: Settings, actor) -> Drill:
    values = _values(session, settings)
    drill = Drill(**values)
    session.add(drill)
    session.flush()
    audit.record(
        session,
        "drill.created",
        actor=actor,
        obj_type="drill",
        obj_id=drill.id,
        **_loggable(values),
    )
    return drill


def _loggable(values: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in values.items()}


def _same(stored, new) -> bool:
    if isinstance(stored, datetime) and isinstance(new, datetime):
        # Forms carry minutes; "start now" stores seconds: the same minute is no change.
        return as_utc(stored).replace(second=0, microsecond=0) == new.replace(
            second=0, microsecond=0
        )
    return stored == new


def update_drill(session: Session, drill: Drill, settings: Settings, actor) -> set[str]:
    """Change the drill's settings; returns the names of the fields that changed."""
    values = _values(session, settings)
    changed = {key for key, value in values.items() if not _same(getattr(drill, key), value)}
    if drill.state == "ended" and changed:
        raise SetupError(_("The drill has ended; its settings can no longer change."))
    fixed = workflow.fixed_fields(drill.state, changed)
    if fixed:
        raise SetupError(
            _(
                "The drill has started: its %(fields)s can no longer change.",
                fields=", ".join(str(FIELD_LABELS[f]) for f in sorted(fixed)),
            )
        )
    for key in changed:
        setattr(drill, key, values[key])
    if changed:
        session.add(drill)
        audit.record(
            session,
            "drill.settings_changed",
            actor=actor,
            obj_type="drill",
            obj_id=drill.id,
            **_loggable({key: values[key] for key in changed}),
        )
    return changed


def registration_open(drill: Drill, now: datetime) -> bool:
    """Whether invitations may be accepted now (no window set: until the drill ends)."""
    if drill.state == "ended":
        return False
    opens, closes = drill.registration_opens_at, drill.registration_closes_at
    return (opens is None or as_utc(opens) <= now) and (closes is None or now < as_utc(closes))


# --- teams ------------------------------------------------------------------------------


def parse_tags(text: str | None) -> list[str]:
    """Comma-separated tags, each a lowercase slug (sector-health); SetupError names the bad."""
    tags, bad = [], []
    for raw in (text or "").split(","):
        tag = raw.strip().lower()
        if not tag:
            continue
        if not TAG.match(tag) or len(tag) > MAX_TAG_LENGTH:
            bad.append(raw.strip())
        elif tag not in tags:
            tags.append(tag)
    if bad:
        raise SetupError(
            _(
                "Not a valid tag: %(tags)s. Use lowercase letters, digits and dashes, "
                "like sector-health.",
                tags=", ".join(f"“{t}”" for t in bad),
            )
        )
    if len(tags) > MAX_TAGS:
        raise SetupError(_("A team has at most %(n)s tags.", n=MAX_TAGS))
    return tags


def countries(session: Session) -> list[Country]:
    """The countries a team may stand for: the ITU Member States, by name."""
    return list(session.exec(select(Country).where(Country.itu_member).order_by(Country.name)))


def _country(session: Session, code: str) -> Country:
    code = (code or "").strip().upper()
    column = Country.iso2 if len(code) == 2 else Country.iso3
    found = session.exec(select(Country).where(column == code, Country.itu_member)).first()
    if found is None:
        raise SetupError(
            _("%(code)r is not a country code; use ISO codes like KEN or KE.", code=code)
        )
    return found


def _team_values(session, drill, country_code, name, tags_text, team=None, taken=()) -> dict:
    """A team's column values, or SetupError with every problem. `taken`: names of teams
    about to be added beside the drill's own."""
    problems = []
    name = (name or "").strip()
    names = {t.name.casefold() for t in drill.teams if t is not team} | set(taken)
    if not name:
        problems.append(_("Give the team a name."))
    elif len(name) > 160:
        problems.append(_("The team name is too long (at most 160 characters)."))
    elif name.casefold() in names:
        problems.append(_("This drill has a team named %(name)s already.", name=name))
    country = tags = None
    try:
        country = _country(session, country_code)
    except SetupError as error:
        problems.extend(error.problems)
    try:
        tags = parse_tags(tags_text)
    except SetupError as error:
        problems.extend(error.problems)
    if problems:
        raise SetupError(problems)
    return {"country_id": country.id, "name": name, "tags": tags or None}


def _check_open(drill: Drill) -> None:
    if not workflow.can_set_up(drill.state):
        raise SetupError(_("The drill has ended; its teams and people can no longer change."))


def add_team(session: Session, drill: Drill, country_code, name, tags_text, actor) -> Team:
    _check_open(drill)
    return _insert_team(
        session, drill, _team_values(session, drill, country_code, name, tags_text), actor
    )


def _insert_team(session: Session, drill: Drill, values: dict, actor) -> Team:
    team = Team(drill=drill, **values)
    session.add(team)
    session.flush()
    audit.record(
        session,
        "drill.team_added",
        actor=actor,
        obj_type="team",
        obj_id=team.id,
        drill=drill.id,
        name=team.name,
        tags=team.tags or [],
    )
    return team


def update_team(session: Session, team: Team, country_code, name, tags_text, actor) -> None:
    drill = team.drill
    _check_open(drill)
    values = _team_values(session, drill, country_code, name, tags_text, team=team)
    if drill.state != "scheduled" and (values["tags"] or []) != (team.tags or []):
        raise SetupError(
            _("The drill has started: a team's tags, which decide its injects, stay as they are.")
        )
    for key, value in values.items():
        setattr(team, key, value)
    session.add(team)
    audit.record(
        session,
        "drill.team_changed",
        actor=actor,
        obj_type="team",
        obj_id=team.id,
        name=team.name,
        tags=team.tags or [],
    )


def remove_team(session: Session, team: Team, actor) -> None:
    drill = team.drill
    if not workflow.can_remove_team(drill.state):
        raise SetupError(
            _(
                "The drill has started, so its teams stay: what they received and answered "
                "is part of the drill's record."
            )
        )
    for row in session.exec(
        select(ComcheckConfirmation).where(ComcheckConfirmation.team_id == team.id)
    ):
        session.delete(row)
    for member in session.exec(select(TeamMember).where(TeamMember.team_id == team.id)):
        session.delete(member)
    audit.record(
        session, "drill.team_removed", actor=actor, obj_type="team", obj_id=team.id, name=team.name
    )
    session.delete(team)


HEADER_CELLS = frozenset({"country", "country code", "code", "iso3", "iso"})


def import_teams(session: Session, drill: Drill, text: str, actor) -> list[Team]:
    """Add the teams of a pasted CSV (country code, team name, tags): every row is checked
    first, and either all are added or none; SetupError lists every bad row by number."""
    _check_open(drill)
    rows = list(csv.reader(io.StringIO(text.strip())))
    if rows and rows[0] and rows[0][0].strip().casefold() in HEADER_CELLS:
        rows[0] = []  # a header line; keep the numbers of the lines as pasted
    problems, checked, taken = [], [], set()
    for number, row in enumerate(rows, start=1):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) not in (2, 3):
            problems.append(
                _(
                    "Row %(n)s: expected country code, team name and tags, found %(k)s "
                    "columns (put tags with commas in quotes).",
                    n=number,
                    k=len(row),
                )
            )
            continue
        tags = row[2] if len(row) == 3 else ""
        try:
            values = _team_values(session, drill, row[0], row[1], tags, taken=taken)
        except SetupError as error:
            problems.extend(
                _("Row %(n)s: %(problem)s", n=number, problem=p) for p in error.problems
            )
            continue
        taken.add(values["name"].casefold())
        checked.append(values)
    if problems:
        raise SetupError(problems)
    if not checked:
        raise SetupError(_("The pasted text has no rows."))
    return [_insert_team(session, drill, values, actor) for values in checked]


@dataclass(frozen=True)
class Audience:
    tags: tuple[str, ...]
    injects: tuple[str, ...]


def unmatched_audiences(scenario: model.Scenario | None, teams: list[Team]) -> list[Audience]:
    """Inject audiences that reach no team of the drill: those injects would go to nobody."""
    if scenario is None:
        return []
    team_tags = [frozenset(t.tags or []) for t in teams]
    missing: dict[tuple[str, ...], list[str]] = {}
    for inject in scenario.injects:
        if inject.audience_tags is None:
            continue
        if not any(branching.reaches(inject, tags) for tags in team_tags):
            missing.setdefault(tuple(sorted(inject.audience_tags)), []).append(inject.id)
    return [Audience(tags, tuple(ids)) for tags, ids in sorted(missing.items())]


# --- people -----------------------------------------------------------------------------


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
    _check_open(team.drill)
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
    _check_open(drill)
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
    _check_open(team.drill)
    member = session.get(TeamMember, (team.id, user.id))
    if member is None:
        raise SetupError(_("%(name)s is not in this team.", name=user.name))
    session.delete(member)
    audit.record(
        session, "drill.member_removed", actor=actor, obj_type="team", obj_id=team.id, user=user.id
    )


def add_evaluator(session: Session, drill: Drill, user: User, actor) -> None:
    _check_open(drill)
    if user.role != Role.evaluator:
        raise SetupError(_("%(name)s is not an evaluator account.", name=user.name))
    if session.get(DrillEvaluator, (drill.id, user.id)) is None:
        session.add(DrillEvaluator(drill_id=drill.id, user_id=user.id))
        audit.record(
            session,
            "drill.evaluator_added",
            actor=actor,
            obj_type="drill",
            obj_id=drill.id,
            user=user.id,
        )


def add_observer(session: Session, drill: Drill, user: User, actor) -> None:
    _check_open(drill)
    if user.role in (Role.admin, Role.trainer):
        raise SetupError(
            _("%(name)s sees every drill already (administrator or trainer).", name=user.name)
        )
    if team_of(session, drill, user) is not None:
        raise SetupError(_("%(name)s plays in this drill, so cannot observe it.", name=user.name))
    if session.get(DrillObserver, (drill.id, user.id)) is None:
        session.add(DrillObserver(drill_id=drill.id, user_id=user.id))
        audit.record(
            session,
            "drill.observer_added",
            actor=actor,
            obj_type="drill",
            obj_id=drill.id,
            user=user.id,
        )


PEOPLE_LINKS = {"evaluator": DrillEvaluator, "observer": DrillObserver}


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


# --- the contact check ------------------------------------------------------------------


def start_comcheck(session: Session, drill: Drill, message: str, actor, now: datetime) -> Comcheck:
    """Ask every participant of every team to confirm `message`, on the team console and
    by e-mail (queued in this transaction, sent by the scheduler)."""
    _check_open(drill)
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
