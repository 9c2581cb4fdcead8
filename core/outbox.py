"""The e-mail outbox: messages are rows written in the caller's transaction; the scheduler
process sends them (`deliver_due`, once per tick).

Delivery claims its rows atomically (`UPDATE … WHERE status = 'pending' AND next_attempt_at
<= now … RETURNING`, as drills/dispatcher.py does), so two scheduler processes never send one
message twice. A failed attempt is retried later, each wait twice the one before; after
OUTBOX_MAX_ATTEMPTS the message is marked failed and an administrator can retry it from
/admin/outbox. A message left "sending" by a process that died is tried again after
OUTBOX_SENDING_TIMEOUT_SECONDS: delivery is at least once, and every copy carries the same
Message-ID so a mail system can drop the duplicate.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import current_app
from sqlalchemy import and_, func, or_, update
from sqlmodel import Session, select

from core import audit
from core.accounts import check_email
from core.domain import DomainError
from core.models import OutboxMessage, as_utc, utcnow

log = logging.getLogger(__name__)

STATUSES = ("pending", "sending", "sent", "failed", "cancelled")
BATCH = 100  # messages claimed per tick; the rest wait for the next one
MAX_BACKOFF_SECONDS = 3600
SUBJECT_MAX = 300


class OutboxError(DomainError):
    """A request about the outbox that cannot be carried out; the message says why."""


# --- pure logic -------------------------------------------------------------------------


def compose(subject: str, body_text: str, banner: str | None = None) -> tuple[str, str]:
    """Subject and body as sent: a drill's exercise banner leads the subject and is the first
    and the last line of the body, so no reader can take an exercise e-mail for a real one."""
    subject = " ".join(subject.split())  # a header never holds a line break
    if banner:
        banner = " ".join(banner.split())
        subject = f"{banner} {subject}"
        body_text = f"{banner}\n\n{body_text.strip()}\n\n{banner}\n"
    return subject[:SUBJECT_MAX], body_text


def backoff_seconds(attempts: int, base: int) -> int:
    """Wait after the attempt number `attempts` failed: base, 2 x base, 4 x base … (capped)."""
    return min(base * 2 ** max(attempts - 1, 0), MAX_BACKOFF_SECONDS)


@dataclass(frozen=True)
class SmtpTarget:
    host: str
    port: int
    tls: str  # "none", "implicit" (smtps://) or "starttls" (smtp+starttls://)
    username: str | None = None
    password: str | None = None
    folder: str | None = None  # file:///folder: each message written there, nothing sent


def parse_smtp_url(url: str) -> SmtpTarget:
    """smtp://host:25, smtps://user:password@host:465 or smtp+starttls://host:587; or, to
    try the platform out without a mail server, file:///a/folder (`make run` uses one)."""
    parts = urlsplit(url)
    if parts.scheme == "file" and parts.path and not parts.netloc:
        return SmtpTarget(host="", port=0, tls="none", folder=unquote(parts.path))
    schemes = {"smtp": ("none", 25), "smtps": ("implicit", 465), "smtp+starttls": ("starttls", 587)}
    if parts.scheme not in schemes or not parts.hostname:
        raise OutboxError(
            f"SMTP_URL {url!r} is not understood; write smtp://host:port, "
            "smtps://user:password@host:465, smtp+starttls://user:password@host:587 "
            "or file:///a/folder."
        )
    tls, default_port = schemes[parts.scheme]
    return SmtpTarget(
        host=parts.hostname,
        port=parts.port or default_port,
        tls=tls,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


def build_email(message: OutboxMessage, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Date"] = format_datetime(as_utc(message.created_at))
    domain = parseaddr(sender)[1].partition("@")[2] or "cyberready.invalid"
    # The same id on every attempt: a copy sent twice after a crash is recognisable.
    email["Message-ID"] = (
        f"<outbox-{message.id}-{as_utc(message.created_at):%Y%m%d%H%M%S}@{domain}>"
    )
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(message.body_text)
    return email


def public_url(path: str) -> str:
    """An absolute link (e-mail, open data): always PUBLIC_BASE_URL, in a request or outside one
    (the Host a request names may be forged, and the scheduler has none)."""
    return current_app.config["PUBLIC_BASE_URL"] + path


# --- use cases --------------------------------------------------------------------------


def enqueue(
    session: Session,
    to: str,
    subject: str,
    body_text: str,
    *,
    banner: str | None = None,
    kind: str = "notice",
) -> OutboxMessage:
    """Add a message to the outbox in the caller's transaction (the caller commits).

    Raises AccountError when `to` is not an e-mail address."""
    subject, body_text = compose(subject, body_text, banner)
    message = OutboxMessage(
        kind=kind[:40], to_address=check_email(to), subject=subject, body_text=body_text
    )
    session.add(message)
    return message


@dataclass
class Delivery:
    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def deliver_due(session: Session, config, now: datetime | None = None) -> Delivery:
    """Send every message that is due; returns what happened to each one claimed."""
    now = now or utcnow()
    return _deliver(session, config, _claim_due(session, config, now), now)


def _deliver(session: Session, config, ids: list[int], now: datetime) -> Delivery:
    """Send the claimed messages `ids`, recording each outcome at once."""
    done = Delivery()
    if not ids:
        return done
    messages = session.exec(
        select(OutboxMessage)
        .where(OutboxMessage.id.in_(ids))
        .order_by(OutboxMessage.id)
        .execution_options(populate_existing=True)  # the claim changed these rows
    ).all()
    target = None
    try:
        target = parse_smtp_url(config["SMTP_URL"])
    except OutboxError as error:
        config_error = error
    with _Connection(target, config["SMTP_TIMEOUT_SECONDS"]) as connection:
        for message in messages:
            try:
                if target is None:
                    raise config_error
                connection.send(build_email(message, config["MAIL_FROM"]))
            except (OSError, smtplib.SMTPException, OutboxError) as error:
                # Unless it was cancelled while this attempt ran: then it stays cancelled.
                session.execute(
                    update(OutboxMessage)
                    .where(OutboxMessage.id == message.id, OutboxMessage.status == "sending")
                    .values(claimed_at=None, **_failure(message, error, config, now, done))
                    .execution_options(synchronize_session=False)
                )
            else:
                message.status, message.sent_at, message.last_error = "sent", now, None
                message.claimed_at = None
                session.add(message)
                done.sent.append(message.id)
            session.commit()  # one by one: a crash never loses the record of a sent message
    if done.retrying or done.failed:
        log.warning(
            "outbox: %s sent, %s to retry, %s failed",
            len(done.sent),
            len(done.retrying),
            len(done.failed),
        )
    return done


def _claim_due(session: Session, config, now: datetime) -> list[int]:
    stale = now - timedelta(seconds=config["OUTBOX_SENDING_TIMEOUT_SECONDS"])
    max_attempts = config["OUTBOX_MAX_ATTEMPTS"]
    interrupted = and_(OutboxMessage.status == "sending", OutboxMessage.claimed_at <= stale)
    # A process died while sending these, and they have had all their attempts.
    session.execute(
        update(OutboxMessage)
        .where(interrupted, OutboxMessage.attempts >= max_attempts)
        .values(
            status="failed",
            claimed_at=None,
            last_error="Delivery was interrupted (the scheduler stopped while sending).",
        )
    )
    due = or_(
        and_(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now),
        interrupted,
    )
    batch = select(OutboxMessage.id).where(due).order_by(OutboxMessage.id).limit(BATCH)
    # The condition is repeated on the UPDATE itself: PostgreSQL re-checks it on a row that
    # another process claimed in the meantime, and skips that row.
    claimed = (
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(batch.scalar_subquery()), due)
            .values(status="sending", claimed_at=now, attempts=OutboxMessage.attempts + 1)
            .returning(OutboxMessage.id)
            .execution_options(synchronize_session=False)
        )
        .scalars()
        .all()
    )
    session.commit()
    return list(claimed)


def _permanent(error: Exception) -> bool:
    """The receiving server refused every recipient for good (5xx): retrying cannot help.
    Anything else (server down, wrong SMTP_URL or password) may be mended meanwhile."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _msg in error.recipients.values())
    return False


def _failure(message: OutboxMessage, error: Exception, config, now, done: Delivery) -> dict:
    """What a failed attempt leaves of the message: failed for good, or pending again."""
    values = {"last_error": f"{type(error).__name__}: {error}"[:500]}
    if _permanent(error) or message.attempts >= config["OUTBOX_MAX_ATTEMPTS"]:
        done.failed.append(message.id)
        return values | {"status": "failed"}
    done.retrying.append(message.id)
    wait = backoff_seconds(message.attempts, config["OUTBOX_RETRY_SECONDS"])
    return values | {"status": "pending", "next_attempt_at": now + timedelta(seconds=wait)}


class _Connection:
    """One SMTP connection for a batch, opened on the first message and reopened after an
    error (the server may have dropped it)."""

    def __init__(self, target: SmtpTarget | None, timeout: int):
        self.target, self.timeout, self.smtp = target, timeout, None

    def __enter__(self):
        return self

    def __exit__(self, *_exc):
        self.close()

    def send(self, email: EmailMessage) -> None:
        if self.target.folder is not None:
            _write(Path(self.target.folder), email)
            return
        if self.smtp is None:
            self.smtp = self._open()
        try:
            self.smtp.send_message(email)
        except (OSError, smtplib.SMTPException):
            self.close()
            raise

    def _open(self) -> smtplib.SMTP:
        t = self.target
        if t.tls == "implicit":
            smtp = smtplib.SMTP_SSL(
                t.host, t.port, timeout=self.timeout, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(t.host, t.port, timeout=self.timeout)
        try:
            if t.tls == "starttls":
                smtp.starttls(context=ssl.create_default_context())
            if t.username:
                smtp.login(t.username, t.password or "")
        except (OSError, smtplib.SMTPException):
            smtp.close()
            raise
        return smtp

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                self.smtp.close()
            self.smtp = None


def _write(folder: Path, email: EmailMessage) -> None:
    """The message as an .eml file named by its Message-ID, written whole or not at all."""
    folder.mkdir(parents=True, exist_ok=True)
    name = email["Message-ID"].strip("<>").partition("@")[0] + ".eml"
    partial = folder / (name + ".part")
    partial.write_bytes(email.as_bytes())
    partial.replace(folder / name)


def retry(session: Session, message: OutboxMessage, actor, now: datetime | None = None) -> None:
    """An administrator sends a failed message again: a fresh series of attempts, now."""
    if message.status != "failed":
        raise OutboxError("Only a failed message can be retried.")
    message.status, message.attempts = "pending", 0
    message.next_attempt_at = now or utcnow()
    session.add(message)
    audit.record(
        session, "outbox.retried", actor=actor, obj_type="outbox_message", obj_id=message.id
    )


def cancel(session: Session, message: OutboxMessage) -> bool:
    """Keep a message that has not gone out from going out: whether it was cancelled. One
    being sent right now stays cancelled if this attempt fails; if it succeeds, it is sent."""
    cancelled = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message.id,
            OutboxMessage.status.in_(("pending", "failed", "sending")),
        )
        .values(status="cancelled")
        .execution_options(synchronize_session=False)
    )
    session.expire(message)
    return cancelled.rowcount == 1


def messages(session: Session, status: str | None = None, limit: int = 200):
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
    if status:
        query = query.where(OutboxMessage.status == status)
    return list(session.exec(query))


def counts(session: Session) -> dict[str, int]:
    rows = session.exec(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    ).all()
    return {status: 0 for status in STATUSES} | dict(rows)
