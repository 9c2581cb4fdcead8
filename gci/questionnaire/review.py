"""Use cases of the analyst's review: accept an answer (it then counts in the official
score), ask about it, correct it with a reason, the focal point's reply, what was asked when
the questionnaire was sent back, and the queue of questionnaires waiting for an analyst.
Functions work in the caller's session; the caller commits."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlmodel import Session, select

from core import audit
from core.models import AuditEvent, Country
from gci.models import Answer, AnswerComment, Cycle, Questionnaire
from gci.questionnaire import answers, reading, rules
from gci.questionnaire.errors import QuestionnaireError

COMMENT_MAX = 2000


def comments(session: Session, cycle: Cycle, country: Country) -> dict[str, list[AnswerComment]]:
    return reading.by_question(session, AnswerComment, cycle, country)


@dataclass(frozen=True)
class Asked:
    code: str
    question: str  # the analyst's last question about this answer
    replied: bool  # the focal point replied after it


@dataclass(frozen=True)
class Clarification:
    note: str  # what the analyst wrote when sending the questionnaire back
    asked: list[Asked]


def clarification(session: Session, cycle: Cycle, country: Country) -> Clarification:
    """What the analysts asked when they last sent the questionnaire back: their note and
    each question they asked about, in the framework's order, and whether it has a reply."""
    found = reading.questionnaire(session, cycle, country)
    event = None
    if found is not None:
        event = session.exec(
            select(AuditEvent)
            .where(
                AuditEvent.action == "gci.questionnaire.request_clarification",
                AuditEvent.object_type == "gci_questionnaire",
                AuditEvent.object_id == str(found.id),
            )
            .order_by(AuditEvent.id.desc())
        ).first()
    framework = reading.framework_of(session, cycle)
    order = {q.code: i for i, q in enumerate(framework.order)} if framework else {}
    asked = []
    for code, thread in comments(session, cycle, country).items():
        questions = [c for c in thread if c.kind == "clarification"]
        if questions:
            last = questions[-1]
            replied = any(c.kind == "reply" and c.id > last.id for c in thread)
            asked.append(Asked(code, last.body, replied))
    asked.sort(key=lambda a: order.get(a.code, len(order)))
    return Clarification(event.details.get("comment", "") if event else "", asked)


def _in_state(session, cycle, country, wanted: str) -> None:
    state = reading.state_of(reading.questionnaire(session, cycle, country))
    if state != wanted:
        raise QuestionnaireError(
            _(
                "This is possible only while the questionnaire is %(wanted)s; it is %(state)s.",
                wanted=reading.STATE_LABELS[wanted],
                state=reading.STATE_LABELS[state],
            )
        )


def _stored(session, cycle, country, code) -> Answer:
    row = reading.answers(session, cycle, country).get(code)
    if row is None:
        raise QuestionnaireError(_("%(code)s has no answer to review.", code=code))
    return row


def _comment(session, cycle, country, code, kind, body, actor) -> AnswerComment:
    body = (body or "").strip()
    if kind != "accepted" and not body:
        raise QuestionnaireError(_("Write the comment: what is unclear, or why it changes."))
    if len(body) > COMMENT_MAX:
        raise QuestionnaireError(_("Keep the comment under %(n)s characters.", n=COMMENT_MAX))
    item = AnswerComment(
        cycle_id=cycle.id,
        country_id=country.id,
        question_code=code,
        kind=kind,
        body=body,
        author_id=getattr(actor, "id", None),
    )
    session.add(item)
    audit.record(
        session,
        f"gci.answer.{kind}",
        actor=actor,
        obj_type="gci_answer",
        obj_id=reading.answer_key(cycle, country, code),
        question=code,
        comment=body,
    )
    return item


def accept(session: Session, cycle: Cycle, country: Country, code: str, actor) -> Answer:
    """An analyst accepts the answer (and its evidence): it counts in the official score."""
    _in_state(session, cycle, country, "in_review")
    row = _stored(session, cycle, country, code)
    row.accepted = True
    session.add(row)
    _comment(session, cycle, country, code, "accepted", "", actor)
    return row


def accept_the_rest(session: Session, cycle: Cycle, country: Country, actor) -> int:
    """Validating the questionnaire accepts every answer shown that the analyst has not
    accepted or corrected one by one, each noted in its question's thread and history;
    otherwise a validated country would be published without the points it earned."""
    framework = reading.framework_of(session, cycle)
    rows = reading.answers(session, cycle, country)
    shown = rules.visible(framework, reading.values_of(rows))
    count = 0
    for code, row in rows.items():
        if code in shown and not row.accepted:
            row.accepted = True
            session.add(row)
            _comment(session, cycle, country, code, "accepted", "", actor)
            count += 1
    return count


def ask(session: Session, cycle: Cycle, country: Country, code: str, body: str, actor):
    """An analyst asks about one answer; the focal point sees it once the questionnaire is
    sent back for clarification."""
    _in_state(session, cycle, country, "in_review")
    reading.question_of(reading.framework_of(session, cycle), cycle, code)
    return _comment(session, cycle, country, code, "clarification", body, actor)


def reply(session: Session, cycle: Cycle, country: Country, code: str, body: str, actor):
    """The focal point answers an analyst's question while the questionnaire is back with
    them."""
    _in_state(session, cycle, country, "clarification_requested")
    asked = [
        c for c in comments(session, cycle, country).get(code, []) if c.kind == "clarification"
    ]
    if not asked:
        raise QuestionnaireError(_("No analyst asked about %(code)s.", code=code))
    return _comment(session, cycle, country, code, "reply", body, actor)


def correct(
    session: Session, cycle: Cycle, country: Country, code: str, value, reason: str, actor
) -> Answer:
    """An analyst corrects an answer with a reason the focal point sees; the corrected answer
    counts as accepted."""
    _in_state(session, cycle, country, "in_review")
    reading.possible_answer(reading.framework_of(session, cycle), cycle, code, value)
    _comment(session, cycle, country, code, "correction", reason, actor)
    row = reading.answers(session, cycle, country).get(code)
    return answers.store(
        session, cycle, country, code, row, value, actor, accepted=True, correction=True
    )


def review_queue(session: Session) -> list[tuple[Cycle, Country, Questionnaire]]:
    """Questionnaires waiting for an analyst: handed in, or being reviewed."""
    query = (
        select(Questionnaire, Cycle, Country)
        .join(Cycle, Cycle.id == Questionnaire.cycle_id)
        .join(Country, Country.id == Questionnaire.country_id)
        .where(Questionnaire.state.in_(["submitted", "resubmitted", "in_review"]))
        .order_by(Questionnaire.submitted_at)
    )
    return [(cycle, country, found) for found, cycle, country in session.exec(query)]
