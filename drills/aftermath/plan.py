"""The HSEEP improvement plan: items (what to improve, by whom, by when) that trainers add,
edit and delete with a version check, and drafts made from the evaluators' observations."""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlmodel import Session, select

from core import audit
from drills.aftermath.rules import PlanItem
from drills.aftermath.service import AftermathError, objectives_of, team_of_drill
from drills.models import (
    Drill,
    ImprovementItem,
    Observation,
)

CAPABILITY_ELEMENTS = {
    "planning": _l("Planning"),
    "organisation": _l("Organisation"),
    "equipment": _l("Equipment"),
    "training": _l("Training"),
    "exercise": _l("Exercise"),
}
ITEM_LIMITS = {
    "capability": 200,
    "issue": 2000,
    "corrective_action": 2000,
    "responsible_org": 200,
    "contact": 200,
}


def item_values(item: ImprovementItem) -> PlanItem:
    return PlanItem(**{key: getattr(item, key) for key in (f.name for f in fields(PlanItem))})


class StaleItem(AftermathError):
    """Someone saved the item after the version this edit started from."""

    status = 409

    def __init__(self, current: ImprovementItem, yours: PlanItem):
        super().__init__(
            _(
                "Someone else saved this item while you were editing it (now version "
                "%(v)s). Compare both versions below; save again to keep yours.",
                v=current.version,
            )
        )
        self.current = current
        self.yours = yours


def _checked(session: Session, drill: Drill, values: PlanItem) -> PlanItem:
    problems = []
    cleaned = {
        key: (getattr(values, key) or "").strip() for key in ITEM_LIMITS
    }  # strings, stripped
    labels = {
        "capability": _("the capability"),
        "issue": _("the issue"),
        "corrective_action": _("the corrective action"),
        "responsible_org": _("the responsible organisation"),
    }
    for key, label in labels.items():
        if not cleaned[key]:
            problems.append(_("Fill in %(field)s.", field=label))
    for key, limit in ITEM_LIMITS.items():
        if len(cleaned[key]) > limit:
            problems.append(_("At most %(n)s characters in each field.", n=limit))
    if values.capability_element not in CAPABILITY_ELEMENTS:
        problems.append(
            _(
                "Choose the capability element: planning, organisation, equipment, "
                "training or exercise."
            )
        )
    start, done = values.start_date, values.completion_date
    if start and done and done < start:
        problems.append(_("The completion date cannot be before the start date."))
    objective = values.objective_id or None
    if objective is not None and objective not in objectives_of(session, drill):
        problems.append(_("Choose one of the scenario's objectives, or none."))
    try:
        team_of_drill(session, drill, values.team_id or None)
    except AftermathError as error:
        problems.extend(error.problems)
    if problems:
        raise AftermathError(problems)
    return PlanItem(
        **cleaned,
        capability_element=values.capability_element,
        start_date=start,
        completion_date=done,
        objective_id=objective,
        team_id=values.team_id or None,
    )


def _loggable(values: PlanItem) -> dict:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in asdict(values).items()}


def add_item(session: Session, drill: Drill, values: PlanItem, actor, now) -> ImprovementItem:
    checked = _checked(session, drill, values)
    item = ImprovementItem(
        drill_id=drill.id, **asdict(checked), updated_at=now, updated_by_id=actor.id
    )
    session.add(item)
    session.flush()
    audit.record(
        session,
        "drill.improvement_added",
        actor=actor,
        obj_type="improvement",
        obj_id=item.id,
        drill=drill.id,
        **_loggable(checked),
    )
    return item


def update_item(
    session: Session, item: ImprovementItem, values: PlanItem, version: int | None, actor, now
) -> bool:
    """Save an edit made from `version`; StaleItem if someone saved in between. The UPDATE
    itself checks the version, so two simultaneous saves cannot both win. Returns whether
    anything changed."""
    drill = session.get(Drill, item.drill_id)
    checked = _checked(session, drill, values)
    if version != item.version:
        raise StaleItem(item, checked)
    changed = {k: v for k, v in asdict(checked).items() if getattr(item, k) != v}
    if not changed:
        return False
    result = session.exec(
        update(ImprovementItem)
        .where(ImprovementItem.id == item.id, ImprovementItem.version == version)
        .values(**changed, version=version + 1, updated_at=now, updated_by_id=actor.id)
    )
    if result.rowcount != 1:
        session.rollback()
        raise StaleItem(session.get(ImprovementItem, item.id), checked)
    session.refresh(item)
    audit.record(
        session,
        "drill.improvement_changed",
        actor=actor,
        obj_type="improvement",
        obj_id=item.id,
        version=item.version,
        **{k: v.isoformat() if isinstance(v, date) else v for k, v in changed.items()},
    )
    return True


def delete_item(session: Session, item: ImprovementItem, version: int | None, actor) -> None:
    """Remove a row, only as seen: a row someone changed since is not deleted unseen."""
    if version != item.version:
        raise AftermathError(
            _(
                "Someone else changed this item since you loaded the page; it is not "
                "deleted. Look at it again first."
            )
        )
    audit.record(
        session,
        "drill.improvement_deleted",
        actor=actor,
        obj_type="improvement",
        obj_id=item.id,
        drill=item.drill_id,
        **_loggable(item_values(item)),
    )
    session.delete(item)


def improvement_plan(
    session: Session, drill: Drill, team_id: int | None = None
) -> list[ImprovementItem]:
    """The drill's improvement plan: every row, or for a team its own rows and the rows
    for the whole drill (never another team's)."""
    query = select(ImprovementItem).where(ImprovementItem.drill_id == drill.id)
    if team_id is not None:
        query = query.where(
            (ImprovementItem.team_id == team_id) | ImprovementItem.team_id.is_(None)
        )
    return list(session.exec(query.order_by(ImprovementItem.id)))


def is_draft(item: ImprovementItem) -> bool:
    """A row made from an observation that the trainer has not completed yet."""
    return not (item.corrective_action and item.responsible_org and item.capability_element)


def add_from_observations(session: Session, drill: Drill, actor, now) -> list[ImprovementItem]:
    """A draft row per 'area for improvement' observation: the objective's capability and
    the observation as the issue; the trainer completes the rest. An observation already in
    the plan (same team, objective and text) is not added twice."""
    objectives = objectives_of(session, drill)
    existing = {(i.team_id, i.objective_id, i.issue) for i in improvement_plan(session, drill)}
    query = (
        select(Observation)
        .where(Observation.drill_id == drill.id, Observation.kind == "improvement")
        .order_by(Observation.created_at, Observation.id)
    )
    added = []
    for observation in session.exec(query):
        issue = observation.text[: ITEM_LIMITS["issue"]]
        key = (observation.team_id, observation.objective_id, issue)
        if key in existing:
            continue
        existing.add(key)
        objective = objectives.get(observation.objective_id)
        item = ImprovementItem(
            drill_id=drill.id,
            team_id=observation.team_id,
            objective_id=observation.objective_id if objective else None,
            capability=(objective.capability if objective else "")[: ITEM_LIMITS["capability"]],
            issue=issue,
            corrective_action="",
            capability_element="",
            responsible_org="",
            updated_at=now,
            updated_by_id=actor.id,
        )
        session.add(item)
        added.append(item)
    session.flush()
    if added:
        audit.record(
            session,
            "drill.improvement_drafted",
            actor=actor,
            obj_type="drill",
            obj_id=drill.id,
            items=[i.id for i in added],
        )
    return added
