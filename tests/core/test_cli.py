import os
import signal
import subprocess
import sys
import time
import urllib.request

from sqlmodel import func, select

from core.models import Country, SchedulerHeartbeat, User
from tests.conftest import ROOT, free_port


def test_users_create(runner, session, countries):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "Nia@Gov.Example",
            "--name",
            "Nia",
            "--role",
            "focal_point",
            "--country",
            "ken",
            "--password",
            "long enough pw",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Created focal_point nia@gov.example" in result.output
    user = session.exec(select(User).where(User.email == "nia@gov.example")).one()
    assert session.get(Country, user.country_id).iso3 == "KEN"


def test_users_create_explains_what_is_wrong(runner, countries, session):
    base = ["users", "create", "--email", "x@gov.example", "--password", "long enough pw"]
    result = runner.invoke(args=[*base, "--role", "focal_point"])
    assert result.exit_code != 0
    assert "A focal point must be bound to a country" in result.output
    result = runner.invoke(args=[*base, "--role", "focal_point", "--country", "XYZ"])
    assert "No country with the code 'XYZ'" in result.output
    result = runner.invoke(args=[*base, "--role", "analyst", "--password", "short"])
    assert "at least 10 characters" in result.output
    assert session.exec(select(func.count()).select_from(User)).one() == 0


def test_demo_load_is_idempotent_and_prints_logins(runner, session):
    assert "Demo data loaded." in runner.invoke(args=["demo", "load"]).output
    count = session.exec(select(func.count()).select_from(User)).one()
    assert "already loaded" in runner.invoke(args=["demo", "load"]).output
    assert session.exec(select(func.count()).select_from(User)).one() == count
    assert session.exec(select(func.count()).select_from(Country)).one() == 193
    from scenarios.authoring.service import LIBRARY
    from scenarios.models import ScenarioVersion

    published = session.exec(select(ScenarioVersion).where(ScenarioVersion.state == "published"))
    assert len(published.all()) == len(list(LIBRARY.glob("*.yaml"))) > 0
    output = runner.invoke(args=["demo", "logins"]).output
    for role in ("admin", "analyst", "focal_point", "trainer", "evaluator", "participant"):
        assert role in output
    assert "cyberready-demo" in output


def test_countries_load_reports_changes(runner):
    assert "193 row(s)" in runner.invoke(args=["countries", "load"]).output
    assert "0 row(s)" in runner.invoke(args=["countries", "load"]).output


def test_serve_runs_web_and_scheduler_and_ctrl_c_stops_both(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite'}",
        "SCHEDULER_TICK_SECONDS": "1",
        "FLASK_APP": "wsgi",
        "PORT": str(port),
    }
    env.pop("TEST_DATABASE_URL", None)
    flask = [sys.executable, "-m", "flask"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    server = subprocess.Popen(
        [*flask, "serve"],
        cwd=ROOT,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline, status = time.monotonic() + 30, None
        while status != 200 and time.monotonic() < deadline:
            time.sleep(0.3)
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz") as response:  # noqa: S310
                    status = response.status
            except OSError:
                pass
        assert status == 200, "web server and scheduler were not both up within 30 s"
    finally:
        server.send_signal(signal.SIGINT)  # what Ctrl-C sends to the web server
        output, _ = server.communicate(timeout=20)
    assert server.returncode == 0, output
    assert f"running at http://127.0.0.1:{port}" in output
    assert "Stopped the web server and the scheduler." in output
    from sqlalchemy import create_engine
    from sqlmodel import Session

    engine = create_engine(env["DATABASE_URL"])
    with Session(engine) as check:
        assert check.exec(select(SchedulerHeartbeat)).all() == []  # the scheduler left cleanly
    engine.dispose()
