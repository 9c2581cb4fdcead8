from sqlmodel import select

from core.models import AuditEvent
from tests.conftest import PASSWORD, csrf_from, login


def audit_actions(session):
    session.expire_all()
    return [e.action for e in session.exec(select(AuditEvent).order_by(AuditEvent.id))]


def test_sign_in_and_out(client, users, session):
    response = login(client, users["analyst"].email)
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "Analyst" in page and "Sign out" in page
    response = client.post("/logout", data={"csrf_token": csrf_from(client, "/")})
    assert response.status_code == 302
    assert "Sign out" not in client.get("/").get_data(as_text=True)
    assert audit_actions(session)[-1] == "auth.login"


def test_wrong_password_and_unknown_email_get_the_same_answer(client, users, session):
    wrong = login(client, users["analyst"].email, "not the password")
    unknown = login(client, "nobody@test.example", "not the password")
    assert wrong.status_code == unknown.status_code == 400
    message = "The e-mail or the password is not correct."
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)
    assert audit_actions(session)[-2:] == ["auth.login_failed", "auth.login_failed"]
    failed = session.exec(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert failed.details == {"email": "nobody@test.example"}


def test_email_is_matched_without_case_or_spaces(client, users):
    assert login(client, "  ANALYST@Test.Example ").status_code == 302


def test_session_cookie_is_httponly_and_samesite(client, users):
    response = login(client, users["analyst"].email)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # only in production, over HTTPS


def test_remember_me_sets_a_lasting_cookie(client, users):
    response = login(client, users["analyst"].email, remember=True)
    cookies = response.headers.getlist("Set-Cookie")
    remember = [c for c in cookies if c.startswith("remember_token=")]
    assert remember and "HttpOnly" in remember[0] and "Expires=" in remember[0]


def test_signing_out_ends_a_remembered_session_too(app, client, users):
    other_device = app.test_client()
    login(other_device, users["analyst"].email)
    login(client, users["analyst"].email, remember=True)
    kept = client.get_cookie("remember_token")
    assert kept is not None
    assert client.get("/account").status_code == 200
    signed_out = client.post("/logout", data={"csrf_token": csrf_from(client, "/account")})
    assert signed_out.status_code == 302
    assert client.get_cookie("remember_token") is None  # deleted, not left to sign in again
    assert client.get("/account").status_code == 302  # to the sign-in page
    # a copy of the lasting cookie no longer signs anyone in: signing out on a device that
    # kept the person signed in ends all their sessions
    thief = app.test_client()
    thief.set_cookie("remember_token", kept.value)
    assert thief.get("/account").status_code == 302
    assert other_device.get("/account").status_code == 302


def test_signing_out_without_keep_me_signed_in_leaves_other_devices(app, client, users):
    other_device = app.test_client()
    login(other_device, users["analyst"].email)
    login(client, users["analyst"].email)
    client.post("/logout", data={"csrf_token": csrf_from(client, "/account")})
    assert client.get("/account").status_code == 302
    assert other_device.get("/account").status_code == 200


def test_next_only_goes_to_this_site(client, users):
    data = {"email": users["analyst"].email, "password": PASSWORD, "csrf_token": csrf_from(client)}
    response = client.post("/login?next=//evil.example/x", data=data)
    assert response.headers["Location"] == "/"
    client.post("/logout", data={"csrf_token": csrf_from(client, "/")})
    data["csrf_token"] = csrf_from(client)
    response = client.post("/login?next=/account", data=data)
    assert response.headers["Location"] == "/account"


def test_protected_page_sends_anonymous_users_to_sign_in(client, users):
    response = client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/account")


def test_change_password_signs_out_other_sessions(app, users, session):
    first, second = app.test_client(), app.test_client()
    login(first, users["trainer"].email)
    login(second, users["trainer"].email)
    new = "a much better passphrase"
    response = first.post(
        "/account/password",
        data={
            "pw-current": PASSWORD,
            "pw-new": new,
            "pw-confirm": new,
            "pw-csrf_token": csrf_from(first, "/account"),
        },
    )
    assert response.status_code == 302
    assert first.get("/account").status_code == 200  # this session goes on
    stale = second.get("/account")  # the other one has gone stale
    assert stale.status_code == 302
    follow = second.get(stale.headers["Location"]).get_data(as_text=True)
    assert "Your session has ended" in follow
    assert "user.password_changed" in audit_actions(session)
    first.post("/logout", data={"csrf_token": csrf_from(first, "/")})
    assert login(first, users["trainer"].email, new).status_code == 302


def test_change_password_with_a_wrong_current_password_changes_nothing(client, users):
    login(client, users["trainer"].email)
    response = client.post(
        "/account/password",
        data={
            "pw-current": "wrong password!",
            "pw-new": "another long password",
            "pw-confirm": "another long password",
            "pw-csrf_token": csrf_from(client, "/account"),
        },
    )
    assert response.status_code == 400
    assert "The current password is not correct." in response.get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_from(client, "/")})
    assert login(client, users["trainer"].email).status_code == 302


def test_stale_session_on_the_api_is_a_401_problem(app, users):
    first, second = app.test_client(), app.test_client()
    login(first, users["trainer"].email)
    login(second, users["trainer"].email)
    new = "yet another passphrase"
    first.post(
        "/account/password",
        data={
            "pw-current": PASSWORD,
            "pw-new": new,
            "pw-confirm": new,
            "pw-csrf_token": csrf_from(first, "/account"),
        },
    )
    response = second.get("/api/v1/me")
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert "Your session has ended" in response.json["detail"]


def test_login_is_rate_limited_with_a_clear_message(app, users):
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    client = app.test_client()
    statuses = [
        login(client, users["analyst"].email, "bad password!").status_code for _ in range(4)
    ]
    assert statuses == [400, 400, 400, 429]
    response = login(client, users["analyst"].email)  # even the right password waits
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)
    assert "Retry-After" in response.headers


def test_disabled_user_cannot_sign_in_and_is_signed_out(app, client, users, session):
    login(client, users["analyst"].email)
    user = users["analyst"]
    user.active = False
    session.add(user)
    session.commit()
    assert client.get("/account").status_code == 302
    assert login(app.test_client(), user.email).status_code == 400


REDIS = "redis://127.0.0.1:6379/15"  # .ci/run makes sure Redis answers


def test_the_login_limit_is_shared_by_every_worker_through_redis(database_url, users):
    """Two processes (as gunicorn's workers are) count one address's attempts together when
    the limits are kept in Redis; with memory:// each would allow the limit again."""
    import secrets
    import subprocess
    import sys

    from tests.conftest import CHEAP_ARGON2, ROOT, SECRET_KEY

    settings = {
        "APP_ENV": "test", "TESTING": True, "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET_KEY, "RATELIMIT_STORAGE_URI": REDIS,
        "RATELIMIT_KEY_PREFIX": f"test-{secrets.token_hex(8)}", "LOGIN_RATE_LIMIT": "3 per minute",
        **CHEAP_ARGON2,
    }  # fmt: skip
    other_worker = (
        "import json, sys\n"
        "from core import create_app\n"
        "from tests.conftest import login\n"
        "app = create_app(json.loads(sys.argv[1]), environ={})\n"
        "client = app.test_client()\n"
        "print([login(client, sys.argv[2], 'bad password!').status_code for _ in range(2)])\n"
    )
    import json

    result = subprocess.run(
        [sys.executable, "-c", other_worker, json.dumps(settings), users["analyst"].email],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert result.stdout.strip() == "[400, 400]"
    from core import create_app
    from core import db as core_db

    this_app = create_app(settings, environ={})
    this_worker = this_app.test_client()
    try:
        assert login(this_worker, users["analyst"].email, "bad password!").status_code == 400
        assert login(this_worker, users["analyst"].email, "bad password!").status_code == 429
    finally:
        with this_app.app_context():
            core_db.engine().dispose()  # its pool's connections, before the next test
