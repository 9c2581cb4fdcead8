"""A drill's teams: add, edit and remove one, import many from pasted CSV (read with
core/tables.py; rows numbered as pasted), and the inject audiences no team matches. Errors:
SetupError (drills/setup/service.py)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlmodel import Session, select

from core import audit, tables
from core.models import Country
from drills import workflow
from drills.models import (
    ComcheckConfirmation,
    Drill,
    Team,
    TeamMember,
)
from drills.setup.service import MAX_TAG_LENGTH, MAX_TAGS, TAG, SetupError, check_open
from scenarios.format import model
from scenarios.play import branching


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


def add_team(session: Session, drill: Drill, country_code, name, tags_text, actor) -> Team:
    check_open(drill)
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
    check_open(drill)
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
    check_open(drill)
    try:
        rows = tables.records(text.strip(), delimiter=",")
    except tables.TableError as error:
        raise SetupError(_("this is not a readable CSV file (%(why)s)", why=str(error))) from None
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
