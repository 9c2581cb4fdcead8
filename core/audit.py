"""The append-only audit log. Callers add the event to the session of the change it records,
so the change and its trace commit together or not at all."""

from __future__ import annotations

from flask import has_request_context, request
from sqlmodel import Session, select

from core.models import AuditEvent


def record(
    session: Session,
    action: str,
    *,
    actor=None,
    obj_type: str | None = None,
    obj_id=None,
    **details,
) -> AuditEvent:
    event = AuditEvent(
        action=action,
        actor_id=getattr(actor, "id", None),
        object_type=obj_type,
        object_id=None if obj_id is None else str(obj_id),
        ip=request.remote_addr if has_request_context() else None,
        details=details,
    )
    session.add(event)
    return event


def recent(session: Session, limit: int = 200) -> list[AuditEvent]:
    return list(session.exec(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)))
