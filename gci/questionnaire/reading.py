"""What every questionnaire use case reads first, and the rules they share: the cycle,
country, questionnaire and framework in one query (`lookup`), who may see or answer it
(`refusal`, the policy's decision as an HTTP status), whether answers may change now
(`editing_refusal`), whether it is in secondary research, and a country's answers, evidence
and history. Functions work in the caller's session and change nothing, except
`get_or_create`, which adds the questionnaire row a first change needs."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import cache
from typing import NamedTuple

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam
from sqlalchemy.orm import aliased, defer
from sqlmodel import Session, select

from core.models import AuditEvent, Country, Role, User
from core.policy import can
from gci.cycles import service as cycles
from gci.framework.model import Framework, Question
from gci.models import Answer, Cycle, Evidence, FrameworkVersion, Questionnaire
from gci.questionnaire import rules, workflow
from gci.questionnaire.errors import NotOpen, QuestionnaireError, ReadOnly
from gci.results import scoring

UNKNOWN = object()  # a questionnaire the caller has not looked up
ANSWER = "gci.questionnaire.answer"  # the policy's action for changing answers
STATE_LABELS = {
    "not_started": _l("not started"),
    "in_progress": _l("in progress"),
    "draft": _l("draft"),
    "submitted": _l("submitted"),
    "in_review": _l("in review"),
    "clarification_requested": _l("clarification requested"),
    "resubmitted": _l("resubmitted"),
    "validated": _l("validated"),
    "approved": _l("approved by the country"),
    "published": _l("published"),
}


class Found(NamedTuple):
    """A questionnaire as `lookup` finds it: None before its first change, and the cycle's
    current framework (None before one is loaded)."""

    cycle: Cycle
    country: Country
    questionnaire: Questionnaire | None
    framework: Framework | None


def window_open(cycle: Cycle, today: date) -> bool:
    """Whether focal points may answer today (an opening date is needed; no closing date:
    open until one is set)."""
    if cycle.historic or cycle.opens_on is None or today < cycle.opens_on:
        return False
    return cycle.closes_on is None or today <= cycle.closes_on


def open_cycles(session: Session, today: date) -> list[Cycle]:
    return [c for c in cycles.cycles(session) if window_open(c, today)]


def framework_of(session: Session, cycle: Cycle) -> Framework | None:
    """The cycle's current framework. The stored document is read only when its parsed form
    is not cached yet: every autosave needs the framework, rarely its text."""
    query = (
        select(FrameworkVersion)
        .options(defer(FrameworkVersion.document))
        .where(FrameworkVersion.cycle_id == cycle.id)
        .order_by(FrameworkVersion.version.desc())
    )
    version = session.exec(query).first()
    return cycles.parsed(version) if version else None


@cache
def _lookup_query(with_user: bool = False):
    """Built once: constructing a statement of this size costs more than running it."""
    latest = aliased(FrameworkVersion)
    newest_id = (
        select(latest.id)
        .where(latest.cycle_id == Cycle.id)
        .order_by(latest.version.desc())
        .limit(1)
        .scalar_subquery()
    )
    query = (
        select(Cycle, Country, Questionnaire, FrameworkVersion)
        .select_from(Cycle)
        .join(Country, Country.iso3 == bindparam("iso3"))
        .outerjoin(
            Questionnaire,
            (Questionnaire.cycle_id == Cycle.id) & (Questionnaire.country_id == Country.id),
        )
        .outerjoin(FrameworkVersion, FrameworkVersion.id == newest_id)
        .options(defer(FrameworkVersion.document))
        .where(Cycle.code == bindparam("cycle_code"))
    )
    if with_user:
        query = query.add_columns(User).join(User, User.id == bindparam("user_id"))
    return query


def lookup(session: Session, cycle_code: str, iso3: str) -> Found | None:
    """The cycle, the country, its questionnaire and the cycle's current framework, read in
    one query (an autosave needs all four); None when the cycle or the country is unknown."""
    params = {"cycle_code": cycle_code, "iso3": iso3.upper()}
    found = session.execute(_lookup_query(), params).first()
    if found is None:
        return None
    cycle, country, row, version = found
    return Found(cycle, country, row, cycles.parsed(version) if version else None)


def lookup_with_user(session: Session, user_id: int, cycle_code: str, iso3: str):
    """(the user, lookup()) in one query, for a request whose user is not loaded yet
    (gci/autosave.py); None when the user, the cycle or the country is unknown."""
    params = {"cycle_code": cycle_code, "iso3": iso3.upper(), "user_id": user_id}
    found = session.execute(_lookup_query(with_user=True), params).first()
    if found is None:
        return None
    cycle, country, row, version, user = found
    return user, Found(cycle, country, row, cycles.parsed(version) if version else None)


def refusal(user, found: Found | None, action: str) -> int | None:
    """The status to refuse `user` with for what `lookup` found, if any: a focal point of
    another country learns nothing (404), other refusals say so."""
    if found is None or found.cycle.historic:
        return 404
    if not can(user, action, _subject(found, action)):
        return 404 if user.role == Role.focal_point else 403
    return None


def _subject(found: Found, action: str):
    """What the policy decides on: the questionnaire for answering (whether it is in
    secondary research matters), else the country."""
    if action != ANSWER:
        return found.country
    return found.questionnaire or Questionnaire(
        cycle_id=found.cycle.id, country_id=found.country.id
    )


def questionnaire(session: Session, cycle: Cycle, country: Country) -> Questionnaire | None:
    query = select(Questionnaire).where(
        Questionnaire.cycle_id == cycle.id, Questionnaire.country_id == country.id
    )
    return session.exec(query).first()


def state_of(found: Questionnaire | None) -> str:
    return found.state if found else "draft"


def in_research(found: Questionnaire | None) -> bool:
    """Whether analysts fill this questionnaire from public sources (secondary research)."""
    return found is not None and found.secondary_research


def editing_refusal(cycle: Cycle, found: Questionnaire | None, role, today: date):
    """Why answers and evidence cannot change now (a ReadOnly or NotOpen to raise), or None:
    only in an editable state, and a draft only while the cycle is open (a clarification may
    be answered after the closing date, and analysts do secondary research when the country
    did not answer in time)."""
    state = state_of(found)
    if in_research(found) and role in workflow.STAFF and workflow.editable(state):
        return None
    if not workflow.editable(state):
        return ReadOnly(
            _(
                "The questionnaire is %(state)s: answers cannot change until an analyst asks "
                "for clarification.",
                state=STATE_LABELS[state],
            ),
            state,
        )
    if state == "draft" and not window_open(cycle, today):
        return NotOpen(_("%(cycle)s is not open for answers.", cycle=cycle.name))
    return None


def check_editable(
    session: Session, cycle: Cycle, country: Country, today: date, actor=None, found=UNKNOWN
) -> Questionnaire | None:
    """Refuse a change (`editing_refusal`); `found`: the questionnaire (or None) when the
    caller has read it already."""
    if found is UNKNOWN:
        found = questionnaire(session, cycle, country)
    refused = editing_refusal(cycle, found, getattr(actor, "role", None), today)
    if refused is not None:
        raise refused
    return found


def answerable(user, cycle: Cycle, country: Country, found, today: date) -> bool:
    """Whether `user` may change answers now (for showing the inputs)."""
    subject = found or Questionnaire(cycle_id=cycle.id, country_id=country.id)
    if not can(user, ANSWER, subject):
        return False
    return editing_refusal(cycle, found, user.role, today) is None


def question_of(framework: Framework | None, cycle: Cycle, code: str) -> Question:
    """The question `code` of the cycle's framework, or QuestionnaireError."""
    question = framework.questions.get(code) if framework else None
    if question is None:
        raise QuestionnaireError(
            _("%(code)s is not a question of %(cycle)s.", code=code, cycle=cycle.name)
        )
    return question


def possible_answer(framework: Framework | None, cycle: Cycle, code: str, value) -> Question:
    """The question `code`, if `value` is a possible answer to it (None clears an answer);
    QuestionnaireError saying why not otherwise."""
    question = question_of(framework, cycle, code)
    if value is not None:
        try:
            rules.check_value(question, value, framework.partial_value)
        except ValueError as error:
            raise QuestionnaireError(
                _("%(code)s: this answer is not possible (%(reason)s).", code=code, reason=error)
            ) from None
    return question


def get_or_create(
    session: Session, cycle: Cycle, country: Country, found: Questionnaire | None = None
) -> Questionnaire:
    found = found or questionnaire(session, cycle, country)
    if found is None:
        found = Questionnaire(cycle_id=cycle.id, country_id=country.id)
        session.add(found)
        session.flush()
    return found


def answers(session: Session, cycle: Cycle, country: Country) -> dict[str, Answer]:
    query = select(Answer).where(Answer.cycle_id == cycle.id, Answer.country_id == country.id)
    return {a.question_code: a for a in session.exec(query)}


def values_of(rows: Mapping[str, Answer]) -> dict[str, object]:
    return {code: row.value["v"] for code, row in rows.items()}


def by_question(session: Session, table, cycle: Cycle, country: Country) -> dict[str, list]:
    """The rows of `table` (evidence, comments: anything with cycle_id, country_id and
    question_code) of a country's questionnaire, by question code, oldest first."""
    query = (
        select(table)
        .where(table.cycle_id == cycle.id, table.country_id == country.id)
        .order_by(table.id)
    )
    out: dict[str, list] = {}
    for item in session.exec(query):
        out.setdefault(item.question_code, []).append(item)
    return out


def evidence(session: Session, cycle: Cycle, country: Country) -> dict[str, list[Evidence]]:
    return by_question(session, Evidence, cycle, country)


def what_if(framework: Framework, values: Mapping[str, object]) -> scoring.Score | None:
    """The score these answers would earn once accepted; hidden sub-answers do not count."""
    try:
        return scoring.score(
            framework, [scoring.Answer(code, value, True) for code, value in values.items()]
        )
    except ValueError:  # an answer the current framework version no longer allows
        return None


def whatif_summary(cycle: Cycle, framework: Framework, values) -> dict | None:
    """The what-if score as the pages and the autosave show it, if the cycle shows it."""
    if not cycle.show_whatif:
        return None
    score = what_if(framework, values)
    if score is None:
        return None
    return {
        "overall": f"{score.overall:.2f}",
        "pillars": {code: f"{value:.2f}" for code, value in score.pillars.items()},
        "tier": score.tier.name if score.tier else "",
    }


def progress_text(count: rules.Count) -> str:
    return _(
        "%(answered)s of %(total)s answered (%(percent)s%%)",
        answered=count.answered,
        total=count.total,
        percent=count.percent,
    )


def answer_key(cycle: Cycle, country: Country, code: str) -> str:
    """The audit log's object id of one question's answer and evidence."""
    return f"{cycle.id}:{country.id}:{code}"


def history(session: Session, cycle: Cycle, country: Country, code: str) -> list[AuditEvent]:
    query = (
        select(AuditEvent)
        .where(
            AuditEvent.object_type == "gci_answer",
            AuditEvent.object_id == answer_key(cycle, country, code),
        )
        .order_by(AuditEvent.id)
    )
    return list(session.exec(query))
