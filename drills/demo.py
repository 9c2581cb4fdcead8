"""Demo drill for `make run`: one scheduled drill, two national teams, an evaluator and a
participant in each team, so that the per-team rules can be seen at work."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from core import accounts, countries
from core.demo import DEMO_PASSWORD, demo_email
from core.models import Role, utcnow
from drills.models import Drill, DrillEvaluator, Team, TeamMember
from drills.setup import comcheck
from scenarios.authoring import service as scenario_service


def load(session: Session) -> None:
    starts = (utcnow() + timedelta(days=7)).replace(hour=8, minute=0, second=0, microsecond=0)
    library = scenario_service.by_slug(session, "ransomware-telecom")
    version = scenario_service.latest(session, library) if library else None
    drill = Drill(
        name="Regional Cyberdrill 2026 (demo)",
        starts_at=starts,
        time_zone="Africa/Nairobi",
        scenario_version_id=version.id if version else None,
    )
    session.add(drill)
    session.flush()
    evaluator = accounts.create_user(
        session,
        email=demo_email("evaluator"),
        name="Eva Evaluator",
        role=Role.evaluator,
        password=DEMO_PASSWORD,
    )
    session.add(DrillEvaluator(drill_id=drill.id, user_id=evaluator.id))
    for iso3, team_name, local, person, tags in (
        ("KEN", "KE-CIRT/CC", "participant", "Pat Participant", ["sector-telecom"]),
        ("EGY", "EG-CERT", "participant.eg", "Pia Participant", None),
    ):
        country = countries.by_iso3(session, iso3)
        team = Team(drill_id=drill.id, country_id=country.id, name=team_name, tags=tags)
        session.add(team)
        session.flush()
        member = accounts.create_user(
            session,
            email=demo_email(local),
            name=person,
            role=Role.participant,
            password=DEMO_PASSWORD,
        )
        session.add(TeamMember(team_id=team.id, user_id=member.id))
    # A contact check waiting for both participants (drills/setup/).
    comcheck.start_comcheck(
        session, drill, "Contact check: please confirm that you can read this page.", None, utcnow()
    )
