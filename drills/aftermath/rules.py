"""The improvement plan's row as one record: what a trainer enters (drills/aftermath/plan.py)
and what the after-action report prints (drills/reports/content.py). Pure: no Flask, no
session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class PlanItem:
    """An improvement-plan row. Every field has a default so that a row can be given by
    position (team, objective, capability, ...) or by name; plan.py checks what is required."""

    team_id: int | None = None
    objective_id: str | None = None
    capability: str = ""
    issue: str = ""
    corrective_action: str = ""
    capability_element: str = ""
    responsible_org: str = ""
    contact: str = ""
    start_date: date | None = None
    completion_date: date | None = None
