"""`upgrade head` on an empty database gives exactly the models; `downgrade base` empties it."""

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

import core.models  # noqa: F401
import drills.models  # noqa: F401
import gci.models  # noqa: F401
import scenarios.models  # noqa: F401
from core import migrate
from core.db import make_engine
from tests.conftest import TEST_DATABASE_URL


@pytest.fixture
def empty_database_url(tmp_path):
    if not TEST_DATABASE_URL:
        yield f"sqlite:///{tmp_path / 'empty.sqlite'}"
        return
    name = f"cyberready_migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(TEST_DATABASE_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(TEST_DATABASE_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def test_upgrade_head_matches_the_models_and_downgrade_base_empties(empty_database_url):
    migrate.upgrade(empty_database_url)
    engine = make_engine(empty_database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "include_name": migrate.include_name}
            )
            assert compare_metadata(context, SQLModel.metadata) == []
        assert migrate.current_revision(engine) == migrate.head_revision()
        migrate.downgrade(empty_database_url, "base")
        remaining = set(inspect(engine).get_table_names()) - {"alembic_version"}
        assert remaining == set()
        assert migrate.current_revision(engine) is None
        # and back up again: a downgrade that leaves debris would break this
        migrate.upgrade(empty_database_url)
        assert migrate.current_revision(engine) == migrate.head_revision()
    finally:
        engine.dispose()


def test_apscheduler_tables_are_not_ours():
    assert migrate.include_name("apscheduler_jobs", "table", {}) is False
    assert migrate.include_name("user_account", "table", {}) is True


def test_the_revision_template_imports_sqlmodel():
    from tests.conftest import ROOT

    assert "import sqlmodel" in (ROOT / "migrations" / "script.py.mako").read_text()


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'p.sqlite'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 15000
    engine.dispose()
