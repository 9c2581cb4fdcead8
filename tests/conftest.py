"""Fixtures: a migrated database (SQLite file, or PostgreSQL when TEST_DATABASE_URL is set),
an app per test over it, users per role, and helpers to sign in and send CSRF tokens."""

from __future__ import annotations

import os
import re
import socket
from email import message_from_bytes
from email import policy as email_policy
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import SQLModel

from core import create_app, migrate
from core import db as core_db

ROOT = Path(__file__).resolve().parent.parent


def pytest_sessionstart(session):
    """Compile the translation catalogs, so the tests never read stale .mo files."""
    import subprocess
    import sys

    pybabel = Path(sys.executable).parent / "pybabel"
    subprocess.run(
        [str(pybabel), "compile", "-d", str(ROOT / "core" / "translations")],
        check=True,
        capture_output=True,
    )


CHEAP_ARGON2 = {"ARGON2_TIME_COST": 1, "ARGON2_MEMORY_KIB": 8, "ARGON2_PARALLELISM": 1}
PASSWORD = "correct horse battery"
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")


def reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """A database migrated to head once per test session (the migrations are the schema)."""
    if TEST_DATABASE_URL:
        reset_postgres(TEST_DATABASE_URL)
        url = TEST_DATABASE_URL
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
    migrate.upgrade(url)
    return url


def empty_tables(engine) -> None:
    import core.models  # noqa: F401
    import drills.models  # noqa: F401
    import gci.models  # noqa: F401
    import scenarios.models  # noqa: F401

    with engine.begin() as connection:
        for table in reversed(SQLModel.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture
def app(database_url):
    app = create_app(
        {
            "APP_ENV": "test",
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret-key-that-is-long-enough-to-pass",
            **CHEAP_ARGON2,
        },
        environ={},
    )
    yield app
    with app.app_context():
        empty_tables(core_db.engine())
        core_db.engine().dispose()


def free_port() -> int:
    """A TCP port nobody listens on (right now): a closed port for a failing SMTP server."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    """A real SMTP server (aiosmtpd) on a free local port, keeping every message it receives."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.messages = []  # email.message.EmailMessage, in the order received
        self.port = free_port()
        self.url = f"smtp://127.0.0.1:{self.port}"
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, _server, _session, envelope):
        message = message_from_bytes(envelope.content, policy=email_policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(app):
    """Starts the server and points the app under test (SMTP_URL) at it."""
    server = SmtpServer()
    server.controller.start()
    app.config["SMTP_URL"] = server.url
    yield server
    server.controller.stop()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def session(app):
    """A session of its own, outside any app context: an app context left pushed would be
    shared by the test client's requests (and with it `g`), which no real request sees."""
    db_session = app.extensions[core_db.EXTENSION_KEY]["sessionmaker"]()
    yield db_session
    db_session.close()


@pytest.fixture
def countries(app):
    from core import countries as country_data

    with app.app_context():
        country_data.sync(core_db.session())
        core_db.session().commit()


@pytest.fixture
def users(app, countries):
    with app.app_context():
        return _make_users(core_db.session())


def _make_users(session):
    """One user per role, plus a second focal point and participant for cross-object checks."""
    from core import accounts
    from core.models import Role, utcnow
    from drills.models import Drill, DrillEvaluator, Team, TeamMember

    def make(local, role, country=None):
        return accounts.create_user(
            session,
            email=f"{local}@test.example",
            name=local.title(),
            role=role,
            password=PASSWORD,
            country_iso3=country,
        )

    people = {
        "admin": make("admin", Role.admin),
        "analyst": make("analyst", Role.analyst),
        "focal_point": make("focal", Role.focal_point, "KEN"),
        "other_focal_point": make("focal.fr", Role.focal_point, "FRA"),
        "trainer": make("trainer", Role.trainer),
        "evaluator": make("evaluator", Role.evaluator),
        "other_evaluator": make("evaluator2", Role.evaluator),
        "participant": make("participant", Role.participant),
        "other_participant": make("participant2", Role.participant),
    }
    drill = Drill(name="Test drill", starts_at=utcnow())
    other_drill = Drill(name="Other drill", starts_at=utcnow())
    session.add_all([drill, other_drill])
    session.flush()
    team = Team(drill_id=drill.id, name="Team A")
    other_team = Team(drill_id=drill.id, name="Team B")
    session.add_all([team, other_team])
    session.flush()
    session.add_all(
        [
            DrillEvaluator(drill_id=drill.id, user_id=people["evaluator"].id),
            DrillEvaluator(drill_id=other_drill.id, user_id=people["other_evaluator"].id),
            TeamMember(team_id=team.id, user_id=people["participant"].id),
            TeamMember(team_id=other_team.id, user_id=people["other_participant"].id),
        ]
    )
    session.commit()
    people["drill"], people["other_drill"] = drill, other_drill
    people["team"], people["other_team"] = team, other_team
    return people


CSRF_INPUT = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|'
    r'name="csrf_token" value="([^"]+)"'
)


def csrf_from(client, path: str = "/login") -> str:
    html = client.get(path).get_data(as_text=True)
    match = CSRF_INPUT.search(html)
    assert match, f"no CSRF token on {path}"
    return match.group(1) or match.group(2)


def login(client, email: str, password: str = PASSWORD, remember: bool = False):
    data = {"email": email, "password": password, "csrf_token": csrf_from(client)}
    if remember:
        data["remember"] = "y"
    return client.post("/login", data=data)


@pytest.fixture
def login_as(client, users):
    def _login(role: str):
        response = login(client, users[role].email)
        assert response.status_code == 302, response.get_data(as_text=True)
        return users[role]

    return _login
