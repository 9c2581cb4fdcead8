"""Fixtures of the GCI tests: a cycle open for answers, and a published cycle with scores."""

import pytest
from sqlmodel import select

from core import db as core_db
from core.models import Country
from gci.cycles import service as cycles
from gci.models import Answer
from gci.results import snapshots
from tests.factories import make_open_cycle
from tests.gci.frameworks import small


@pytest.fixture
def open_cycle(app, users, tmp_path):
    return make_open_cycle(app, tmp_path)


@pytest.fixture
def cycle(app, users):
    """Cycle T-2026 on the small framework: KEN 20 points, EGY 40, published."""
    with app.app_context():
        session = core_db.session()
        doc = small()
        doc["placeholder_weights"] = True
        version = cycles.load_framework(session, doc, cycle_code="T-2026", year=2026)
        cycle = cycles.cycle_by_code(session, "T-2026")
        ids = {c.iso3: c.id for c in session.exec(select(Country))}
        for iso3, code, accepted in [
            ("KEN", "q8", True),
            ("KEN", "q9", False),
            ("EGY", "q8", True),
            ("EGY", "q7", True),
        ]:
            session.add(
                Answer(
                    cycle_id=cycle.id,
                    country_id=ids[iso3],
                    question_code=code,
                    value={"v": "yes"},
                    accepted=accepted,
                )
            )
        snapshot = snapshots.recompute(session, cycle)
        snapshots.publish(session, snapshot)
        session.commit()
        return {"cycle": cycle, "version": version, "snapshot": snapshot}
