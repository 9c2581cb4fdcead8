"""Fixtures: a database per test (on SQLite a copy of a template file migrated and loaded once
per run; on PostgreSQL, when TEST_DATABASE_URL is set, the one database emptied after each
test), an app per test over it, users per role, and helpers to sign in and send CSRF tokens."""

from __future__ import annotations

import os
import re
import shutil
import socket
from email import message_from_bytes
from email import policy as email_policy
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import SQLModel, select

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


SECRET_KEY = "test-secret-key-that-is-long-enough-to-pass"
# What a test's database holds, each level with the one before's data too: the migrated schema,
# the 193 countries (the `countries` fixture), the users per role with two drills and teams
# (the `users` fixture). A test gets the least that its fixtures ask for.
LEVELS = ("schema", "countries", "users")
USERS = {  # the `users` fixture's key: (e-mail local part, role, country)
    "admin": ("admin", "admin", None),
    "analyst": ("analyst", "analyst", None),
    "focal_point": ("focal", "focal_point", "KEN"),
    "other_focal_point": ("focal.fr", "focal_point", "FRA"),
    "trainer": ("trainer", "trainer", None),
    "evaluator": ("evaluator", "evaluator", None),
    "other_evaluator": ("evaluator2", "evaluator", None),
    "participant": ("participant", "participant", None),
    "other_participant": ("participant2", "participant", None),
}


def make_app(database_url: str):
    return create_app(
        {
            "APP_ENV": "test",
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": SECRET_KEY,
            **CHEAP_ARGON2,
        },
        environ={},
    )


def load(database_url: str, level: str, app=None) -> None:
    """Adds what `level` holds more than the level before it to a database that has that
    (through `app`, an app over that database, if given)."""
    if level == "schema":
        migrate.upgrade(database_url)
        return
    from core import countries as country_data

    own = app is None
    app = make_app(database_url) if own else app
    with app.app_context():
        if level == "countries":
            country_data.sync(core_db.session())
            core_db.session().commit()
        else:
            _make_users(core_db.session())
        if own:
            core_db.engine().dispose()


def data_level(request) -> str:
    """The least a test's fixtures (direct or not) ask its database to hold."""
    names = set(request.fixturenames)
    return "users" if "users" in names else "countries" if "countries" in names else "schema"


class SqliteCopies:
    """One template file per level, made once per run; each test works on a copy of its own."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.templates = {}
        previous = None
        for level in LEVELS:
            path = folder / f"template-{level}.sqlite"
            if previous is not None:
                shutil.copyfile(previous, path)
            load(f"sqlite:///{path}", level)
            # every connection is closed, so the write-ahead log is folded into the file
            assert not path.with_name(path.name + "-wal").exists()
            self.templates[level] = previous = path
        self.count = 0

    def acquire(self, level: str) -> str:
        self.count += 1
        path = self.folder / f"test-{self.count}.sqlite"
        shutil.copyfile(self.templates[level], path)
        return f"sqlite:///{path}"

    def release(self, url: str) -> None:
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)

    def close(self) -> None:
        pass


class PostgresReset:
    """PostgreSQL (TEST_DATABASE_URL): the one database, migrated once; a test's data is
    loaded before it and every table emptied after it. This beats a database per test made
    from template databases: DROP + CREATE DATABASE … TEMPLATE cost 240-310 ms a test on
    PostgreSQL 15 (600-900 ms with STRATEGY FILE_COPY), loading and emptying 120-190 ms."""

    def __init__(self, url: str):
        self.url = url
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        load(url, "schema")
        self.loader = make_app(url)

    def acquire(self, level: str) -> str:
        for step in LEVELS[1 : LEVELS.index(level) + 1]:
            load(self.url, step, self.loader)
        return self.url

    def release(self, url: str) -> None:
        with self.loader.app_context():
            empty_tables(core_db.engine())

    def close(self) -> None:
        with self.loader.app_context():
            core_db.engine().dispose()


@pytest.fixture(scope="session")
def databases(tmp_path_factory):
    """Where each test's database comes from (made once per run)."""
    if TEST_DATABASE_URL:
        source = PostgresReset(TEST_DATABASE_URL)
    else:
        source = SqliteCopies(tmp_path_factory.mktemp("db"))
    yield source
    source.close()


@pytest.fixture
def database_url(request, databases) -> str:
    """A database of the test's own, migrated, with what its fixtures ask for already in it
    (give this URL to a process the test starts)."""
    url = databases.acquire(data_level(request))
    yield url
    databases.release(url)


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
    app = make_app(database_url)
    yield app
    with app.app_context():
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
    """The 193 countries: asking for it gives the test a database that holds them."""


@pytest.fixture
def users(app, countries):
    """The users per role, two drills and their teams (already in the test's database), with
    the drills starting now."""
    with app.app_context():
        return _find_users(core_db.session())


def _make_users(session):
    """One user per role, plus a second focal point and participant for cross-object checks."""
    from core import accounts
    from core.models import Role, utcnow
    from drills.models import Drill, DrillEvaluator, Team, TeamMember

    people = {
        key: accounts.create_user(
            session,
            email=f"{local}@test.example",
            name=local.title(),
            role=Role[role],
            password=PASSWORD,
            country_iso3=country,
        )
        for key, (local, role, country) in USERS.items()
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


def _find_users(session):
    """The people of _make_users by key, with "drill", "other_drill", "team", "other_team";
    the drills start now, as if made by this test."""
    from core.models import User, utcnow
    from drills.models import Drill, Team

    by_email = {user.email: user for user in session.exec(select(User))}
    people = {key: by_email[f"{local}@test.example"] for key, (local, *_) in USERS.items()}
    drills = {drill.name: drill for drill in session.exec(select(Drill))}
    teams = {team.name: team for team in session.exec(select(Team))}
    people["drill"], people["other_drill"] = drills["Test drill"], drills["Other drill"]
    people["team"], people["other_team"] = teams["Team A"], teams["Team B"]
    for drill in (people["drill"], people["other_drill"]):
        drill.starts_at = utcnow()
    session.commit()
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
