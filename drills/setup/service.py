"""Setting up a drill: its settings (scenario version, start time and zone, compression),
registration, and what the setup modules share: SetupError and the check that setup is still
open. Teams are drills/setup/teams.py, people people.py, the contact check comcheck.py.

Each use case works in the caller's session, adds its audit event there and leaves the one
commit to the caller; a refusal raises SetupError before anything is written, with every
reason a trainer can act on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from core import audit
from core.domain import Refusals
from core.models import as_utc
from drills import workflow
from drills.models import (
    Drill,
)
from scenarios.authoring import service as scenarios
from scenarios.format import model
from scenarios.models import Scenario, ScenarioVersion

MIN_COMPRESSION, MAX_COMPRESSION = 1.0, 60.0
MAX_FREEZE_MINUTES = 24 * 60
MAX_TAGS, MAX_TAG_LENGTH = 20, 40
TAG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# How refusals name the settings that are fixed once the drill has started.
FIELD_LABELS = {
    "scenario_version_id": _l("scenario"),
    "starts_at": _l("start time"),
    "time_zone": _l("time zone"),
    "compression": _l("time compression"),
}


class SetupError(Refusals):
    """A setup request that cannot be carried out; `problems` lists every reason."""


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
    times = _times(settings, zone, problems)
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


def _times(settings: Settings, zone: str, problems: list[str]) -> dict:
    """The drill's moments in UTC from the local times in `zone`; what is wrong with them is
    added to `problems`."""
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
    return times


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


def check_open(drill: Drill) -> None:
    if not workflow.can_set_up(drill.state):
        raise SetupError(_("The drill has ended; its teams and people can no longer change."))
