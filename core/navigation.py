"""The navigation bar: one entry per page a role may open, derived from the policy."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from flask_babel import lazy_gettext as _l

from core.models import Role
from core.policy import can


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    action: str


NAV_ITEMS = (
    NavItem(_l("GCI results"), "results.ranking", "public"),
    NavItem(_l("Countries"), "core.countries", "public"),
    NavItem(_l("GCI workspaces"), "gci.index", "gci.countries.list"),
    NavItem(_l("GCI cycles"), "gci.cycles", "gci.snapshots.read"),
    NavItem(_l("GCI review"), "gci.review_queue", "gci.questionnaire.review"),
    NavItem(_l("Scenarios"), "scenarios.index", "scenarios.author"),
    NavItem(_l("Drills"), "drills.index", "drills.list"),
    NavItem(_l("Users"), "core.users", "users.manage"),
    NavItem(_l("Audit log"), "core.audit_log", "audit.read"),
    NavItem(_l("Outbox"), "core.outbox", "outbox.read"),
)


def navigation(user) -> list[tuple[str, str]]:
    """(label, url) pairs for this user, in menu order."""
    items = [
        (str(item.label), url_for(item.endpoint)) for item in NAV_ITEMS if can(user, item.action)
    ]
    if getattr(user, "is_authenticated", False) and user.role == Role.focal_point:
        # A focal point's own work comes right after the list of countries.
        at = [url for _label, url in items].index(url_for("core.countries")) + 1
        items[at:at] = [
            (str(_l("My country")), url_for("gci.my_country")),
            (str(_l("Questionnaire")), url_for("gci.my_questionnaire")),
        ]
    return items
