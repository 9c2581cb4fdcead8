"""GCI cycles and their frameworks: find cycles, load, clone and version a framework, edit
one node. Each function works in the caller's session; the caller commits once, so a use case
is stored whole or not at all."""

from __future__ import annotations

import copy

from sqlmodel import Session, select

from core import audit
from core.documents import checksum
from core.domain import DomainError
from gci.framework.model import Framework
from gci.framework.validator import parse
from gci.models import Cycle, FrameworkVersion


class GciError(DomainError):
    """A request on cycles, frameworks or results that cannot be carried out; the message
    says why. Mostly a conflict with what is stored (409); a raise site sets another status
    where the request itself is wrong (422)."""

    status = 409


# --- frameworks --------------------------------------------------------------------------

_parsed: dict[str, Framework] = {}  # checksum -> parsed framework; documents never change


def parsed(version: FrameworkVersion) -> Framework:
    if version.checksum not in _parsed:
        _parsed[version.checksum] = parse(version.document)
    return _parsed[version.checksum]


def cycle_by_code(session: Session, code: str) -> Cycle | None:
    return session.exec(select(Cycle).where(Cycle.code == code)).first()


def cycles(session: Session) -> list[Cycle]:
    return list(session.exec(select(Cycle).order_by(Cycle.year.desc(), Cycle.code)))


def current_framework(session: Session, cycle: Cycle) -> FrameworkVersion | None:
    query = (
        select(FrameworkVersion)
        .where(FrameworkVersion.cycle_id == cycle.id)
        .order_by(FrameworkVersion.version.desc())
    )
    return session.exec(query).first()


def _get_or_create_cycle(session, code, name, year, previous_code=None) -> Cycle:
    cycle = cycle_by_code(session, code)
    if cycle is None:
        previous = cycle_by_code(session, previous_code) if previous_code else None
        if previous_code and previous is None:
            raise GciError(f"No cycle {previous_code} to compare with.")
        cycle = Cycle(
            code=code, name=name, year=year, previous_cycle_id=previous.id if previous else None
        )
        session.add(cycle)
        session.flush()
    elif cycle.historic:
        raise GciError(f"{code} holds imported historic results and takes no framework.")
    return cycle


def save_framework(session, cycle: Cycle, document: dict, actor=None) -> FrameworkVersion:
    """Store a document as the cycle's framework: as a new version when the current one is
    frozen (or there is none), else in place of the draft. Refused whole when invalid."""
    parse(document)  # raises FrameworkError with every problem
    digest = checksum(document)
    current = current_framework(session, cycle)
    if current is not None and current.checksum == digest:
        return current
    if current is None or current.frozen:
        current = FrameworkVersion(
            cycle_id=cycle.id,
            version=(current.version + 1) if current else 1,
            document=document,
            checksum=digest,
            created_by_id=getattr(actor, "id", None),
        )
    else:
        current.document, current.checksum = document, digest
    session.add(current)
    session.flush()
    audit.record(
        session,
        "gci.framework.saved",
        actor=actor,
        obj_type="gci_framework",
        obj_id=current.id,
        cycle=cycle.code,
        version=current.version,
        checksum=digest[:12],
    )
    return current


def load_framework(
    session,
    document: dict,
    *,
    cycle_code=None,
    name=None,
    year=None,
    previous_code=None,
    actor=None,
) -> FrameworkVersion:
    code = cycle_code or document.get("code")
    if not code:
        raise GciError("Name the cycle (--cycle) or give the framework a code.")
    year = year or int("".join(ch for ch in code if ch.isdigit())[:4] or 0)
    if not year:
        raise GciError(f"Give the year of cycle {code} (--year).")
    cycle = _get_or_create_cycle(
        session, code, name or document.get("name", code), year, previous_code
    )
    return save_framework(session, cycle, document, actor)


def clone_framework(
    session, version: FrameworkVersion, *, cycle_code, name, year, actor=None
) -> FrameworkVersion:
    """Start a new cycle from an existing framework (codes kept, so trends line up)."""
    if cycle_by_code(session, cycle_code):
        raise GciError(f"Cycle {cycle_code} exists already.")
    source_cycle = session.get(Cycle, version.cycle_id)
    document = copy.deepcopy(version.document)
    document["code"], document["name"] = cycle_code, name
    cycle = _get_or_create_cycle(session, cycle_code, name, year, source_cycle.code)
    return save_framework(session, cycle, document, actor)


EDITABLE = {"name", "text", "help_text", "weight"}


def find_node(document: dict, code: str) -> dict | None:
    stack = list(document.get("pillars", []))
    while stack:
        node = stack.pop()
        if node.get("code") == code:
            return node
        for key in ("indicators", "sub_indicators", "questions", "sub_questions"):
            stack += node.get(key) or []
    return None


def edit_node(
    session, version: FrameworkVersion, code: str, changes: dict, actor=None
) -> FrameworkVersion:
    """Change texts or the weight of one node. A frozen version is left as it is and the edit
    becomes a new version; an edit that breaks the framework is refused whole."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise GciError(
            f"Only {', '.join(sorted(EDITABLE))} can be edited here, "
            f"not {', '.join(sorted(unknown))}.",
            status=422,
        )
    document = copy.deepcopy(version.document)
    node = find_node(document, code)
    if node is None:
        raise GciError(f"No pillar, indicator or question {code} in this framework.", status=422)
    for key, value in changes.items():
        if key == "name" and "text" in node:
            key = "text"
        node[key] = value
        if key == "weight":
            node["weight_source"] = "edited"
    cycle = session.get(Cycle, version.cycle_id)
    saved = save_framework(session, cycle, document, actor)
    audit.record(
        session,
        "gci.framework.node_edited",
        actor=actor,
        obj_type="gci_framework",
        obj_id=saved.id,
        code=code,
        changes=changes,
    )
    return saved
