"""Texts of the GCI results in the reader's language: the names of the pillars and country
groups (the framework file holds English names; a pillar it adds beyond the five keeps its
own name), and the notice on scores computed with placeholder weights."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from gci.framework.model import Framework

PILLAR_LABELS = {
    "LEG": _l("Legal"),
    "TEC": _l("Technical"),
    "ORG": _l("Organizational"),
    "CAP": _l("Capacity Development"),
    "COO": _l("Cooperation"),
}
PLACEHOLDER_NOTICE = _l(
    "Computed with placeholder weights: ITU has not published the GCI question weights, so "
    "these are not official GCI results."
)
GROUP_ACRONYMS = {"ldc": "LDC", "lldc": "LLDC", "sids": "SIDS"}


def pillar_labels(framework: Framework | None) -> dict[str, str]:
    """code -> label, in the framework's order when there is one."""
    if framework is None:
        return {code: str(label) for code, label in PILLAR_LABELS.items()}
    return {p.code: str(PILLAR_LABELS.get(p.code, p.name)) for p in framework.pillars}


def group_label(group: str) -> str:
    return GROUP_ACRONYMS.get(group, group.upper())
