import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

from sqlmodel import select

from core.models import SchedulerHeartbeat, utcnow
from drills import scheduler
from tests.conftest import ROOT


def test_healthz_without_a_scheduler_is_503_with_the_reason(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json
    assert body["database"] == "ok"
    assert body["migrations"]["current"] == body["migrations"]["head"]
    assert any("no scheduler heartbeat" in p for p in body["problems"])


def test_healthz_is_ok_after_a_heartbeat_and_fails_when_it_is_stale(app, client, session):
    with app.app_context():
        from core import db

        scheduler.beat(db.session(), "test-host:1")
    response = client.get("/healthz")
    assert response.status_code == 200, response.json
    assert response.json["status"] == "ok"
    assert response.json["scheduler"]["last_heartbeat_age_seconds"] < 5

    row = session.get(SchedulerHeartbeat, "test-host:1")
    row.beat_at = utcnow() - timedelta(minutes=5)
    session.add(row)
    session.commit()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert any("heartbeat is 300 s old" in p for p in response.json["problems"])


def test_healthz_names_a_database_behind_the_code(app, client, session):
    from sqlalchemy import text

    session.execute(text("UPDATE alembic_version SET version_num = 'old'"))
    session.commit()
    try:
        response = client.get("/healthz")
        assert response.status_code == 503
        assert any("run migrations" in p for p in response.json["problems"])
    finally:
        from core import migrate

        session.execute(
            text("UPDATE alembic_version SET version_num = :head"),
            {"head": migrate.head_revision()},
        )
        session.commit()


def test_scheduler_process_beats_and_stops_cleanly_on_sigterm(app, session, database_url):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SCHEDULER_TICK_SECONDS": "1",
        "APP_ENV": "test",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "drills", "scheduler"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 20
        rows = []
        while time.monotonic() < deadline and not rows:
            time.sleep(0.3)
            session.expire_all()
            rows = session.exec(select(SchedulerHeartbeat)).all()
        assert rows, "the scheduler wrote no heartbeat within 20 s"
        assert rows[0].process.endswith(f":{process.pid}")
        first_beat = rows[0].beat_at
        time.sleep(2.5)
        session.expire_all()
        assert session.get(SchedulerHeartbeat, rows[0].process).beat_at > first_beat
    finally:
        # Ctrl-C in a terminal reaches the scheduler, and `flask serve` then sends SIGTERM too
        process.send_signal(signal.SIGINT)
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=15)
    assert process.returncode == 0, output
    assert "stopped" in output and "Traceback" not in output
    session.expire_all()
    assert session.exec(select(SchedulerHeartbeat)).all() == []  # it forgot itself
