"""The scheduler's tick against the database: exactly once, in order, through pauses,
outages and two dispatchers at the same time (SQLite here, PostgreSQL in CI)."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
import yaml
from sqlmodel import func, select

from core import db as core_db
from core.models import AuditEvent, as_utc
from drills import dispatcher
from drills.models import Drill, DrillPause, InjectRelease, Team
from scenarios.authoring import service as scenarios
from tests.scenarios.examples import minimal

T0 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


@pytest.fixture
def drill(app, users):
    """A drill of the two-inject example scenario (I1 at 0, I2 at 30 unless a team answered
    I1.R1 correctly), for Team A and Team B, starting at T0."""
    with app.app_context():
        session = core_db.session()
        version = scenarios.import_text(session, yaml.safe_dump(minimal()), publish=True)
        row = session.get(Drill, users["drill"].id)
        row.scenario_version_id, row.starts_at, row.state = version.id, T0, "scheduled"
        session.add(row)
        session.commit()
        return row.id


def releases(session, drill_id):
    session.expire_all()
    rows = session.exec(
        select(InjectRelease)
        .where(InjectRelease.drill_id == drill_id)
        .order_by(InjectRelease.drill_minute, InjectRelease.team_id)
    ).all()
    return [(r.team_id, r.inject_id, r.drill_minute) for r in rows]


def tick(app, minutes):
    with app.app_context():
        return dispatcher.dispatch(core_db.session(), at(minutes))


def test_a_drill_starts_releases_in_order_and_ends(app, drill, session, users):
    team_a, team_b = users["team"].id, users["other_team"].id
    assert tick(app, -1).started == []
    first = tick(app, 1)
    assert first.started == [drill] and len(first.released) == 2
    assert releases(session, drill) == [(team_a, "I1", 0), (team_b, "I1", 0)]
    assert tick(app, 2).released == []  # nothing twice
    tick(app, 31)
    assert [r[1] for r in releases(session, drill)] == ["I1", "I1", "I2", "I2"]
    assert tick(app, 119).ended == []
    assert tick(app, 121).ended == [drill]
    assert session.get(Drill, drill).state == "ended"
    actions = [e.action for e in session.exec(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions.count("drill.started") == 1 and actions.count("drill.ended") == 1


def test_after_an_outage_the_next_tick_catches_up_with_the_real_due_times(app, drill, session):
    tick(app, 45)  # the scheduler was down from before the start until minute 45
    rows = session.exec(select(InjectRelease).order_by(InjectRelease.drill_minute)).all()
    assert [(r.inject_id, as_utc(r.due_at)) for r in rows] == [
        ("I1", at(0)),
        ("I1", at(0)),
        ("I2", at(30)),
        ("I2", at(30)),
    ]
    assert all(as_utc(r.released_at) == at(45) for r in rows)


def test_a_pause_holds_the_clock(app, drill, session):
    with app.app_context():
        s = core_db.session()
        s.add(DrillPause(drill_id=drill, started_at=at(10), ended_at=at(40)))
        s.commit()
    tick(app, 1)
    tick(app, 45)  # 15 drill minutes
    assert [r[1] for r in releases(session, drill)] == ["I1", "I1"]
    tick(app, 61)  # 31 drill minutes
    assert len(releases(session, drill)) == 4


def test_audience_tags_choose_the_teams(app, users, session):
    document = minimal()
    document["injects"][1]["audience"] = {"tags": ["sector-health"]}
    with app.app_context():
        s = core_db.session()
        version = scenarios.import_text(s, yaml.safe_dump(document), publish=True)
        row = s.get(Drill, users["drill"].id)
        row.scenario_version_id, row.starts_at = version.id, T0
        team = s.get(Team, users["team"].id)
        team.tags = ["sector-health"]
        s.add_all([row, team])
        s.commit()
    tick(app, 40)
    got = {(team_id, inject_id) for team_id, inject_id, _ in releases(session, users["drill"].id)}
    assert got == {
        (users["team"].id, "I1"),
        (users["other_team"].id, "I1"),
        (users["team"].id, "I2"),
    }


def test_two_dispatchers_at_once_release_everything_exactly_once(app, drill, session):
    barrier = threading.Barrier(2)
    errors = []

    def run():
        try:
            barrier.wait()
            for minute in (1, 1, 31, 31, 32):
                tick(app, minute)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(releases(session, drill)) == 4
    count = session.exec(select(func.count()).select_from(InjectRelease)).one()
    assert count == 4
    started = session.exec(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "drill.started")
    ).one()
    assert started == 1


def test_the_scheduler_process_killed_and_restarted_loses_and_repeats_nothing(
    app, users, session, database_url
):
    """A real scheduler process runs a compressed drill (1 drill minute = 0.1 s); it is
    killed with SIGKILL after the first inject and a new one started after the second fell
    due: each inject reaches each team once, the late one with its real due time."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from core.models import utcnow
    from tests.conftest import ROOT

    # Time for the process to start (seconds on a loaded machine) before I1 falls due.
    start = utcnow() + timedelta(seconds=5)
    with app.app_context():
        s = core_db.session()
        version = scenarios.import_text(s, yaml.safe_dump(minimal()), publish=True)
        row = s.get(Drill, users["drill"].id)
        row.scenario_version_id, row.starts_at, row.compression = version.id, start, 600.0
        s.add(row)
        s.commit()
    env = {**os.environ, "DATABASE_URL": database_url, "SCHEDULER_TICK_SECONDS": "1"}

    def scheduler():
        return subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "drills", "scheduler"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def wait_for(condition, seconds):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            session.expire_all()
            if condition():
                return True
            time.sleep(0.2)
        return False

    first = scheduler()
    try:
        assert wait_for(lambda: len(releases(session, row.id)) == 2, 15)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    assert [r[1] for r in releases(session, row.id)] == ["I1", "I1"]
    time.sleep(max(0.0, (start + timedelta(seconds=3.5) - utcnow()).total_seconds()))
    second = scheduler()  # I2 fell due at start + 3 s, while nothing was running
    try:
        assert wait_for(lambda: len(releases(session, row.id)) == 4, 15)
        assert wait_for(lambda: session.get(Drill, row.id).state == "ended", 20)
    finally:
        second.terminate()
        second.wait(timeout=15)
    rows = session.exec(select(InjectRelease).where(InjectRelease.inject_id == "I2")).all()
    for r in rows:
        due, recorded = as_utc(r.due_at), as_utc(r.released_at)
        assert abs((due - (start + timedelta(seconds=3))).total_seconds()) < 0.01
        assert recorded > due  # recorded after the outage, with its real due time
    assert len(releases(session, row.id)) == 4


def test_the_console_shows_what_is_due_now_even_without_a_scheduler(app, client, users):
    from core.models import utcnow
    from tests.conftest import login

    with app.app_context():
        s = core_db.session()
        version = scenarios.import_text(s, yaml.safe_dump(minimal()), publish=True)
        row = s.get(Drill, users["drill"].id)
        # started 35 minutes ago; no scheduler has run, nothing recorded
        row.scenario_version_id, row.state = version.id, "running"
        row.starts_at = utcnow() - timedelta(minutes=35)
        s.add(row)
        s.commit()
    login(client, users["participant"].email)
    team_id = users["team"].id
    page = client.get(f"/drills/teams/{team_id}").get_data(as_text=True)
    assert "An <strong>alert</strong> fired." in page and "Regulator calls" in page
    assert "203.0.113.7" not in page.split("alert.log")[0]  # the expected answer is not shown
    feed = client.get(f"/drills/teams/{team_id}/feed")
    assert feed.status_code == 200 and feed.json["injects"] == ["I1", "I2"]
    again = client.get(
        f"/drills/teams/{team_id}/feed", headers={"If-None-Match": feed.headers["ETag"]}
    )
    assert again.status_code == 304 and again.data == b""
    other = client.get(f"/drills/teams/{users['other_team'].id}/feed")
    assert other.status_code == 404
    assert client.get("/drills/teams/999999/feed").status_code == 404


def email_inject_drill(app, users, locales: dict | None = None) -> None:
    """The drill with I1 sent by e-mail from the SOC; `locales`: role -> chosen language."""
    from core.models import User

    doc = minimal()
    doc["injects"][0]["channel"] = "email"
    doc["injects"][0]["sender"] = "SOC <soc@port.example>"
    with app.app_context():
        s = core_db.session()
        for role, locale in (locales or {}).items():
            s.get(User, users[role].id).locale = locale
        version = scenarios.import_text(s, yaml.safe_dump(doc), publish=True)
        row = s.get(Drill, users["drill"].id)
        row.scenario_version_id, row.starts_at, row.state = version.id, T0, "scheduled"
        row.email_injects = True
        s.add(row)
        s.commit()


def deliver(app) -> None:
    from core import outbox

    with app.app_context():
        outbox.deliver_due(core_db.session(), app.config)


def test_email_injects_go_out_once_per_member_with_the_banner(app, users, session, smtp_server):
    email_inject_drill(app, users)
    tick(app, 1)
    tick(app, 2)  # a second tick, or a second scheduler, queues nothing again
    deliver(app)
    received = sorted(smtp_server.messages, key=lambda m: m["To"])
    assert [m["To"] for m in received] == sorted(
        [users["participant"].email, users["other_participant"].email]
    )
    banner = "EXERCISE — EXERCISE — EXERCISE"
    for email in received:
        assert email["Subject"] == f"{banner} [TLP:GREEN] Alert"
        text = email.get_content()
        assert text.strip().startswith(banner) and "An **alert** fired." in text
        assert "From: SOC <soc@port.example>" in text and "/drills/teams/" in text


def test_an_email_inject_is_written_in_each_members_language(app, users, session, smtp_server):
    email_inject_drill(app, users, {"participant": "fr"})
    tick(app, 1)
    deliver(app)
    text = {m["To"]: m.get_content() for m in smtp_server.messages}
    french = text[users["participant"].email]
    assert "De\u00a0: SOC <soc@port.example>" in french
    assert "Répondez sur la console de l’équipe\u00a0:" in french
    assert "An **alert** fired." in french  # the scenario's own words, as written
    english = text[users["other_participant"].email]
    assert "From: SOC" in english and "Answer on the team console:" in english
