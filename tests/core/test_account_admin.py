"""Accounts as an admin and a person need them: passwords checked as NIST SP 800-63B asks,
a forgotten password reset by e-mail, and an admin disabling, re-enabling or changing the
role and country of an account, each audited and ending the person's sessions."""

from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

import pytest
import time_machine
from sqlmodel import select

from core import accounts, outbox
from core.models import AuditEvent, Country, User
from tests.conftest import PASSWORD, csrf_from, login

NEW_PASSWORD = "lantern orchard copper sky"


def reset_link(message) -> str:
    match = re.search(r"https?://\S+/password-reset/\S+", message.get_content())
    assert match, message.get_content()
    return urlsplit(match.group(0)).path


def events(session, action: str) -> list[AuditEvent]:
    session.expire_all()
    return list(session.exec(select(AuditEvent).where(AuditEvent.action == action)))


# --- passwords ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("short", "between 10 and 1024 characters"),
        ("password1234", "most often used"),
        ("qwertyuiop", "most often used"),
        ("analyst@test.example!", "e-mail address or your name"),
        ("my analyst password", "e-mail address or your name"),
        ("x" * 1025, "between 10 and 1024 characters"),
    ],
)
def test_a_weak_new_password_is_refused_beside_its_field(client, login_as, password, why):
    login_as("analyst")
    response = client.post(
        "/account/password",
        data={
            "csrf_token": csrf_from(client, "/account"),
            "pw-current": PASSWORD,
            "pw-new": password,
            "pw-confirm": password,
        },
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    # beside the new password's field, not the current one's
    assert re.search(r'id="pw-new-error">[^<]*' + re.escape(why), html), html[-3000:]


def test_no_composition_rules_a_long_passphrase_is_taken(app, users):
    with app.app_context():
        accounts.check_password("lantern orchard copper sky", email="a@b.example", name="A")


# --- a forgotten password -------------------------------------------------------------------


def ask_reset(client, email: str):
    return client.post(
        "/password-reset",
        data={"csrf_token": csrf_from(client, "/password-reset"), "email": email},
    )


def test_a_forgotten_password_is_reset_by_a_single_use_link(app, session, users, smtp_server):
    signed_in = app.test_client()
    assert login(signed_in, users["trainer"].email).status_code == 302
    anyone = app.test_client()
    known = ask_reset(anyone, users["trainer"].email.upper())
    unknown = ask_reset(app.test_client(), "nobody@test.example")
    # The same answer whether or not the address has an account.
    assert known.status_code == unknown.status_code == 302
    first = anyone.get(known.headers["Location"]).get_data(as_text=True)
    assert "If TRAINER@TEST.EXAMPLE has an account" in first
    assert len(outbox.deliver_due(session, app.config).sent) == 1  # none for the unknown one
    [message] = smtp_server.messages
    assert message["To"] == users["trainer"].email
    path = reset_link(message)

    page = anyone.get(path)
    assert page.status_code == 200 and users["trainer"].email in page.get_data(as_text=True)
    csrf = csrf_from(anyone, path)
    weak = anyone.post(path, data={"csrf_token": csrf, "new": "password1234",
                                   "confirm": "password1234"})  # fmt: skip
    assert weak.status_code == 400 and "most often used" in weak.get_data(as_text=True)
    done = anyone.post(path, data={"csrf_token": csrf, "new": NEW_PASSWORD,
                                   "confirm": NEW_PASSWORD})  # fmt: skip
    assert done.status_code == 302 and done.headers["Location"].endswith("/login")

    assert signed_in.get("/account").status_code == 302  # every session ended
    assert anyone.get(path).status_code == 410  # the link works once
    assert login(app.test_client(), users["trainer"].email).status_code == 400  # old: refused
    assert login(app.test_client(), users["trainer"].email, NEW_PASSWORD).status_code == 302
    assert len(events(session, "auth.password_reset")) == 1
    assert len(events(session, "auth.reset_unknown")) == 1


def test_a_reset_link_expires_after_an_hour(app, session, users, smtp_server):
    ask_reset(app.test_client(), users["analyst"].email)
    outbox.deliver_due(session, app.config)
    path = reset_link(smtp_server.messages[0])
    with time_machine.travel(time.time() + 3601, tick=False):
        assert app.test_client().get(path).status_code == 410
    assert app.test_client().get(path).status_code == 200
    forged = path[:-3] + ("abc" if not path.endswith("abc") else "xyz")
    assert app.test_client().get(forged).status_code == 410


def test_no_reset_link_for_a_disabled_account(app, session, users, smtp_server, login_as):
    with app.app_context():
        from core import db

        s = db.session()
        accounts.update_user(
            s, s.get(User, users["analyst"].id), role="analyst", country_iso3=None,
            active=False, actor=s.get(User, users["admin"].id),
        )  # fmt: skip
        s.commit()
    ask_reset(app.test_client(), users["analyst"].email)
    assert outbox.deliver_due(session, app.config).sent == []


def test_asking_for_reset_links_is_rate_limited(app, users):
    app.config["RATELIMIT_ENABLED"] = True
    client = app.test_client()
    statuses = [ask_reset(client, f"x{i}@test.example").status_code for i in range(6)]
    assert statuses[:5] == [302] * 5 and statuses[5] == 429


# --- an admin changes an account ------------------------------------------------------------


def edit(client, user_id: int, **data):
    path = f"/admin/users/{user_id}"
    form = {"csrf_token": csrf_from(client, path), "role": "analyst", "country": "", **data}
    if form.pop("active", True):
        form["active"] = "y"
    return client.post(path, data=form)


def test_an_admin_disables_and_re_enables_an_account_and_its_sessions_end(
    app, session, users, login_as, client
):
    person = app.test_client()
    assert login(person, users["analyst"].email).status_code == 302
    assert person.get("/account").status_code == 200
    login_as("admin")
    users_page = client.get("/admin/users").get_data(as_text=True)
    assert f'/admin/users/{users["analyst"].id}"' in users_page

    assert edit(client, users["analyst"].id, active=False).status_code == 302
    assert person.get("/account").status_code == 302  # signed out on the server
    assert login(app.test_client(), users["analyst"].email).status_code == 400  # refused
    assert "disabled" in client.get("/admin/users").get_data(as_text=True)

    assert edit(client, users["analyst"].id).status_code == 302
    assert login(app.test_client(), users["analyst"].email).status_code == 302
    [disabled] = events(session, "user.disabled")
    assert disabled.actor_id == users["admin"].id and disabled.object_id == str(users["analyst"].id)
    assert len(events(session, "user.enabled")) == 1


def test_an_admin_changes_a_role_and_a_country(app, session, users, login_as, client):
    person = app.test_client()
    login(person, users["analyst"].email)
    login_as("admin")
    refused = edit(client, users["analyst"].id, role="focal_point")
    assert refused.status_code == 400
    assert "must be bound to a country" in refused.get_data(as_text=True)
    assert person.get("/account").status_code == 200  # nothing changed, still signed in

    assert edit(client, users["analyst"].id, role="focal_point", country="EGY").status_code == 302
    session.expire_all()
    changed = session.get(User, users["analyst"].id)
    egypt = session.exec(select(Country).where(Country.iso3 == "EGY")).one()
    assert changed.role == "focal_point" and changed.country_id == egypt.id
    assert person.get("/account").status_code == 302
    [role_event] = events(session, "user.role_changed")
    assert role_event.details["old"] == "analyst" and role_event.details["new"] == "focal_point"
    assert len(events(session, "user.country_changed")) == 1


def test_an_admin_cannot_lock_themselves_or_the_platform_out(app, session, users, login_as, client):
    login_as("admin")
    own = edit(client, users["admin"].id, role="admin", active=False)
    assert own.status_code == 400
    assert "your own account" in own.get_data(as_text=True)
    session.expire_all()
    assert session.get(User, users["admin"].id).active


def test_the_last_admin_cannot_be_demoted_by_another(app, users):
    with app.app_context():
        from core import db

        s = db.session()
        other = accounts.create_user(
            s, email="second@test.example", name="Second", role="admin", password=PASSWORD
        )
        s.commit()
        first = s.get(User, users["admin"].id)
        accounts.update_user(
            s, first, role="analyst", country_iso3=None, active=True, actor=other
        )  # another admin remains: allowed
        s.commit()
        with pytest.raises(accounts.AccountError, match="last active admin"):
            accounts.update_user(
                s, s.get(User, other.id), role="analyst", country_iso3=None, active=True,
                actor=first,
            )  # fmt: skip


def test_the_api_changes_an_account_for_admins_only(app, session, users, client, login_as):
    login_as("analyst")
    csrf = csrf_from(client, "/account")
    path = f"/api/v1/users/{users['trainer'].id}"
    assert (
        client.patch(path, json={"active": False}, headers={"X-CSRFToken": csrf}).status_code == 403
    )
    client.post("/logout", data={"csrf_token": csrf})
    login_as("admin")
    csrf = csrf_from(client, "/account")
    response = client.patch(path, json={"active": False}, headers={"X-CSRFToken": csrf})
    assert response.status_code == 200 and response.get_json()["active"] is False
    bad = client.patch(path, json={"role": "focal_point"}, headers={"X-CSRFToken": csrf})
    assert bad.status_code == 422 and "country" in bad.get_json()["detail"]
    assert (
        client.patch("/api/v1/users/999999", json={}, headers={"X-CSRFToken": csrf}).status_code
        == 404
    )
    listed = client.get("/api/v1/users").get_json()
    assert {u["email"]: u["active"] for u in listed}[users["trainer"].email] is False


@pytest.mark.parametrize(
    "path",
    [
        "/admin/users/9223372036854775808",
        "/admin/users/99999999999999999999999",
        "/drills/teams/9223372036854775808",
        "/gci/snapshots/9223372036854775808/diff/1",
    ],
)
def test_an_id_beyond_what_the_database_holds_is_404_not_a_server_error(client, login_as, path):
    login_as("admin")
    assert client.get(path).status_code == 404
    assert (
        client.get("/admin/users/9223372036854775807").status_code == 404
    )  # the largest: no such row
