"""After the drill: the participants' hot wash, the evaluators' rating overrides, the
improvement plan and the report's handling marking. The after-action report (drills/aar.py)
reads what these use cases write through the read functions at the end of each part.

Each use case works in the caller's session, adds its audit event there and leaves the one
commit to the caller; a refusal raises AftermathError before anything is written.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import asdict, dataclass
from datetime import date, datetime, time

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from core import audit
from core.models import User, as_utc
from drills.facts import scenario_of
from drills.models import (
    Drill,
    HotwashAnswer,
    ImprovementItem,
    Observation,
    RatingOverride,
    Team,
)


class AftermathError(ValueError):
    """A request that cannot be carried out; `problems` lists every reason."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(self.problems))


def _team_of_drill(session: Session, drill: Drill, team_id: int | None) -> Team | None:
    if team_id is None:
        return None
    team = session.get(Team, team_id)
    if team is None or team.drill_id != drill.id:
        raise AftermathError(_("That team is not in this drill."))
    return team


def names_of(session: Session, user_ids) -> dict[int, str]:
    ids = {i for i in user_ids if i is not None}
    if not ids:
        return {}
    return {u.id: u.name for u in session.exec(select(User).where(User.id.in_(ids)))}


def _objectives(session: Session, drill: Drill) -> dict:
    scenario = scenario_of(session, drill)
    return {o.id: o for o in scenario.objectives} if scenario else {}


# --- the hot wash ------------------------------------------------------------------------

HOTWASH_TEXT_MAX = 4000
HOTWASH_RATINGS = (1, 2, 3, 4, 5)


def respondent(secret_key: str | bytes, drill_id: int, user_id: int) -> str:
    """Who answered, as a keyed hash: the same person gets the same value within a drill,
    so a second answer is refused, but the value names nobody without the secret key."""
    key = secret_key.encode() if isinstance(secret_key, str) else secret_key
    return hmac.new(key, f"hotwash:{drill_id}:{user_id}".encode(), hashlib.sha256).hexdigest()


def hotwash_open(drill: Drill) -> bool:
    """The hot wash is asked once the drill has ended, and stays open afterwards."""
    return drill.state == "ended"


def hotwash_answered(session: Session, drill: Drill, user, secret_key) -> bool:
    mine = respondent(secret_key, drill.id, user.id)
    query = select(HotwashAnswer.id).where(
        HotwashAnswer.drill_id == drill.id, HotwashAnswer.respondent == mine
    )
    return session.exec(query).first() is not None


def answer_hotwash(
    session: Session,
    team: Team,
    user,
    *,
    went_well: str,
    went_badly: str,
    rating: int | None,
    anonymous: bool,
    secret_key,
    now: datetime,
) -> HotwashAnswer:
    """A member's hot-wash answer: one per person and drill, anonymous ones included."""
    drill = team.drill
    if not any(m.user_id == user.id for m in team.members):
        raise AftermathError(_("Only the team's own members answer its hot wash."))
    if not hotwash_open(drill):
        raise AftermathError(_("The hot wash opens when the drill has ended."))
    problems = []
    went_well, went_badly = (went_well or "").strip(), (went_badly or "").strip()
    if len(went_well) > HOTWASH_TEXT_MAX or len(went_badly) > HOTWASH_TEXT_MAX:
        problems.append(_("Each answer is at most %(n)s characters.", n=HOTWASH_TEXT_MAX))
    if rating not in HOTWASH_RATINGS:
        problems.append(_("Rate the drill from 1 (poor) to 5 (excellent)."))
    if problems:
        raise AftermathError(problems)
    refusal = _("You have answered this drill's hot wash already; each person answers once.")
    mine = respondent(secret_key, drill.id, user.id)
    if hotwash_answered(session, drill, user, secret_key):
        raise AftermathError(refusal)
    answer = HotwashAnswer(
        drill_id=drill.id,
        # An anonymous answer keeps neither the person nor the team: in a team of two or
        # three the team alone would name the person. Its time is kept to the day only, so
        # it cannot be matched with the person's other traces (sign-in, audit, web logs).
        team_id=None if anonymous else team.id,
        user_id=None if anonymous else user.id,
        respondent=mine,
        went_well=went_well,
        went_badly=went_badly,
        rating=rating,
        created_at=datetime.combine(now.date(), time(), now.tzinfo) if anonymous else now,
    )
    session.add(answer)
    try:
        session.flush()
    except IntegrityError:  # the same person answering twice at the same moment
        session.rollback()
        raise AftermathError(refusal) from None
    # Named answers are audited like every action. Anonymous ones are not audited at all:
    # an audit event carries the request's IP address and the exact time, and both can be
    # matched with the person's sign-in events, which would undo the anonymity. The row
    # itself (one per respondent hash) is the record that an answer was given.
    if not anonymous:
        audit.record(
            session,
            "drill.hotwash_answered",
            actor=user,
            obj_type="team",
            obj_id=team.id,
            answer=answer.id,
        )
    return answer


@dataclass(frozen=True)
class HotwashRow:
    answer: HotwashAnswer
    name: str | None  # None: anonymous
    team: str | None


@dataclass(frozen=True)
class HotwashSummary:
    count: int
    average: float | None
    by_rating: dict[int, int]
    rows: list[HotwashRow]


def hotwash_answers(session: Session, drill: Drill) -> list[HotwashAnswer]:
    """Every answer of the drill: the named ones in the order given, then the anonymous
    ones in the order of their hash, which says nothing about who answered when."""
    answers = session.exec(select(HotwashAnswer).where(HotwashAnswer.drill_id == drill.id))
    return sorted(
        answers,
        key=lambda a: (
            (1, "", a.respondent) if a.user_id is None else (0, as_utc(a.created_at), a.id)
        ),
    )


def hotwash_summary(session: Session, drill: Drill) -> HotwashSummary:
    answers = hotwash_answers(session, drill)
    names = names_of(session, (a.user_id for a in answers))
    teams = {t.id: t.name for t in drill.teams}
    rows = [
        HotwashRow(
            a,
            names.get(a.user_id) if a.user_id is not None else None,
            teams.get(a.team_id) if a.user_id is not None else None,
        )
        for a in answers
    ]
    by_rating = {r: sum(1 for a in answers if a.rating == r) for r in HOTWASH_RATINGS}
    average = round(sum(a.rating for a in answers) / len(answers), 2) if answers else None
    return HotwashSummary(len(answers), average, by_rating, rows)


# --- rating overrides --------------------------------------------------------------------

RATINGS = {
    "P": _l("Performed without challenges"),
    "S": _l("Performed with some challenges"),
    "M": _l("Performed with major challenges"),
    "U": _l("Unable to be performed"),
}
REASON_MAX = 2000


def override_rating(
    session: Session,
    drill: Drill,
    team_id: int | None,
    objective_id: str,
    rating: str,
    reason: str,
    evaluator,
    now: datetime,
) -> RatingOverride:
    """An evaluator's rating of a team on an objective, with the reason. Earlier ones stay
    as the history; the newest counts."""
    problems = []
    try:
        team = _team_of_drill(session, drill, team_id)
        if team is None:
            problems.append(_("Choose a team of this drill."))
    except AftermathError as error:
        problems.extend(error.problems)
    if objective_id not in _objectives(session, drill):
        problems.append(_("Choose one of the scenario's objectives."))
    if rating not in RATINGS:
        problems.append(_("A rating is P, S, M or U."))
    reason = (reason or "").strip()
    if not reason:
        problems.append(_("Give the reason for this rating."))
    elif len(reason) > REASON_MAX:
        problems.append(_("The reason is at most %(n)s characters.", n=REASON_MAX))
    if problems:
        raise AftermathError(problems)
    row = RatingOverride(
        drill_id=drill.id,
        team_id=team_id,
        objective_id=objective_id,
        rating=rating,
        reason=reason,
        evaluator_id=evaluator.id,
        created_at=now,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        "drill.rating_overridden",
        actor=evaluator,
        obj_type="drill",
        obj_id=drill.id,
        team=team_id,
        objective=objective_id,
        rating=rating,
        override=row.id,
    )
    return row


def rating_history(session: Session, drill: Drill) -> dict[tuple[int, str], list[RatingOverride]]:
    """Every override per (team id, objective id), newest first."""
    query = (
        select(RatingOverride)
        .where(RatingOverride.drill_id == drill.id)
        .order_by(RatingOverride.created_at.desc(), RatingOverride.id.desc())
    )
    history: dict[tuple[int, str], list[RatingOverride]] = {}
    for row in session.exec(query):
        history.setdefault((row.team_id, row.objective_id), []).append(row)
    return history


def current_overrides(session: Session, drill: Drill) -> dict[tuple[int, str], RatingOverride]:
    """The override that counts per (team id, objective id): the newest."""
    return {key: rows[0] for key, rows in rating_history(session, drill).items()}


# --- the improvement plan ----------------------------------------------------------------

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


@dataclass(frozen=True)
class ItemValues:
    """What the trainer enters for an improvement-plan row."""

    capability: str
    issue: str
    corrective_action: str
    capability_element: str
    responsible_org: str
    contact: str = ""
    start_date: date | None = None
    completion_date: date | None = None
    objective_id: str | None = None
    team_id: int | None = None


def item_values(item: ImprovementItem) -> ItemValues:
    return ItemValues(**{key: getattr(item, key) for key in ItemValues.__dataclass_fields__})


class StaleItem(AftermathError):
    """Someone saved the item after the version this edit started from."""

    def __init__(self, current: ImprovementItem, yours: ItemValues):
        super().__init__(
            _(
                "Someone else saved this item while you were editing it (now version "
                "%(v)s). Compare both versions below; save again to keep yours.",
                v=current.version,
            )
        )
        self.current = current
        self.yours = yours


def _checked(session: Session, drill: Drill, values: ItemValues) -> ItemValues:
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
    if objective is not None and objective not in _objectives(session, drill):
        problems.append(_("Choose one of the scenario's objectives, or none."))
    try:
        _team_of_drill(session, drill, values.team_id or None)
    except AftermathError as error:
        problems.extend(error.problems)
    if problems:
        raise AftermathError(problems)
    return ItemValues(
        **cleaned,
        capability_element=values.capability_element,
        start_date=start,
        completion_date=done,
        objective_id=objective,
        team_id=values.team_id or None,
    )


def _loggable(values: ItemValues) -> dict:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in asdict(values).items()}


def add_item(session: Session, drill: Drill, values: ItemValues, actor, now) -> ImprovementItem:
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
    session: Session, item: ImprovementItem, values: ItemValues, version: int | None, actor, now
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
    objectives = _objectives(session, drill)
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


# --- the report's handling marking -------------------------------------------------------

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
