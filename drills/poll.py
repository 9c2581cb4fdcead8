"""The console's poll, answered before Flask.

A thousand consoles ask every two seconds whether their team's page changed; nearly always
it has not. Through Flask (sessions, Flask-Login, the ORM, security headers) each such
question costs milliseconds of CPU, which at 500 a second is more than the machine has. This
WSGI middleware answers the feed itself (304 Not Modified, or the new list when an inject
has just arrived) with one database query (three when a revision has just changed):

- only a GET of /drills/teams/<id>/feed carrying If-None-Match and a signed session cookie;
- the cookie's user must be active, hold the session token of the cookie (a password change
  or a disabled account ends it here as in core/accounts.py), be a participant and a member of
  that team; staff, other teams and anything unusual go on to Flask, which decides;
- the ETag and body come from the console's one feed computation (drills/console/rules.py
  `feed`, which the console view uses too), from the drill clock now and the facts cached
  by revision (drills/facts.py): what fell due by the clock alone changes it at once; facts
  not cached yet (after an answer, a pause or a broadcast renewed a revision) are read here
  through drills/facts.py, as the console does.

Membership is checked here in SQL (the join on TeamMember), not through core/policy.py: the
one exception to "policy decides", kept until this shortcut is deleted.

Anything else, including any error here, goes on to Flask unchanged.
"""

from __future__ import annotations

import logging
import re
import secrets
from types import SimpleNamespace

from flask import Flask
from sqlalchemy import and_, bindparam, select
from sqlmodel import Session
from werkzeug.http import parse_etags

from core import db, shortcut
from core.models import Role, User, utcnow
from drills import facts
from drills.console import rules as console_rules
from drills.models import Drill, Team, TeamMember
from scenarios.authoring import service as scenario_service
from scenarios.models import ScenarioVersion

log = logging.getLogger(__name__)
FEED = re.compile(r"/drills/teams/([0-9]{1,18})/feed")


class PollShortcut:
    def __init__(self, app: Flask, wsgi_app):
        self.app = app
        self.next = wsgi_app
        self.shortcuts = shortcut.for_app(app, wsgi_app)
        user = bindparam("user_id")
        self.query = (
            select(
                User.session_token, User.active, User.role,
                Team.id.label("team_id"), Team.revision.label("team_revision"), Team.tags,
                Drill.id.label("drill_id"), Drill.revision, Drill.state, Drill.starts_at,
                Drill.compression, Drill.ended_at, Drill.scenario_version_id, Drill.extra_minutes,
                ScenarioVersion.checksum,
            )
            .select_from(Team)
            .join(Drill, Drill.id == Team.drill_id)
            .join(TeamMember, and_(TeamMember.team_id == Team.id, TeamMember.user_id == user))
            .join(User, User.id == TeamMember.user_id)
            .outerjoin(ScenarioVersion, ScenarioVersion.id == Drill.scenario_version_id)
            .where(Team.id == bindparam("team_id"))
        )  # fmt: skip

    def __call__(self, environ, start_response):
        asked = environ.get("HTTP_IF_NONE_MATCH")
        if asked and environ.get("REQUEST_METHOD") == "GET":
            match = FEED.fullmatch(environ.get("PATH_INFO", ""))
            if match:
                try:
                    found = self.feed_now(environ, int(match[1]))
                except Exception:  # noqa: BLE001 - Flask answers and reports it properly
                    log.exception("poll shortcut failed; Flask answers")
                    found = None
                if found is not None:
                    etag, body, soon = found
                    headers = [("ETag", f'"{etag}"'), ("Cache-Control", "no-cache")]
                    if soon is not None:
                        headers.append(
                            (console_rules.POLL_AFTER_HEADER, console_rules.poll_after_ms(soon))
                        )
                    headers += [("Vary", "Cookie"), *self.shortcuts.security_headers(environ)]
                    if parse_etags(asked).contains(etag):
                        start_response("304 NOT MODIFIED", headers)
                        return []
                    data = body.encode()
                    headers += [("Content-Type", "application/json")]
                    start_response("200 OK", [*headers, ("Content-Length", str(len(data)))])
                    return [data]
        return self.next(environ, start_response)

    def _session_user(self, environ) -> tuple[int, str] | None:
        session = self.shortcuts.session(environ)
        if session is None or shortcut.login_would_act(session, environ):
            return None
        return shortcut.session_user(session)

    @staticmethod
    def _connect(engine):
        connection = engine.connect()
        if engine.dialect.name == "postgresql":
            # One statement, no transaction: no BEGIN and ROLLBACK round trips around it.
            # (On SQLite switching the mode costs more than it saves.)
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        return connection

    def feed_now(self, environ, team_id: int) -> tuple[str, str, float | None] | None:
        """The feed's ETag, body and poll-after seconds now, if this poll may be answered
        here; None: ask Flask."""
        signed_in = self._session_user(environ)
        if signed_in is None:
            return None
        user_id, token = signed_in
        query = self.query  # built once: its compiled form is cached by SQLAlchemy
        engine = self.app.extensions[db.EXTENSION_KEY]["engine"]
        with self._connect(engine) as connection:
            row = connection.execute(query, {"user_id": user_id, "team_id": team_id}).first()
        if row is None or not row.active or row.role != Role.participant:
            return None
        if not secrets.compare_digest(row.session_token, token):
            return None
        drill = SimpleNamespace(
            id=row.drill_id, revision=row.revision, starts_at=row.starts_at,
            compression=row.compression, ended_at=row.ended_at,
            scenario_version_id=row.scenario_version_id,
        )  # fmt: skip
        team = SimpleNamespace(id=row.team_id, revision=row.team_revision, tags=row.tags)
        marks = (row.revision, row.team_revision)
        scenario = scenario_service.cached_scenario(row.checksum) if row.checksum else None
        if scenario is None or row.state == "scheduled":
            return None  # rare and cheap: Flask answers
        timing = facts.peek(engine, facts.timing_key(drill))
        minutes = facts.peek(engine, facts.minutes_key(drill, team))
        if timing is None or minutes is None:
            # Just after an answer (team revision) or a broadcast (drill revision): read them
            # here, as the console would; through Flask this cost five times as much, for
            # each of the team's consoles.
            with Session(engine) as session:
                timing = facts.timing_of(session, drill)
                minutes = facts.release_minutes(session, drill, scenario, [team])[team.id]
        now = utcnow()
        seen = console_rules.feed(
            scenario, timing, minutes, stored_state=row.state, started=True,
            extra_minutes=row.extra_minutes, marks=marks, now=now,
        )  # fmt: skip
        if seen.state != row.state:
            return None  # the clock is ahead of the stored state: Flask says what it means
        return seen.etag, seen.body, seen.poll_after
