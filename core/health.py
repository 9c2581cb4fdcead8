"""What /healthz reports: database, migrations and the scheduler's heartbeat."""

from __future__ import annotations

from sqlalchemy import func, text
from sqlmodel import Session, select

from core import migrate
from core.models import SchedulerHeartbeat, as_utc, utcnow


def check(session: Session, stale_after_seconds: int) -> tuple[bool, dict]:
    report: dict = {}
    problems: list[str] = []
    try:
        session.exec(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - any failure means "not reachable"
        return False, {"status": "fail", "problems": [f"database unreachable: {error}"]}
    report["database"] = "ok"

    current = migrate.current_revision(session.get_bind())
    head = migrate.head_revision()
    report["migrations"] = {"current": current, "head": head}
    if current != head:
        problems.append(f"database schema is at {current}, code expects {head}: run migrations")

    newest = session.exec(select(func.max(SchedulerHeartbeat.beat_at))).one()
    if newest is None:
        report["scheduler"] = {"last_heartbeat_age_seconds": None}
        problems.append("no scheduler heartbeat: start `flask drills scheduler`")
    else:
        age = (utcnow() - as_utc(newest)).total_seconds()
        report["scheduler"] = {"last_heartbeat_age_seconds": round(age, 1)}
        if age > stale_after_seconds:
            problems.append(
                f"scheduler heartbeat is {age:.0f} s old (limit {stale_after_seconds} s)"
            )
    report["status"] = "fail" if problems else "ok"
    if problems:
        report["problems"] = problems
    return not problems, report
