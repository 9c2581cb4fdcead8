"""The after-action reports' handling marking (Traffic Light Protocol)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlmodel import Session

from core import audit
from drills.aftermath.service import AftermathError
from drills.models import (
    Drill,
)

MARKINGS = ("TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED")


def set_marking(session: Session, drill: Drill, marking: str, actor) -> bool:
    """Choose the marking of the drill's reports; returns whether it changed."""
    if marking not in MARKINGS:
        raise AftermathError(
            _("Choose one of the markings: %(markings)s.", markings=", ".join(MARKINGS))
        )
    if drill.report_marking == marking:
        return False
    audit.record(
        session,
        "drill.report_marking_changed",
        actor=actor,
        obj_type="drill",
        obj_id=drill.id,
        old=drill.report_marking,
        new=marking,
    )
    drill.report_marking = marking
    session.add(drill)
    return True
