"""The questionnaire's answer autosave, answered before Flask.

A focal point's page saves each answer a moment after it changes, so autosaves are most of
the questionnaire's requests. Flask's machinery around one (request and app context, session,
Flask-Login, Flask-WTF, Flask-Limiter, Flask-Talisman) cost as much CPU as the save itself.
This WSGI middleware takes the plain case and does the same, with the same code:

- only a POST of JSON (at most ANSWER_BYTES) to /gci/questionnaires/<cycle>/<iso3>/answers/
  <question>, with a valid signed session cookie, the CSRF token of that session in its
  header (and on HTTPS a Referer of the same origin) and no API token: the checks of
  core/shortcut.py, which mirror Flask's extensions;
- the user must hold the session as Flask-Login requires (core/accounts.py: active, same
  session token; read in the questionnaire's own query) and may answer that questionnaire by
  the policy (gci/questionnaire/reading.py refusal); the save and its reply are the use case
  gci/questionnaire/answers.py autosave, in the language Flask would choose (core/i18n.py);
- anything else, including every refusal of access and any error here, goes on to Flask with
  the body as it came, and Flask answers it as always.
"""

from __future__ import annotations

import io
import json
import logging
import re

from flask import Flask
from flask_babel import force_locale
from flask_babel import gettext as _
from werkzeug.datastructures import LanguageAccept
from werkzeug.exceptions import InternalServerError
from werkzeug.http import HTTP_STATUS_CODES, parse_accept_header

from core import accounts, audit, db, errors, i18n, shortcut
from core.models import utcnow
from gci.questionnaire import answers, reading

log = logging.getLogger(__name__)
ROUTE = re.compile(
    r"/gci/questionnaires/([\w.-]{1,64})/([A-Za-z]{3})/answers/([\w.-]{1,64})", re.ASCII
)
ANSWER_BYTES = 64 * 1024  # a text answer is at most 5,000 characters
ACTION = "gci.questionnaire.answer"


class AutosaveShortcut:
    def __init__(self, app: Flask, wsgi_app):
        self.app = app
        self.next = wsgi_app
        self.shortcuts = shortcut.for_app(app, wsgi_app)

    def __call__(self, environ, start_response):
        match = ROUTE.fullmatch(environ.get("PATH_INFO", ""))
        if match and self._plain(environ):
            body = environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"]))
            environ["wsgi.input"] = io.BytesIO(body)  # for Flask, if it answers after all
            try:
                reply = self.save(environ, *match.groups(), body)
            except Exception:  # noqa: BLE001 - Flask answers and reports it properly
                log.exception("autosave shortcut failed; Flask answers")
                reply = None
            if reply is not None:
                status, content_type, data = reply
                headers = [
                    ("Content-Type", content_type),
                    ("Content-Length", str(len(data))),
                    ("Vary", "Cookie"),
                    *self.shortcuts.security_headers(environ),
                ]
                start_response(status, headers)
                return [data]
            environ["wsgi.input"].seek(0)
        return self.next(environ, start_response)

    @staticmethod
    def _plain(environ) -> bool:
        length = environ.get("CONTENT_LENGTH") or ""
        return (
            environ.get("REQUEST_METHOD") == "POST"
            and environ.get("CONTENT_TYPE", "").split(";")[0].strip() == "application/json"
            and "HTTP_AUTHORIZATION" not in environ  # API tokens: Flask (core/auth.py)
            and "HTTP_TRANSFER_ENCODING" not in environ  # a body whose length is told
            and length.isascii()
            and length.isdigit()
            and int(length) <= ANSWER_BYTES
        )

    def save(self, environ, cycle_code: str, iso3: str, code: str, body: bytes):
        """(status line, content type, body) of this autosave's reply, or None: Flask
        answers. Once the answer is saved, Flask never answers (it would save it again)."""
        session_data = self.shortcuts.session(environ)
        signed_in = shortcut.session_user(session_data) if session_data else None
        if signed_in is None:
            return None
        if not self.shortcuts.csrf_valid(environ, session_data):
            return None
        if shortcut.login_would_act(session_data, environ):
            return None
        try:
            sent = json.loads(body)
        except ValueError:
            return None
        app = self.app
        with app.app_context():
            session = db.session()  # closed with the app context
            # the user as Flask-Login loads them (core/auth.py), read with the rest
            user_id, token = signed_in
            both = reading.lookup_with_user(session, user_id, cycle_code, iso3)
            if both is None:
                return None
            user, found = both
            if not accounts.holds_session(user, token) or found[3] is None:
                return None
            if reading.refusal(user, found, ACTION):
                return None
            accepted = parse_accept_header(environ.get("HTTP_ACCEPT_LANGUAGE"), LanguageAccept)
            locale = i18n.choose_locale(session_data.get("lang"), user, accepted)
            with force_locale(locale), audit.client_address(environ.get("REMOTE_ADDR")):
                try:
                    today = utcnow().date()
                    status, reply = answers.autosave(session, user, found, code, sent, today)
                    line = f"{status} {HTTP_STATUS_CODES[status]}"
                    return line, "application/json", app.json.dumps(reply).encode()
                except Exception:
                    if not db.committed(session):
                        raise  # nothing saved: Flask answers, and reports the error
                    log.exception("autosave: the answer was saved, its reply failed")
                    saved = _(
                        "Your answer was saved, but this page could not be updated. Reload it."
                    )
                    problem = errors.problem_response(InternalServerError(saved))
                    return problem.status, problem.content_type, problem.get_data()
