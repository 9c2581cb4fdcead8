"""Builders that test modules of several features share: sample files, a GCI cycle open for
answers, a running drill and its team members' clients. Fixtures stay in the conftest.py
files; a test module imports builders from here, never from another test module (the rule
tests/core/test_test_modules.py checks)."""

from __future__ import annotations

import struct
from datetime import timedelta

import yaml
from flask import request

from core import db as core_db
from core import shortcut
from core.models import utcnow
from drills.models import Drill
from gci.cycles import service as gci_cycles
from scenarios.authoring import service as scenarios
from tests.conftest import csrf_from, login
from tests.gci.frameworks import small
from tests.scenarios.examples import minimal

# Sample files: the magic bytes that scenario artifacts are judged by.
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PCAP_LE = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)
PCAP_BE = struct.pack(">IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)
PCAP_NANO = struct.pack("<IHHiIII", 0xA1B23C4D, 2, 4, 0, 0, 65535, 1)
PCAPNG = struct.pack("<IIIHHq", 0x0A0D0D0A, 28, 0x1A2B3C4D, 1, 0, -1) + struct.pack("<I", 28)
PCAPNG_BE = struct.pack(">IIIHHq", 0x0A0D0D0A, 28, 0x1A2B3C4D, 1, 0, -1) + struct.pack(">I", 28)

# GCI: Kenya's questionnaire of cycle Q-2026, and the PDF its evidence tests upload.
BASE = "/gci/questionnaires/Q-2026/KEN"
EVIDENCE_PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"


def make_open_cycle(app, tmp_path, document: dict | None = None):
    """Cycle Q-2026 on the small framework (or `document`; q1 needs evidence when yes), open
    since yesterday, what-if shown; evidence goes to a temporary folder."""
    app.config["EVIDENCE_DIR"] = str(tmp_path / "evidence")
    with app.app_context():
        session = core_db.session()
        doc = document or small()
        doc["pillars"][0]["indicators"][0]["questions"][0][
            "evidence_required_for_positive_answer"
        ] = True
        gci_cycles.load_framework(session, doc, cycle_code="Q-2026", year=2026)
        cycle = gci_cycles.cycle_by_code(session, "Q-2026")
        today = utcnow().date()
        cycle.opens_on, cycle.closes_on = today - timedelta(days=1), today + timedelta(days=30)
        cycle.show_whatif = True
        session.add(cycle)
        session.commit()
        return cycle


def token(client, path=BASE + "/pillars/LEG"):
    return csrf_from(client, path)


def save(client, code, value, version, csrf):
    return client.post(
        f"{BASE}/answers/{code}",
        json={"value": value, "version": version},
        headers={"X-CSRFToken": csrf, "Accept": "application/json"},
    )


# Drills: the example scenario (tests/scenarios/examples.py) played by the `users` teams.
START = utcnow().replace(microsecond=0) - timedelta(minutes=5)


def running_drill(app, users, minutes_ago: float, document: dict | None = None) -> int:
    """The users' drill running the minimal scenario (or `document`) since `minutes_ago`."""
    with app.app_context():
        s = core_db.session()
        document = document or minimal()
        version = scenarios.import_text(s, yaml.safe_dump(document), publish=True)
        row = s.get(Drill, users["drill"].id)
        row.scenario_version_id = version.id
        row.starts_at = utcnow() - timedelta(minutes=minutes_ago)
        row.state = "running"
        s.add(row)
        s.commit()
        return row.id


def drill_with_two_injects(app, users) -> int:
    """I1 at minute 0 and I2 at minute 30 for every team (no condition), started at START."""
    document = minimal()
    del document["injects"][1]["condition"]
    with app.app_context():
        s = core_db.session()
        version = scenarios.import_text(s, yaml.safe_dump(document), publish=True)
        drill = s.get(Drill, users["drill"].id)
        drill.scenario_version_id, drill.starts_at, drill.state = version.id, START, "running"
        s.add(drill)
        s.commit()
        return drill.id


def as_member(app, users, role="participant"):
    client = app.test_client()
    assert login(client, users[role].email).status_code == 302
    return client


def flask_requests(app) -> list:
    """The requests Flask sees, but the one the shortcut makes once to learn Flask's security
    headers (for a team that does not exist)."""
    seen = []
    app.before_request(lambda: seen.append(1) if request.path != shortcut.SAMPLE_PATH else None)
    return seen


def post(client, team_id, path, **data):
    token = csrf_from(client, f"/drills/teams/{team_id}")
    return client.post(f"/drills/teams/{team_id}/{path}", data={"csrf_token": token, **data})
