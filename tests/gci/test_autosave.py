"""The answer autosave answered before Flask (gci/autosave.py): the same reply as Flask gives,
in the person's language, with the same checks (session, CSRF, same origin on HTTPS, the
policy); whatever it does not take goes to Flask, which refuses or answers as always."""

import time

import pytest
import time_machine
from flask import request
from flask_login.utils import _create_identifier
from sqlmodel import select

from core import create_app, shortcut
from core import db as core_db
from core.models import AuditEvent, User
from gci.models import Answer
from gci.questionnaire import reading
from tests.conftest import CHEAP_ARGON2, login
from tests.factories import BASE, make_open_cycle, save, token

pytestmark = pytest.mark.usefixtures("open_cycle")
AGENT = "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0"


def flask_requests(app) -> list:
    """The requests Flask sees but the shortcut's one sample of Flask's security headers."""
    seen = []
    app.before_request(
        lambda: seen.append(request.path) if request.path != shortcut.SAMPLE_PATH else None
    )
    return seen


def stored(session, code):
    session.expire_all()
    return session.exec(select(Answer).where(Answer.question_code == code)).first()


def test_a_save_is_answered_before_flask_as_flask_answers_it(app, client, users):
    seen = flask_requests(app)
    login(client, users["focal_point"].email)
    csrf = token(client)
    before = len(seen)
    mine = save(client, "q2", "partial", 0, csrf)
    assert len(seen) == before  # Flask never saw it
    assert mine.status_code == 200 and mine.content_type == "application/json"
    # the same save seen from another browser goes to Flask (it marks the session not fresh)
    by_flask = client.post(
        f"{BASE}/answers/q3",
        json={"value": "some", "version": 0},
        headers={"X-CSRFToken": csrf, "User-Agent": AGENT},
    )
    assert len(seen) == before + 1
    assert by_flask.status_code == 200
    assert mine.get_json().keys() == by_flask.get_json().keys()
    assert mine.get_json()["message"] == by_flask.get_json()["message"] == "Saved."
    assert mine.get_json()["overall"].endswith("answered (10%)")
    for name in ("Content-Security-Policy", "X-Frame-Options", "Referrer-Policy"):
        assert mine.headers[name] == by_flask.headers[name], name
    assert mine.headers["X-Content-Type-Options"] == "nosniff"
    assert "Set-Cookie" not in mine.headers
    # Talisman sends HSTS when a proxy says the request came over HTTPS; so does the shortcut
    told = {"X-CSRFToken": csrf, "X-Forwarded-Proto": "https"}
    secure = client.post(f"{BASE}/answers/q4", json={"value": ["a"], "version": 0}, headers=told)
    assert secure.status_code == 200 and len(seen) == before + 1
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


def test_errors_say_the_same_whoever_answers(app, client, users, session):
    seen = flask_requests(app)
    login(client, users["focal_point"].email)
    csrf = token(client)
    assert save(client, "q2", "partial", 0, csrf).status_code == 200
    before = len(seen)
    stale = save(client, "q2", "yes", 0, csrf)
    invalid = save(client, "q1", "maybe", 0, csrf)
    unknown = save(client, "nope", "yes", 0, csrf)
    assert len(seen) == before
    assert stale.status_code == 409 and stale.get_json()["version"] == 1
    assert invalid.status_code == 422 and "answer one of yes, no" in invalid.get_json()["message"]
    assert unknown.status_code == 422
    assert stored(session, "q2").value == {"v": "partial"}
    assert stored(session, "q1") is None


def test_the_reply_is_in_the_language_of_the_person(app, client, users):
    login(client, users["focal_point"].email)
    csrf = token(client)
    answered = save(client, "q2", "partial", 0, csrf).get_json()
    assert client.post("/language", data={"lang": "fr", "csrf_token": csrf}).status_code
    csrf = token(client)
    reply = save(client, "q2", "yes", answered["version"], csrf).get_json()
    assert reply["message"] == "Les modifications ont été enregistrées."
    assert "sur" in reply["overall"]


def test_csrf_is_checked_as_flask_checks_it(app, client, users, session):
    seen = flask_requests(app)
    login(client, users["focal_point"].email)
    csrf = token(client)
    url = f"{BASE}/answers/q2"
    body = {"value": "yes", "version": 0}
    before = len(seen)
    assert client.post(url, json=body).status_code == 400  # no token
    assert client.post(url, json=body, headers={"X-CSRFToken": csrf + "x"}).status_code == 400
    other = app.test_client()  # another person's token is not this session's
    login(other, users["other_focal_point"].email)
    assert client.post(url, json=body, headers={"X-CSRFToken": token(other)}).status_code == 400
    assert len(seen) > before  # Flask refused them
    assert stored(session, "q2") is None
    # on HTTPS the Referer must be of the same origin, as Flask-WTF requires
    https = {"base_url": "https://localhost"}
    foreign = {"X-CSRFToken": csrf, "Referer": "https://evil.example/"}
    assert client.post(url, json=body, headers=foreign, **https).status_code == 400
    assert client.post(url, json=body, headers={"X-CSRFToken": csrf}, **https).status_code == 400
    assert stored(session, "q2") is None
    before = len(seen)
    own = {"X-CSRFToken": csrf, "Referer": f"https://localhost{BASE}/pillars/LEG"}
    saved = client.post(url, json=body, headers=own, **https)
    assert saved.status_code == 200 and len(seen) == before
    assert saved.headers["Strict-Transport-Security"]  # as Flask sends it on HTTPS
    assert stored(session, "q2").value == {"v": "yes"}


def test_an_ended_session_or_another_country_go_to_flask(app, client, users, session):
    login(client, users["focal_point"].email)
    csrf = token(client)
    assert save(client, "q2", "partial", 0, csrf).status_code == 200
    other = app.test_client()
    login(other, users["other_focal_point"].email)
    refused = other.post(
        f"{BASE}/answers/q2",
        json={"value": "no", "version": 1},
        headers={"X-CSRFToken": token(other, "/"), "Accept": "application/json"},
    )
    assert refused.status_code == 404  # Flask: another country's questionnaire
    user = session.get(User, users["focal_point"].id)
    user.active = False
    session.commit()
    ended = save(client, "q2", "no", 1, csrf)
    assert ended.status_code == 401
    assert stored(session, "q2").value == {"v": "partial"}


def test_the_audit_log_has_the_clients_address_also_behind_a_proxy(database_url, users, tmp_path):
    proxied = create_app(
        {
            "APP_ENV": "test",
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret-key-that-is-long-enough-to-pass",
            "BEHIND_PROXY": True,
            **CHEAP_ARGON2,
        },
        environ={},
    )
    make_open_cycle(proxied, tmp_path)
    seen = flask_requests(proxied)
    client = proxied.test_client()
    client.environ_base.update({"HTTP_X_FORWARDED_FOR": "203.0.113.9", "REMOTE_ADDR": "10.0.0.2"})
    login(client, users["focal_point"].email)
    csrf = token(client)
    before = len(seen)
    saved = client.post(
        f"{BASE}/answers/q2",
        json={"value": "yes", "version": 0},
        headers={
            "X-CSRFToken": csrf,
            "X-Forwarded-Proto": "https",
            "Referer": f"https://localhost{BASE}/pillars/LEG",
        },
    )
    assert saved.status_code == 200 and len(seen) == before
    assert saved.headers["Strict-Transport-Security"]  # HTTPS, as the proxy said
    with proxied.app_context():
        event = (
            core_db.session()
            .exec(select(AuditEvent).where(AuditEvent.action == "gci.answer.saved"))
            .one()
        )
        engine = core_db.engine()
    engine.dispose()  # after the context closed its session: no connection left open
    assert event.ip == "203.0.113.9"


def test_the_login_identifier_is_flask_logins(app):
    cases = [
        {"REMOTE_ADDR": "192.0.2.1", "HTTP_USER_AGENT": AGENT},
        {"REMOTE_ADDR": "192.0.2.1", "HTTP_X_FORWARDED_FOR": "198.51.100.7, 10.0.0.1"},
        {"REMOTE_ADDR": "192.0.2.1", "HTTP_USER_AGENT": "Navigateur é"},
    ]
    for environ in cases:
        with app.test_request_context(environ_base=environ) as context:
            assert shortcut.login_identifier(context.request.environ) == _create_identifier()


def test_a_saved_answer_whose_reply_failed_is_not_saved_again(
    app, client, users, session, monkeypatch
):
    """After the commit, Flask must not answer: it would save the answer a second time and
    call the person's own answer someone else's (409)."""
    login(client, users["focal_point"].email)
    csrf = token(client)
    monkeypatch.setattr(reading, "whatif_summary", lambda *_args: 1 / 0)
    failed = save(client, "q2", "partial", 0, csrf)
    assert failed.status_code == 500 and failed.content_type == "application/problem+json"
    assert "was saved" in failed.get_json()["detail"]
    assert stored(session, "q2").version == 1
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "gci.answer.saved"))
    assert len(events.all()) == 1


def test_settings_the_shortcut_does_not_follow_send_everything_to_flask(app, client, users):
    seen = flask_requests(app)
    login(client, users["focal_point"].email)
    csrf = token(client)
    before = len(seen)
    assert save(client, "q2", "partial", 0, csrf).status_code == 200
    assert len(seen) == before
    app.config["TRUSTED_HOSTS"] = ["localhost"]
    assert save(client, "q2", "yes", 1, csrf).status_code == 200
    assert len(seen) == before + 1


def test_an_expired_csrf_token_is_refused(app, client, users, session):
    login(client, users["focal_point"].email)
    csrf = token(client)
    app.config["WTF_CSRF_TIME_LIMIT"] = 1
    with time_machine.travel(time.time() + 2.1, tick=True):  # the signature has whole seconds
        assert save(client, "q2", "partial", 0, csrf).status_code == 400
    assert stored(session, "q2") is None
