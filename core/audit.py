"""The append-only audit log. Callers add the event to the session of the change it records,
so the change and its trace commit together or not at all."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import has_request_context, request
from sqlmodel import Session, select

from core import db
from core.models import AuditEvent, utcnow

_INSERT = AuditEvent.__table__.insert()
# The client of a request answered before Flask (core/shortcut.py), which has no
# flask.request to read it from.
_CLIENT_ADDRESS: ContextVar[str | None] = ContextVar("audit_client_address", default=None)


@contextmanager
def client_address(address: str | None) -> Iterator[None]:
    """Events recorded inside are recorded as coming from `address`."""
    reset = _CLIENT_ADDRESS.set(address)
    try:
        yield
    finally:
        _CLIENT_ADDRESS.reset(reset)


def record(
    session: Session,
    action: str,
    *,
    actor=None,
    obj_type: str | None = None,
    obj_id=None,
    **details,
) -> None:
    """Write one event in the session's transaction, at once (an insert without an object
    to track: the log is written on every autosave, and never read back by its writer)."""
    db.execute(
        session,
        _INSERT,
        {
            "at": utcnow(),
            "action": action,
            "actor_id": getattr(actor, "id", None),
            "object_type": obj_type,
            "object_id": None if obj_id is None else str(obj_id),
            "ip": request.remote_addr if has_request_context() else _CLIENT_ADDRESS.get(),
            "details": details,
        },
    )


def recent(session: Session, limit: int = 200) -> list[AuditEvent]:
    return list(session.exec(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)))
