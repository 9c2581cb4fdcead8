"""Database engine and the one session per request (or per CLI command / scheduler tick)."""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

EXTENSION_KEY = "cyberready.db"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # The web server and the scheduler process both write: WAL lets readers go on while one
    # writes, busy_timeout waits for the lock instead of failing with "database is locked".
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"])
    factory = sessionmaker(engine, class_=Session, expire_on_commit=False)
    event.listen(factory, "after_commit", _note_commit)
    app.extensions[EXTENSION_KEY] = {"engine": engine, "sessionmaker": factory}
    app.teardown_appcontext(_close_session)


def engine() -> Engine:
    return current_app.extensions[EXTENSION_KEY]["engine"]


def session() -> Session:
    """The session of the current app context; a use case commits it once, at its end."""
    if "db_session" not in g:
        g.db_session = current_app.extensions[EXTENSION_KEY]["sessionmaker"]()
    return g.db_session


def execute(db_session: Session, statement, params=None):
    """A Core statement (tables, not ORM classes) in the session's transaction, without the
    ORM's work around each statement, which on SQLite costs twice the statement itself (an
    autosave runs three). Pending objects are flushed first, as Session.execute does."""
    db_session.flush()
    return db_session.connection().execute(statement, params)


def _note_commit(db_session: Session) -> None:
    db_session.info["committed"] = True


def committed(db_session: Session) -> bool:
    """Whether this session (of the app's sessionmaker) has committed anything yet."""
    return db_session.info.get("committed", False)


def _close_session(_exc) -> None:
    db_session = g.pop("db_session", None)
    if db_session is not None:
        db_session.close()  # rolls back anything a failed use case left uncommitted
