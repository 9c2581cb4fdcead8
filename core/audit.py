"""The append-only audit log. Callers add the event to the session of the change it records,
so the change and its trace commit together or not at all."""

from __future__ import annotations

from flask import has_request_context, request
from sqlmodel import Session, select

from core.models import AuditEvent, utcnow

_INSERT = AuditEvent.__table__.insert()


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
    session.execute(
        _INSERT,
        {
            "at": utcnow(),
            "action": action,
            "actor_id": getattr(actor, "id", None),
            "object_type": obj_type,
            "object_id": None if obj_id is None else str(obj_id),
            "ip": request.remote_addr if has_request_context() else None,
            "details": details,
        },
    )


def recent(session: Session, limit: int = 200) -> list[AuditEvent]:
    return list(session.exec(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)))
