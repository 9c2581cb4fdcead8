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
- the ETag is computed as the feed computes it (drills/service.py console_etag), from the
  drill clock now and the facts cached by revision (drills/facts.py): what fell due by the
  clock alone changes it at once; facts not cached yet (after an answer, a pause or a
  broadcast renewed a revision) are read here through drills/facts.py, as the console does.

Anything else, including any error here, goes on to Flask unchanged.
"""

from __future__ import annotations

import logging
import re
import secrets
import time
from types import SimpleNamespace

from flask import Flask
from itsdangerous import BadSignature
from sqlalchemy import and_, bindparam, select
from sqlmodel import Session
from werkzeug.http import parse_cookie, parse_etags
from werkzeug.test import EnvironBuilder, run_wsgi_app

from core import db
from core.models import Role, User, utcnow
from drills import facts, service, workflow
from drills.clock import elapsed_minutes
from drills.models import Drill, Team, TeamMember
from scenarios import service as scenarios
from scenarios.models import ScenarioVersion

log = logging.getLogger(__name__)
FEED = re.compile(r"/drills/teams/([0-9]{1,18})/feed")
SIGNED_COOKIES = 4096  # cookies whose signature was checked, kept per process
SAMPLE_PATH = "/drills/teams/0/feed"  # asked once of Flask for its headers (no such team)
SECURITY = frozenset(
    {
        "content-security-policy", "cross-origin-opener-policy", "document-policy",
        "permissions-policy", "referrer-policy", "strict-transport-security",
        "x-content-type-options", "x-frame-options",
    }
)  # fmt: skip


class PollShortcut:
    def __init__(self, app: Flask, wsgi_app):
        self.app = app
        self.next = wsgi_app
        self.serializer = None  # the session cookie's, made on first use (config is final)
        self.security: dict[str, list[tuple[str, str]]] = {}
        self.signed: dict[str, tuple[int, str, float]] = {}  # cookie: user, token, signed at
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
                        headers.append((service.POLL_AFTER_HEADER, service.poll_after_ms(soon)))
                    headers += [("Vary", "Cookie"), *self.security_headers(environ)]
                    if parse_etags(asked).contains(etag):
                        start_response("304 NOT MODIFIED", headers)
                        return []
                    data = body.encode()
                    headers += [("Content-Type", "application/json")]
                    start_response("200 OK", [*headers, ("Content-Length", str(len(data)))])
                    return [data]
        return self.next(environ, start_response)

    def security_headers(self, environ) -> list[tuple[str, str]]:
        """The security headers Flask puts on its replies (flask-talisman, core/security.py),
        asked of Flask itself once per URL scheme (HSTS goes only on HTTPS), so that the
        two cannot drift apart."""
        scheme = environ.get("wsgi.url_scheme", "http")
        found = self.security.get(scheme)
        if found is None:
            sample = EnvironBuilder(SAMPLE_PATH, base_url=f"{scheme}://localhost/")
            _body, _status, headers = run_wsgi_app(self.next, sample.get_environ())
            found = self.security[scheme] = [
                (name, value) for name, value in headers.items() if name.lower() in SECURITY
            ]
        return found

    def _session_user(self, environ) -> tuple[int, str] | None:
        app = self.app
        cookie = parse_cookie(environ).get(app.config["SESSION_COOKIE_NAME"])
        if self.serializer is None:
            self.serializer = app.session_interface.get_signing_serializer(app)
        if not cookie or self.serializer is None:
            return None
        max_age = int(app.permanent_session_lifetime.total_seconds())
        # A console sends the same cookie every two seconds: its signature is checked once,
        # its age at every poll.
        known = self.signed.get(cookie)
        if known is None:
            try:
                data, signed_at = self.serializer.loads(
                    cookie, max_age=max_age, return_timestamp=True
                )
            except BadSignature:
                return None
            user_id, _, token = str(data.get("_user_id", "")).partition(":")
            if not (user_id.isdigit() and token):
                return None
            known = (int(user_id), token, signed_at.timestamp())
            if len(self.signed) >= SIGNED_COOKIES:
                self.signed.clear()
            self.signed[cookie] = known
        if not 0 <= time.time() - known[2] <= max_age:
            return None
        return known[0], known[1]

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
        scenario = scenarios.cached_scenario(row.checksum) if row.checksum else None
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
        elapsed = elapsed_minutes(timing, now)
        length = scenario.duration_minutes + row.extra_minutes
        if workflow.state_seen(row.state, True, elapsed >= length) != row.state:
            return None  # the clock is ahead of the stored state: Flask says what it means
        ids = [i.id for _, i in service.due_injects(scenario, minutes, elapsed)]
        soon = None
        if row.state == "running":
            soon = service.poll_after([service.next_due(timing, minutes, elapsed)], now)
        return (
            service.console_etag(row.state, ids, marks),
            service.feed_body(row.state, elapsed, ids),
            soon,
        )
