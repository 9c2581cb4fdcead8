"""What the requests answered before Flask share with Flask's own handling.

Two hot paths skip Flask's request machinery, which costs more than their work: the drill
console's idle poll (drills/poll.py) and the questionnaire's answer autosave
(gci/autosave.py). Each takes only the plain case and passes anything else on to Flask. What
they must decide as Flask would lives here, next to the extension each mirrors, so that the
two cannot drift apart (tests/gci/test_autosave.py and tests/drills/test_poll.py compare
them with the extensions):

- the signed session cookie, read as Flask reads it: its signature checked once per process
  per cookie (a page sends the same cookie again and again), its age at every request;
- Flask-Login's view of that session (core/auth.py): the user id and session token in
  `_user_id`, and whether Flask-Login could act on this request (session protection, a
  remember-me cookie to set): then only Flask may answer, as only Flask writes cookies;
- Flask-WTF's CSRF check (core/security.py): the signed token of the X-CSRFToken header
  against the session's raw token, and on HTTPS a Referer of the same origin;
- the security headers Flask-Talisman puts on every reply, asked of Flask once per scheme.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from flask import Flask
from flask_wtf.csrf import same_origin
from itsdangerous import BadData, URLSafeTimedSerializer
from werkzeug.http import parse_cookie
from werkzeug.test import EnvironBuilder, run_wsgi_app
from werkzeug.wsgi import get_host

EXTENSION_KEY = "cyberready.shortcut"
SIGNED_KEPT = 4096  # cookies and CSRF tokens whose signature was checked, kept per process
CSRF_SALT = "wtf-csrf-token"  # Flask-WTF's
SAMPLE_PATH = "/drills/teams/0/feed"  # asked once of Flask for its headers (no such team)
SECURITY = frozenset(
    {
        "content-security-policy", "cross-origin-opener-policy", "document-policy",
        "permissions-policy", "referrer-policy", "strict-transport-security",
        "x-content-type-options", "x-frame-options",
    }
)  # fmt: skip


def for_app(app: Flask, wsgi_app) -> Shortcuts:
    """The app's one Shortcuts (its caches are per process); `wsgi_app`: Flask's own, for
    the header sample."""
    found = app.extensions.get(EXTENSION_KEY)
    if found is None:
        found = app.extensions[EXTENSION_KEY] = Shortcuts(app, wsgi_app)
    return found


class _Signed:
    """Signed values checked once each: value -> (data, signed at, epoch seconds)."""

    def __init__(self):
        self.known: dict[str, tuple[object, float]] = {}

    def loads(self, serializer, value: str, max_age: int):
        known = self.known.get(value)
        if known is None:
            try:
                data, signed_at = serializer.loads(value, max_age=max_age, return_timestamp=True)
            except BadData:
                return None
            if len(self.known) >= SIGNED_KEPT:
                self.known.clear()
            known = self.known[value] = (data, signed_at.timestamp())
        if not 0 <= time.time() - known[1] <= max_age:
            return None
        return known[0]


class Shortcuts:
    def __init__(self, app: Flask, wsgi_app):
        self.app = app
        self.flask = wsgi_app
        self.cookies = _Signed()
        self.csrf_tokens = _Signed()
        self.headers: dict[str, list[tuple[str, str]]] = {}

    def session(self, environ) -> dict | None:
        """The request's Flask session as Flask would read it (None: no valid cookie). The
        dict is shared between requests: read it, never change it."""
        app = self.app
        cookie = parse_cookie(environ).get(app.config["SESSION_COOKIE_NAME"])
        serializer = app.session_interface.get_signing_serializer(app) if cookie else None
        if serializer is None:
            return None
        max_age = int(app.permanent_session_lifetime.total_seconds())
        data = self.cookies.loads(serializer, cookie, max_age)
        if not isinstance(data, dict) or not self.mirrored():
            return None
        if data.get("_permanent") and app.config["SESSION_REFRESH_EACH_REQUEST"]:
            return None  # Flask sends a new cookie on every reply
        return data

    def mirrored(self) -> bool:
        """Whether the app runs with settings these shortcuts follow: settings that make
        Flask write a cookie on every reply, or check the Host header, are not."""
        config = self.app.config
        unfollowed = ("REMEMBER_COOKIE_REFRESH_EACH_REQUEST", "TRUSTED_HOSTS")
        return not any(config.get(name) for name in unfollowed)

    def csrf_valid(self, environ, session: dict) -> bool:
        """Flask-WTF's CSRFProtect.protect() for a token sent in a header, without raising."""
        config = self.app.config
        sent = None
        for name in config["WTF_CSRF_HEADERS"]:
            sent = environ.get("HTTP_" + name.upper().replace("-", "_"))
            if sent:
                break
        raw = session.get(config["WTF_CSRF_FIELD_NAME"])
        if not sent or not isinstance(raw, str):
            return False
        secret = config.get("WTF_CSRF_SECRET_KEY") or self.app.secret_key
        serializer = URLSafeTimedSerializer(secret, salt=CSRF_SALT)
        time_limit = config["WTF_CSRF_TIME_LIMIT"] or 10 * 365 * 24 * 3600
        token = self.csrf_tokens.loads(serializer, sent, time_limit)
        if not isinstance(token, str) or not hmac.compare_digest(raw, token):
            return False
        if environ.get("wsgi.url_scheme") == "https" and config["WTF_CSRF_SSL_STRICT"]:
            referrer = environ.get("HTTP_REFERER")
            return bool(referrer) and same_origin(referrer, f"https://{get_host(environ)}/")
        return True

    def security_headers(self, environ) -> list[tuple[str, str]]:
        """The security headers Flask puts on its replies (flask-talisman, core/security.py),
        asked of Flask itself once for plain and once for secure requests (HSTS goes only on
        those: HTTPS, or X-Forwarded-Proto https, as Talisman tells them)."""
        secure = (
            environ.get("wsgi.url_scheme") == "https"
            or environ.get("HTTP_X_FORWARDED_PROTO") == "https"
        )
        scheme = "https" if secure else "http"
        found = self.headers.get(scheme)
        if found is None:
            sample = EnvironBuilder(SAMPLE_PATH, base_url=f"{scheme}://localhost/")
            _body, _status, headers = run_wsgi_app(self.flask, sample.get_environ())
            found = [(name, value) for name, value in headers.items() if name.lower() in SECURITY]
            if not any(name.lower() == "content-security-policy" for name, _ in found):
                raise RuntimeError("Flask's sample reply has no security headers")
            self.headers[scheme] = found
        return found


def session_user(session: dict) -> tuple[int, str] | None:
    """(user id, session token) of Flask-Login's `_user_id` ("<id>:<token>", core/auth.py)."""
    user_id, _, token = str(session.get("_user_id", "")).partition(":")
    if not (user_id.isdigit() and token):
        return None
    return int(user_id), token


def login_identifier(environ) -> str:
    """Flask-Login's session identifier of this request (its _create_identifier): a hash of
    the client's address and User-Agent, in Flask-Login's own formatting."""
    address = environ.get("HTTP_X_FORWARDED_FOR", environ.get("REMOTE_ADDR"))
    if address is not None:
        address = address.encode("utf-8").split(b",")[0].strip()
    agent = environ.get("HTTP_USER_AGENT")
    if agent is not None:
        agent = agent.encode("utf-8")
    return hashlib.sha512(f"{address}|{agent}".encode()).hexdigest()


def login_would_act(session: dict, environ) -> bool:
    """Whether Flask-Login's session protection (core/auth.py) could act on this request: a
    remember-me cookie to set or clear, or a session seen from another address or browser
    (which "basic" protection marks not fresh and "strong" ends). Flask decides those."""
    return "_remember" in session or session.get("_id") != login_identifier(environ)
