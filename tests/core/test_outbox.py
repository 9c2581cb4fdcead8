"""The e-mail outbox, delivered to a real SMTP server (aiosmtpd) on a local port."""

import threading
from datetime import timedelta
from email import message_from_bytes
from email import policy as email_policy

import pytest
from sqlmodel import select

from core import outbox
from core.accounts import AccountError
from core.db import EXTENSION_KEY
from core.models import AuditEvent, OutboxMessage, utcnow
from tests.conftest import csrf_from, free_port, login

BANNER = "EXERCISE — EXERCISE — EXERCISE"


def body_lines(email) -> list[str]:
    return email.get_content().strip().splitlines()


# --- pure logic -------------------------------------------------------------------------


def test_compose_puts_the_banner_first_in_the_subject_and_around_the_body():
    subject, body = outbox.compose("Ransomware at\nthe port", "Read the inject.\n", BANNER)
    assert subject == f"{BANNER} Ransomware at the port"
    lines = body.strip().splitlines()
    assert lines[0] == BANNER and lines[-1] == BANNER
    assert "Read the inject." in lines
    assert outbox.compose("Plain", "Body") == ("Plain", "Body")


def test_backoff_doubles_and_is_capped():
    assert [outbox.backoff_seconds(n, 60) for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert outbox.backoff_seconds(30, 60) == outbox.MAX_BACKOFF_SECONDS


def test_smtp_urls():
    assert outbox.parse_smtp_url("smtp://mail.example:2525") == outbox.SmtpTarget(
        "mail.example", 2525, "none"
    )
    secure = outbox.parse_smtp_url("smtps://robot%40gov.example:p%3Ass@mail.example")
    assert (secure.port, secure.tls, secure.username, secure.password) == (
        465,
        "implicit",
        "robot@gov.example",
        "p:ss",
    )
    assert outbox.parse_smtp_url("smtp+starttls://mail.example").port == 587
    with pytest.raises(outbox.OutboxError, match="SMTP_URL"):
        outbox.parse_smtp_url("http://mail.example")
    assert outbox.parse_smtp_url("file:///srv/mail%20box").folder == "/srv/mail box"


def test_a_folder_instead_of_a_mail_server_keeps_each_message_as_a_file(app, session, tmp_path):
    """How `make run` lets someone try the platform (invitations, reminders, e-mail
    injects) on a machine without a mail server."""
    app.config["SMTP_URL"] = f"file://{tmp_path / 'mail'}"
    message = outbox.enqueue(session, "a@gov.example", "Invitation", "Open this link", kind="x")
    session.commit()
    assert outbox.deliver_due(session, app.config).sent == [message.id]
    (written,) = (tmp_path / "mail").glob("*.eml")
    email = message_from_bytes(written.read_bytes(), policy=email_policy.default)
    assert email["To"] == "a@gov.example" and email["Subject"] == "Invitation"
    assert email.get_content().strip() == "Open this link"
    assert not list((tmp_path / "mail").glob("*.part"))


def test_enqueue_refuses_what_is_not_an_address(session):
    with pytest.raises(AccountError, match="not an e-mail address"):
        outbox.enqueue(session, "someone\n@x.org", "Hi", "Body")


# --- delivery ---------------------------------------------------------------------------


def test_enqueued_message_reaches_the_smtp_server_with_banner_and_link(app, session, smtp_server):
    link = "http://127.0.0.1:5000/drills/teams/3"
    message = outbox.enqueue(
        session,
        "cirt@gov.example",
        "Inject 3: ransomware",
        f"The port authority calls.\n\nOpen {link}",
        banner=BANNER,
        kind="drill.inject",
    )
    session.commit()
    done = outbox.deliver_due(session, app.config, utcnow())
    assert done.sent == [message.id]
    [email] = smtp_server.messages
    assert email["Subject"] == f"{BANNER} Inject 3: ransomware"
    assert email["To"] == "cirt@gov.example"
    assert email["X-Envelope-To"] == "cirt@gov.example"
    assert email["From"] == app.config["MAIL_FROM"]
    assert email["Message-ID"].startswith(f"<outbox-{message.id}-")
    lines = body_lines(email)
    assert lines[0] == BANNER and lines[-1] == BANNER
    assert f"Open {link}" in lines
    session.refresh(message)
    assert message.status == "sent" and message.sent_at is not None and message.attempts == 1
    # nothing is sent twice
    assert outbox.deliver_due(session, app.config, utcnow()).sent == []
    assert len(smtp_server.messages) == 1


def test_a_message_of_a_rolled_back_change_is_never_sent(app, session, smtp_server):
    outbox.enqueue(session, "a@gov.example", "Hello", "Body")
    session.rollback()
    assert outbox.deliver_due(session, app.config).sent == []
    assert smtp_server.messages == []


def test_failing_smtp_retries_with_backoff_then_fails_then_an_admin_retries(
    app, session, client, users
):
    app.config.update(
        SMTP_URL=f"smtp://127.0.0.1:{free_port()}", OUTBOX_MAX_ATTEMPTS=3, OUTBOX_RETRY_SECONDS=60
    )
    message = outbox.enqueue(session, "a@gov.example", "Reminder", "Body", kind="gci.reminder")
    session.commit()
    t0 = utcnow()

    first = outbox.deliver_due(session, app.config, t0)
    assert first.retrying == [message.id]
    session.refresh(message)
    assert message.status == "pending" and message.attempts == 1
    assert "Connection" in message.last_error  # ConnectionRefusedError
    assert message.next_attempt_at.replace(tzinfo=None) == (t0 + timedelta(seconds=60)).replace(
        tzinfo=None
    )
    # not due before its backoff has passed
    assert outbox.deliver_due(session, app.config, t0 + timedelta(seconds=59)) == outbox.Delivery()
    second = outbox.deliver_due(session, app.config, t0 + timedelta(seconds=60))
    assert second.retrying == [message.id]
    # the second wait is twice the first
    assert outbox.deliver_due(session, app.config, t0 + timedelta(seconds=179)) == outbox.Delivery()
    third = outbox.deliver_due(session, app.config, t0 + timedelta(seconds=180))
    assert third.failed == [message.id]
    session.refresh(message)
    assert message.status == "failed" and message.attempts == 3
    assert outbox.deliver_due(session, app.config, t0 + timedelta(days=1)) == outbox.Delivery()

    login(client, users["admin"].email)
    page = client.get("/admin/outbox?status=failed").get_data(as_text=True)
    assert "a@gov.example" in page and "ConnectionRefusedError" in page and "Retry now" in page
    assert "(GCI reminder)" in page  # what kind of e-mail, in words

    # the mail server is back; the administrator retries
    server = _start_smtp_server(app)
    try:
        token = csrf_from(client, "/admin/outbox")
        response = client.post(
            f"/admin/outbox/{message.id}/retry", data={"csrf_token": token, "status": "failed"}
        )
        assert response.status_code == 302 and "status=failed" in response.location
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "outbox.retried")).one()
        assert event.actor_id == users["admin"].id and event.object_id == str(message.id)
        assert outbox.deliver_due(session, app.config).sent == [message.id]
        assert [m["Subject"] for m in server.messages] == ["Reminder"]
    finally:
        server.controller.stop()
    session.refresh(message)
    assert message.status == "sent" and message.last_error is None
    page = client.get("/admin/outbox?status=sent").get_data(as_text=True)
    assert "a@gov.example" in page and "Retry now" not in page


def _start_smtp_server(app):
    from tests.conftest import SmtpServer

    server = SmtpServer()
    server.controller.start()
    app.config["SMTP_URL"] = server.url
    return server


def test_a_message_cancelled_while_its_attempt_fails_stays_cancelled(app, session):
    """An invitation sent again while its old e-mail is being delivered: if that delivery
    fails, the old e-mail (with its dead link) is not tried again."""
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{free_port()}"  # nobody answers
    message = outbox.enqueue(session, "a@gov.example", "Invitation", "Old link", kind="invitation")
    session.commit()
    now = utcnow()
    claimed = outbox._claim_due(session, app.config, now)
    assert claimed == [message.id]
    assert outbox.cancel(session, message)  # meanwhile, in another request
    session.commit()
    done = outbox._deliver(session, app.config, claimed, now)
    assert done.retrying == [message.id]  # this attempt failed
    session.expire_all()
    assert session.get(OutboxMessage, message.id).status == "cancelled"
    assert outbox.deliver_due(session, app.config, now + timedelta(days=1)) == outbox.Delivery()


def test_retry_refuses_a_message_that_has_not_failed(app, session, client, users):
    message = outbox.enqueue(session, "a@gov.example", "Hello", "Body")
    session.commit()
    login(client, users["admin"].email)
    token = csrf_from(client, "/admin/outbox")
    response = client.post(f"/admin/outbox/{message.id}/retry", data={"csrf_token": token})
    assert response.status_code == 302
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "Only a failed message can be retried" in page
    assert client.post("/admin/outbox/999999/retry", data={"csrf_token": token}).status_code == 404
    # without the CSRF token nothing happens
    assert client.post(f"/admin/outbox/{message.id}/retry").status_code == 400


def test_two_schedulers_delivering_at_once_send_each_message_once(app, session, smtp_server):
    ids = [outbox.enqueue(session, f"t{i}@gov.example", f"Message {i}", "Body") for i in range(30)]
    session.commit()
    ids = [m.id for m in ids]
    factory = app.extensions[EXTENSION_KEY]["sessionmaker"]
    start = threading.Barrier(2)
    results = [None, None]

    def deliver(slot):
        own = factory()
        try:
            start.wait()
            results[slot] = outbox.deliver_due(own, app.config, utcnow())
        finally:
            own.close()

    threads = [threading.Thread(target=deliver, args=(slot,)) for slot in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    sent = results[0].sent + results[1].sent
    assert sorted(sent) == sorted(ids)  # each message claimed by exactly one of the two
    subjects = [m["Subject"] for m in smtp_server.messages]
    assert sorted(subjects) == sorted(f"Message {i}" for i in range(30))


def test_a_message_left_sending_by_a_dead_process_is_sent_after_the_timeout(
    app, session, smtp_server
):
    now = utcnow()
    timeout = timedelta(seconds=app.config["OUTBOX_SENDING_TIMEOUT_SECONDS"])
    stuck = OutboxMessage(
        kind="notice",
        to_address="a@gov.example",
        subject="Stuck",
        body_text="Body",
        status="sending",
        attempts=1,
        claimed_at=now - timeout - timedelta(seconds=1),
    )
    busy = OutboxMessage(
        kind="notice",
        to_address="b@gov.example",
        subject="Being sent",
        body_text="Body",
        status="sending",
        attempts=1,
        claimed_at=now - timedelta(seconds=5),
    )
    session.add_all([stuck, busy])
    session.commit()
    assert outbox.deliver_due(session, app.config, now).sent == [stuck.id]
    assert [m["Subject"] for m in smtp_server.messages] == ["Stuck"]
    session.refresh(busy)
    assert busy.status == "sending"  # still within its sender's time


def test_a_dead_process_on_the_last_attempt_leaves_the_message_failed(app, session, smtp_server):
    now = utcnow()
    stuck = OutboxMessage(
        kind="notice",
        to_address="a@gov.example",
        subject="Stuck",
        body_text="Body",
        status="sending",
        attempts=app.config["OUTBOX_MAX_ATTEMPTS"],
        claimed_at=now - timedelta(days=1),
    )
    session.add(stuck)
    session.commit()
    assert outbox.deliver_due(session, app.config, now) == outbox.Delivery()
    session.refresh(stuck)
    assert stuck.status == "failed" and "interrupted" in stuck.last_error
    assert smtp_server.messages == []


def test_a_refused_recipient_fails_at_once(app, session, smtp_server):
    async def refuse(_server, _session, envelope, address, _options):
        if address.startswith("nobody@"):
            return "550 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    smtp_server.handle_RCPT = refuse
    bad = outbox.enqueue(session, "nobody@gov.example", "Hi", "Body")
    good = outbox.enqueue(session, "someone@gov.example", "Hi", "Body")
    session.commit()
    done = outbox.deliver_due(session, app.config)
    assert done.failed == [bad.id] and done.sent == [good.id]
    session.refresh(bad)
    assert "550" in bad.last_error and bad.attempts == 1


def test_a_wrong_smtp_url_is_retried_like_a_server_that_is_down(app, session):
    app.config["SMTP_URL"] = "http://mail.example"
    message = outbox.enqueue(session, "a@gov.example", "Hi", "Body")
    session.commit()
    assert outbox.deliver_due(session, app.config).retrying == [message.id]
    session.refresh(message)
    assert "SMTP_URL" in message.last_error and message.status == "pending"


def test_the_scheduler_tick_delivers_the_outbox(app, session, smtp_server):
    from drills import scheduler

    outbox.enqueue(session, "a@gov.example", "From the tick", "Body")
    session.commit()
    scheduler.tick(app, "test:1")
    assert [m["Subject"] for m in smtp_server.messages] == ["From the tick"]


def test_outbox_page_filters_by_status_and_is_for_admins(app, session, client, users):
    session.add_all(
        [
            OutboxMessage(
                kind="n", to_address="sent@x.org", subject="S", body_text="b", status="sent"
            ),
            OutboxMessage(kind="n", to_address="wait@x.org", subject="W", body_text="b"),
        ]
    )
    session.commit()
    login(client, users["trainer"].email)
    assert client.get("/admin/outbox").status_code == 403
    client.post("/logout", data={"csrf_token": csrf_from(client, "/")})
    login(client, users["admin"].email)
    everything = client.get("/admin/outbox").get_data(as_text=True)
    assert "sent@x.org" in everything and "wait@x.org" in everything
    assert 'href="/admin/outbox"' in everything  # in the navigation
    waiting = client.get("/admin/outbox?status=pending").get_data(as_text=True)
    assert "wait@x.org" in waiting and "sent@x.org" not in waiting
    assert client.get("/admin/outbox?status=lost").status_code == 400
