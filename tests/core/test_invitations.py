"""Single-use invitations: issued by e-mail (read back from a real SMTP server), accepted
by a new person or by an existing account, refused when unknown, expired, used or meant for
another account."""

import hashlib
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import update
from sqlmodel import select

from core import db as core_db
from core import invitations, outbox
from core.models import AuditEvent, Country, Invitation, OutboxMessage, User, utcnow
from tests.conftest import PASSWORD, csrf_from, login

ACCEPTED = []  # (user email, grant) per acceptance of the test purpose


@invitations.on_accept("test.team")
def _join_team(session, user, invitation):
    ACCEPTED.append((user.email, invitation.grant))
    return "/drills/"


def issue(app, **kwargs):
    kwargs.setdefault("created_by", None)
    with app.app_context():
        invitation, token = invitations.issue(core_db.session(), **kwargs)
        core_db.session().commit()
    return invitation, token


def kenya_id(session) -> int:
    return session.exec(select(Country.id).where(Country.iso3 == "KEN")).one()


def link_in(email) -> str:
    match = re.search(r"https?://\S+/invitations/\S+", email.get_content())
    assert match, email.get_content()
    return match.group(0)


def test_the_invitation_email_carries_an_absolute_single_use_link(app, session, smtp_server, users):
    app.config["PUBLIC_BASE_URL"] = "https://cyberready.gov.example"
    invitation, token = issue(
        app,
        email="New.Person@Gov.example",
        role="trainer",
        created_by=users["admin"],
        note="You will run the regional drill.",
    )
    stored = session.get(Invitation, invitation.id)
    assert stored.email == "new.person@gov.example"
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest() != token
    assert (stored.expires_at.replace(tzinfo=None) - utcnow().replace(tzinfo=None)).days == 6
    outbox.deliver_due(session, app.config)
    [email] = smtp_server.messages
    assert email["To"] == "new.person@gov.example"
    assert email["Subject"] == "Your invitation to CyberReady"
    body = email.get_content()
    assert "Admin invites you to CyberReady" in body and "as Trainer" in body
    assert "You will run the regional drill." in body
    # written outside a request: the link starts with PUBLIC_BASE_URL
    assert link_in(email) == f"https://cyberready.gov.example/invitations/{token}"
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "invitation.issued")).one()
    assert event.actor_id == users["admin"].id and event.object_id == str(invitation.id)


def test_issue_refuses_what_cannot_be_accepted(app, users, session):
    with app.app_context():
        s = core_db.session()
        with pytest.raises(invitations.InvitationError, match="bound to a country"):
            invitations.issue(s, email="fp@gov.example", role="focal_point", created_by=None)
        with pytest.raises(invitations.InvitationError, match="exists already"):
            invitations.issue(s, email=users["trainer"].email, role="trainer", created_by=None)
        with pytest.raises(invitations.InvitationError, match="Nothing handles"):
            invitations.issue(
                s, email="x@gov.example", role="trainer", purpose="nope", created_by=None
            )
        with pytest.raises(invitations.InvitationError, match="not an e-mail address"):
            invitations.issue(s, email="not-an-address", role="trainer", created_by=None)
        s.rollback()
    assert session.exec(select(Invitation)).all() == []


def test_a_new_person_creates_their_account_and_is_signed_in(app, client, session, users):
    invitation, token = issue(
        app, email="fp.new@gov.example", role="focal_point", country_id=kenya_id(session)
    )
    page = client.get(f"/invitations/{token}")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert "fp.new@gov.example" in html and "Focal point" in html and "Kenya" in html
    csrf = csrf_from(client, f"/invitations/{token}")
    short = client.post(
        f"/invitations/{token}",
        data={"csrf_token": csrf, "name": "Wanjiru", "password": "short", "confirm": "short"},
    )
    assert short.status_code == 400
    assert session.exec(select(User).where(User.email == "fp.new@gov.example")).first() is None

    response = client.post(
        f"/invitations/{token}",
        data={"csrf_token": csrf, "name": "Wanjiru", "password": PASSWORD, "confirm": PASSWORD},
    )
    assert response.status_code == 302
    user = session.exec(select(User).where(User.email == "fp.new@gov.example")).one()
    assert (user.name, user.role, user.country_id) == ("Wanjiru", "focal_point", kenya_id(session))
    assert "Wanjiru" in client.get("/account").get_data(as_text=True)  # signed in
    session.refresh(stored := session.get(Invitation, invitation.id))
    assert stored.used_at is not None and stored.used_by == user.id
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "invitation.accepted")).one()
    assert event.actor_id == user.id

    # the link works once
    again = client.get(f"/invitations/{token}")
    assert again.status_code == 410 and "has been used" in again.get_data(as_text=True)


def test_an_existing_account_signs_in_then_accepts(app, client, session, users):
    ACCEPTED.clear()
    participant = users["participant"]
    invitation, token = issue(
        app, email=participant.email, role="participant", purpose="test.team", grant={"team_id": 3}
    )
    page = client.get(f"/invitations/{token}").get_data(as_text=True)
    assert "exists already" in page
    assert f"/login?next=/invitations/{token}" in page
    assert ACCEPTED == []

    signed_in = client.post(
        f"/login?next=/invitations/{token}",
        data={"email": participant.email, "password": PASSWORD, "csrf_token": csrf_from(client)},
    )
    assert signed_in.location.endswith(f"/invitations/{token}")
    csrf = csrf_from(client, f"/invitations/{token}")
    accepted = client.post(f"/invitations/{token}", data={"csrf_token": csrf})
    assert accepted.status_code == 302 and accepted.location.endswith("/drills/")
    assert [(participant.email, {"team_id": 3})] == ACCEPTED
    assert session.get(Invitation, invitation.id).used_by == participant.id
    assert session.get(User, participant.id).role == "participant"
    assert client.post(f"/invitations/{token}", data={"csrf_token": csrf}).status_code == 410
    assert len(ACCEPTED) == 1


def test_signed_in_as_another_account_is_refused(app, client, session, users):
    _invitation, token = issue(app, email="someone.else@gov.example", role="analyst")
    login(client, users["admin"].email)
    page = client.get(f"/invitations/{token}")
    assert page.status_code == 403
    html = page.get_data(as_text=True)
    assert "signed in as admin@test.example" in html and "someone.else@gov.example" in html
    csrf = csrf_from(client, "/")
    refused = client.post(
        f"/invitations/{token}",
        data={"csrf_token": csrf, "name": "X", "password": PASSWORD, "confirm": PASSWORD},
    )
    assert refused.status_code == 403
    assert (
        session.exec(select(User).where(User.email == "someone.else@gov.example")).first() is None
    )


def test_expired_and_unknown_links_say_what_to_do(app, client, session, users):
    invitation, token = issue(app, email="late@gov.example", role="analyst")
    session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id)
        .values(expires_at=utcnow() - timedelta(minutes=1))
    )
    session.commit()
    expired = client.get(f"/invitations/{token}")
    assert expired.status_code == 410
    assert "expired" in expired.get_data(as_text=True) and "send it again" in expired.get_data(
        as_text=True
    )
    csrf = csrf_from(client, "/")
    posted = client.post(
        f"/invitations/{token}",
        data={"csrf_token": csrf, "name": "Late", "password": PASSWORD, "confirm": PASSWORD},
    )
    assert posted.status_code == 410
    assert session.exec(select(User).where(User.email == "late@gov.example")).first() is None
    unknown = client.get("/invitations/not-a-token")
    assert unknown.status_code == 404 and "not valid" in unknown.get_data(as_text=True)


def test_an_invitation_loaded_twice_is_accepted_once(app, session, users):
    """Two requests read the open invitation; the claim in the database lets one through."""
    invitation, _token = issue(
        app, email=users["trainer"].email, role="trainer", purpose="test.team"
    )
    factory = app.extensions[core_db.EXTENSION_KEY]["sessionmaker"]
    first, second = factory(), factory()
    try:
        with app.test_request_context():
            one = first.get(Invitation, invitation.id)
            two = second.get(Invitation, invitation.id)
            assert invitations.status(two, utcnow()) == "open"
            invitations.accept(first, one, first.get(User, users["trainer"].id))
            first.commit()
            with pytest.raises(invitations.InvitationUsed):
                invitations.accept(second, two, second.get(User, users["trainer"].id))
            second.rollback()
    finally:
        first.close()
        second.close()
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "invitation.accepted"))
    assert len(events.all()) == 1


def test_admin_invites_from_the_page_and_the_link_from_the_mail_server_works(
    app, client, session, smtp_server, users
):
    login(client, users["admin"].email)
    assert "/admin/users/invite" in client.get("/admin/users").get_data(as_text=True)
    csrf = csrf_from(client, "/admin/users/invite")
    form = {"csrf_token": csrf, "email": "amina@gov.example", "role": "focal_point", "country": ""}
    missing = client.post("/admin/users/invite", data=form)
    assert missing.status_code == 400
    assert "must be bound to a country" in missing.get_data(as_text=True)
    analyst_with_country = client.post(
        "/admin/users/invite",
        data=form | {"role": "analyst", "country": str(kenya_id(session))},
    )
    assert analyst_with_country.status_code == 400
    assert "Only focal points are bound to a country" in analyst_with_country.get_data(as_text=True)
    taken = client.post(
        "/admin/users/invite", data=form | {"email": users["analyst"].email, "role": "analyst"}
    )
    assert taken.status_code == 400 and "exists already" in taken.get_data(as_text=True)
    sent = client.post("/admin/users/invite", data=form | {"country": str(kenya_id(session))})
    assert sent.status_code == 302
    pending = client.get("/admin/users/invite").get_data(as_text=True)
    assert "amina@gov.example" in pending and "Send a new link" in pending

    assert len(outbox.deliver_due(session, app.config).sent) == 1
    link = link_in(smtp_server.messages[0])
    # Written in the admin's request (Host: localhost), yet from PUBLIC_BASE_URL alone: the
    # Host a request names may be forged.
    assert app.config["PUBLIC_BASE_URL"] != "http://localhost"
    assert link.startswith(app.config["PUBLIC_BASE_URL"] + "/invitations/")

    invited = app.test_client()
    path = urlsplit(link).path
    csrf = csrf_from(invited, path)
    response = invited.post(
        path, data={"csrf_token": csrf, "name": "Amina", "password": PASSWORD, "confirm": PASSWORD}
    )
    assert response.status_code == 302
    amina = session.exec(select(User).where(User.email == "amina@gov.example")).one()
    assert amina.role == "focal_point" and amina.country_id == kenya_id(session)
    assert invited.get("/gci/my-country").status_code == 302  # signed in as a focal point
    assert "amina@gov.example" not in client.get("/admin/users/invite").get_data(as_text=True)


def test_resend_makes_a_new_link_and_the_old_one_stops_working(
    app, client, session, smtp_server, users
):
    invitation, old_token = issue(app, email="slow@gov.example", role="analyst")
    outbox.deliver_due(session, app.config)  # the first e-mail went out
    login(client, users["admin"].email)
    csrf = csrf_from(client, "/admin/users/invite")
    response = client.post(f"/admin/invitations/{invitation.id}/resend", data={"csrf_token": csrf})
    assert response.status_code == 302
    assert "old one no longer works" in client.get("/admin/users/invite").get_data(as_text=True)
    outbox.deliver_due(session, app.config)
    first, second = smtp_server.messages
    assert urlsplit(link_in(first)).path == f"/invitations/{old_token}"
    new_path = urlsplit(link_in(second)).path
    assert new_path != f"/invitations/{old_token}"
    visitor = app.test_client()
    assert visitor.get(f"/invitations/{old_token}").status_code == 404
    assert visitor.get(new_path).status_code == 200
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "invitation.resent")).one()
    assert event.actor_id == users["admin"].id


def test_resending_cancels_the_earlier_email_if_it_has_not_gone_out(
    app, client, session, smtp_server, users
):
    """A link that no longer works is never sent: the mail server was down, the admin sent
    the invitation again, and only the new link goes out when the server is back."""
    invitation, old_token = issue(app, email="slow@gov.example", role="analyst")
    login(client, users["admin"].email)
    csrf = csrf_from(client, "/admin/users/invite")
    client.post(f"/admin/invitations/{invitation.id}/resend", data={"csrf_token": csrf})
    client.post(f"/admin/invitations/{invitation.id}/resend", data={"csrf_token": csrf})
    outbox.deliver_due(session, app.config)
    (only,) = smtp_server.messages
    path = urlsplit(link_in(only)).path
    assert path != f"/invitations/{old_token}"
    assert app.test_client().get(path).status_code == 200
    statuses = session.exec(
        select(OutboxMessage.status)
        .where(OutboxMessage.kind == "invitation")
        .order_by(OutboxMessage.id)
    ).all()
    assert statuses == ["cancelled", "cancelled", "sent"]
    assert "Cancelled" in client.get("/admin/outbox").get_data(as_text=True)


def test_an_accepted_invitation_cannot_be_resent(app, client, session, users):
    invitation, _token = issue(
        app, email=users["trainer"].email, role="trainer", purpose="test.team"
    )
    session.execute(
        update(Invitation).where(Invitation.id == invitation.id).values(used_at=utcnow())
    )
    session.commit()
    login(client, users["admin"].email)
    csrf = csrf_from(client, "/admin/users/invite")
    client.post(f"/admin/invitations/{invitation.id}/resend", data={"csrf_token": csrf})
    assert "accepted already" in client.get("/admin/users/invite").get_data(as_text=True)
    assert (
        client.post("/admin/invitations/999999/resend", data={"csrf_token": csrf}).status_code
        == 404
    )


def test_only_admins_invite(client, users):
    login(client, users["trainer"].email)
    assert client.get("/admin/users/invite").status_code == 403
