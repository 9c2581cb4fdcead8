"""Demo data for the GCI: the shipped GCI 2024 framework and plausible (invented) answers for
every country, computed and published, clearly named as demo data. The benchmark uses the
same answer generator."""

from __future__ import annotations

import json
import random
from datetime import timedelta
from pathlib import Path

from sqlmodel import Session, select

from core.models import Country, utcnow
from gci.cycles import service as cycles
from gci.framework.model import Framework, Question
from gci.models import Answer, Cycle, Questionnaire
from gci.results import snapshots

FRAMEWORK_FILE = Path(__file__).parent / "frameworks" / "gci-2024.json"
DEMO_CYCLE = "GCI-2024"
OPEN_CYCLE = "GCI-2025"
# Countries of the open cycle that are further along, to fill the admin's progress page.
OPEN_CYCLE_STATES = {"GHA": "submitted", "EGY": "in_review", "BRA": "validated", "IND": "draft"}


def plausible_value(question: Question, strength: float, rng: random.Random):
    """An answer a country of this overall strength (0..1) might give."""
    positive = rng.random() < strength
    return question.kind.example(question, positive, strength, rng)


def plausible_answers(framework: Framework, rng: random.Random) -> dict[str, tuple[object, bool]]:
    """{code: (value, accepted)} for one invented country."""
    strength = rng.betavariate(3.0, 1.2)
    answers = {}
    for code, question in framework.questions.items():
        if rng.random() < 0.08:
            continue  # left unanswered
        answers[code] = (plausible_value(question, strength, rng), rng.random() < 0.95)
    return answers


def add_answers(session: Session, cycle, framework: Framework, seed: int = 2024) -> int:
    rng = random.Random(seed)  # noqa: S311 - invented demo data, reproducible on purpose
    rows = []
    for country in session.exec(select(Country).order_by(Country.iso3)):
        for code, (value, accepted) in plausible_answers(framework, rng).items():
            rows.append(Answer.new(cycle.id, country.id, code, value, accepted))
    session.add_all(rows)
    return len(rows)


def load(session: Session) -> None:
    document = json.loads(FRAMEWORK_FILE.read_text())
    version = cycles.load_framework(
        session,
        document,
        cycle_code=DEMO_CYCLE,
        name="GCI 2024 (demo answers, placeholder weights)",
        year=2024,
    )
    cycle = cycles.cycle_by_code(session, DEMO_CYCLE)
    add_answers(session, cycle, cycles.parsed(version))
    session.flush()
    snapshot = snapshots.recompute(session, cycle)
    snapshot.note = "Invented demo answers: not real GCI results."
    snapshots.publish(session, snapshot)
    open_cycle(session, version)


def open_cycle(session: Session, version) -> None:
    """GCI-2025, open for answers now (what-if shown): Kenya's questionnaire is an empty
    draft for the demo focal point; a few other countries are further along."""
    clone = cycles.clone_framework(
        session,
        version,
        cycle_code=OPEN_CYCLE,
        name="GCI 2025 (demo, open for answers)",
        year=2025,
    )
    cycle = session.get(Cycle, clone.cycle_id)
    today = utcnow().date()
    cycle.opens_on, cycle.closes_on = today - timedelta(days=14), today + timedelta(days=60)
    cycle.show_whatif = True
    session.add(cycle)
    countries = {c.iso3: c for c in session.exec(select(Country))}
    session.add(Questionnaire(cycle_id=cycle.id, country_id=countries["KEN"].id))
    framework = cycles.parsed(clone)
    rng = random.Random(2025)  # noqa: S311 - invented demo data, reproducible on purpose
    for iso3, state in OPEN_CYCLE_STATES.items():
        country = countries[iso3]
        session.add(Questionnaire(cycle_id=cycle.id, country_id=country.id, state=state))
        for code, (value, _accepted) in plausible_answers(framework, rng).items():
            session.add(Answer.new(cycle.id, country.id, code, value))
