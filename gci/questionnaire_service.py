"""Use cases of the questionnaire: save an answer (versioned), add and remove evidence, move
the questionnaire through its workflow, and read progress for the admin's overview. Each
function works in the caller's session; the caller commits once. Every change is audited
under the question's key (`answer_key`) so that one question's history can be read back."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import NamedTuple

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, defer
from sqlmodel import Session, select

from core import audit, db, outbox
from core.models import AuditEvent, Country, Role, User, utcnow
from gci import evidence as evidence_types
from gci import questionnaire as rules
from gci import workflow
from gci.cycles import service
from gci.framework import Framework
from gci.models import Answer, AnswerComment, Cycle, Evidence, FrameworkVersion, Questionnaire
from gci.results import scoring, snapshots

DESCRIPTION_MAX = 500
UNKNOWN = object()  # a questionnaire the caller has not looked up
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


class QuestionnaireError(ValueError):
    """A request that cannot be carried out; `status` is the HTTP answer that fits it."""

    status = 422


class NotOpen(QuestionnaireError):
    status = 409


class ReadOnly(QuestionnaireError):
    """Answers cannot change in the questionnaire's present state."""

    status = 409

    def __init__(self, message: str, state: str):
        super().__init__(message)
        self.state = state


class StaleAnswer(QuestionnaireError):
    """The answer changed since the version the client started from."""

    status = 409

    def __init__(self, current: Answer | None):
        super().__init__("This answer was changed in the meantime.")
        self.current = current


class TooLarge(QuestionnaireError):
    status = 413


class WrongType(QuestionnaireError):
    status = 415


class Incomplete(QuestionnaireError):
    status = 409

    def __init__(self, missing: list[rules.Missing]):
        super().__init__(_("%(n)s answers or pieces of evidence are missing.", n=len(missing)))
        self.missing = missing


# --- reading -----------------------------------------------------------------------------


def window_open(cycle: Cycle, today: date) -> bool:
    """Whether focal points may answer today (an opening date is needed; no closing date:
    open until one is set)."""
    if cycle.historic or cycle.opens_on is None or today < cycle.opens_on:
        return False
    return cycle.closes_on is None or today <= cycle.closes_on


def open_cycles(session: Session, today: date) -> list[Cycle]:
    return [c for c in service.cycles(session) if window_open(c, today)]


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
    return service.parsed(version) if version else None


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


def lookup(
    session: Session, cycle_code: str, iso3: str
) -> tuple[Cycle, Country, Questionnaire | None, Framework | None] | None:
    """The cycle, the country, its questionnaire and the cycle's current framework, read in
    one query (an autosave needs all four); None when the cycle or the country is unknown."""
    params = {"cycle_code": cycle_code, "iso3": iso3.upper()}
    found = session.execute(_lookup_query(), params).first()
    if found is None:
        return None
    cycle, country, row, version = found
    return cycle, country, row, service.parsed(version) if version else None


def lookup_with_user(session: Session, user_id: int, cycle_code: str, iso3: str):
    """(the user, lookup()) in one query, for a request whose user is not loaded yet
    (gci/autosave.py); None when the user, the cycle or the country is unknown."""
    params = {"cycle_code": cycle_code, "iso3": iso3.upper(), "user_id": user_id}
    found = session.execute(_lookup_query(with_user=True), params).first()
    if found is None:
        return None
    cycle, country, row, version, user = found
    return user, (cycle, country, row, service.parsed(version) if version else None)


def questionnaire(session: Session, cycle: Cycle, country: Country) -> Questionnaire | None:
    query = select(Questionnaire).where(
        Questionnaire.cycle_id == cycle.id, Questionnaire.country_id == country.id
    )
    return session.exec(query).first()


def state_of(found: Questionnaire | None) -> str:
    return found.state if found else "draft"


def answers(session: Session, cycle: Cycle, country: Country) -> dict[str, Answer]:
    query = select(Answer).where(Answer.cycle_id == cycle.id, Answer.country_id == country.id)
    return {a.question_code: a for a in session.exec(query)}


def values_of(rows: Mapping[str, Answer]) -> dict[str, object]:
    return {code: row.value["v"] for code, row in rows.items()}


def evidence(session: Session, cycle: Cycle, country: Country) -> dict[str, list[Evidence]]:
    query = (
        select(Evidence)
        .where(Evidence.cycle_id == cycle.id, Evidence.country_id == country.id)
        .order_by(Evidence.id)
    )
    out: dict[str, list[Evidence]] = {}
    for item in session.exec(query):
        out.setdefault(item.question_code, []).append(item)
    return out


def what_if(framework: Framework, values: Mapping[str, object]) -> scoring.Score | None:
    """The score these answers would earn once accepted; hidden sub-answers do not count."""
    try:
        return scoring.score(
            framework, [scoring.Answer(code, value, True) for code, value in values.items()]
        )
    except ValueError:  # an answer the current framework version no longer allows
        return None


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


# --- changing answers --------------------------------------------------------------------


def _get_or_create(
    session: Session, cycle: Cycle, country: Country, found: Questionnaire | None = None
) -> Questionnaire:
    found = found or questionnaire(session, cycle, country)
    if found is None:
        found = Questionnaire(cycle_id=cycle.id, country_id=country.id)
        session.add(found)
        session.flush()
    return found


def check_editable(
    session: Session, cycle: Cycle, country: Country, today: date, actor=None, found=UNKNOWN
) -> Questionnaire | None:
    """Refuse a change unless the questionnaire is in an editable state and the cycle is open
    (a clarification may be answered after the closing date, and analysts do secondary
    research when the country did not answer in time). `found`: the questionnaire (or None)
    when the caller has read it already."""
    if found is UNKNOWN:
        found = questionnaire(session, cycle, country)
    state = state_of(found)
    researching = found is not None and found.secondary_research
    if researching and getattr(actor, "role", None) in workflow.STAFF and workflow.editable(state):
        return found
    if not workflow.editable(state):
        raise ReadOnly(
            _(
                "The questionnaire is %(state)s: answers cannot change until an analyst asks "
                "for clarification.",
                state=STATE_LABELS[state],
            ),
            state,
        )
    if state == "draft" and not window_open(cycle, today):
        raise NotOpen(_("%(cycle)s is not open for answers.", cycle=cycle.name))
    return found


class Stored(NamedTuple):
    """One stored answer as a save sees it: its row, the answer itself and its version."""

    id: int
    value: object
    version: int


@dataclass(frozen=True)
class Saved:
    """What a save leaves: the answer to `code` (None once cleared) and every answer of the
    country before and after it ({question code: value})."""

    code: str
    stored: Stored | None
    before: dict[str, object]
    values: dict[str, object]


@cache
def _stored_query():
    return select(Answer.question_code, Answer.id, Answer.value, Answer.version).where(
        Answer.cycle_id == bindparam("cycle_id"), Answer.country_id == bindparam("country_id")
    )


def stored_answers(session: Session, cycle: Cycle, country: Country) -> dict[str, Stored]:
    """The country's answers, read as plain values (no objects to track: a save reads all
    of them and changes one)."""
    rows = db.execute(session, _stored_query(), {"cycle_id": cycle.id, "country_id": country.id})
    return {code: Stored(id_, value["v"], version) for code, id_, value, version in rows}


def save_answer(
    session: Session,
    cycle: Cycle,
    country: Country,
    code: str,
    value,
    version: int,
    actor,
    today: date,
    framework: Framework | None = None,
    found=UNKNOWN,
) -> Saved:
    """Store `value` as the answer to `code` if the stored answer is still at `version` (0:
    there was none). None clears the answer. The version is checked by the write itself, so
    of two saves from the same version exactly one wins, the other is StaleAnswer.
    `framework` and `found` (the questionnaire, or None): the caller's, when it has them."""
    framework = framework or framework_of(session, cycle)
    question = framework.questions.get(code) if framework else None
    if question is None:
        raise QuestionnaireError(
            _("%(code)s is not a question of %(cycle)s.", code=code, cycle=cycle.name)
        )
    if value is not None:
        try:
            rules.check_value(question, value, framework.partial_value)
        except ValueError as error:
            raise QuestionnaireError(
                _("%(code)s: this answer is not possible (%(reason)s).", code=code, reason=error)
            ) from None
    found = check_editable(session, cycle, country, today, actor, found)
    rows = stored_answers(session, cycle, country)
    row = rows.get(code)
    if (row.version if row else 0) != version:
        raise StaleAnswer(row)
    before = {c: r.value for c, r in rows.items()}
    if row is not None and value == row.value:
        return Saved(code, row, before, before)
    after = dict(before)
    try:
        _get_or_create(session, cycle, country, found)
        if value is None:
            if row is not None:
                _clear(session, cycle, country, code, row, actor)
            after.pop(code, None)
            return Saved(code, None, before, after)
        stored = _store(session, cycle, country, code, row, value, actor)
    except IntegrityError:
        # a first save of this question (or of this questionnaire) from elsewhere won
        session.rollback()
        raise StaleAnswer(stored_answers(session, cycle, country).get(code)) from None
    after[code] = value
    return Saved(code, stored, before, after)


def _clear(session, cycle, country, code, row: Stored, actor) -> None:
    table = Answer.__table__
    deleted = db.execute(
        session, table.delete().where(table.c.id == row.id, table.c.version == row.version)
    )
    if deleted.rowcount != 1:
        raise StaleAnswer(stored_answers(session, cycle, country).get(code))
    audit.record(
        session,
        "gci.answer.cleared",
        actor=actor,
        obj_type="gci_answer",
        obj_id=answer_key(cycle, country, code),
        question=code,
        previous=row.value,
    )


def _written_columns(table) -> dict:
    return {
        "value": bindparam("new_value", type_=table.c.value.type),
        "accepted": bindparam("new_accepted", type_=table.c.accepted.type),
        "updated_at": bindparam("new_updated_at", type_=table.c.updated_at.type),
        "updated_by_id": bindparam("new_updated_by_id", type_=table.c.updated_by_id.type),
    }


@cache
def _update_answer():
    """The next version of one answer, only if it is still at the version read (built once,
    like the other statements of an autosave)."""
    table = Answer.__table__
    return (
        table.update()
        .where(table.c.id == bindparam("row_id"), table.c.version == bindparam("expected"))
        .values(version=table.c.version + 1, **_written_columns(table))
    )


@cache
def _insert_answer():
    table = Answer.__table__
    return table.insert().values(
        cycle_id=bindparam("cycle_id"),
        country_id=bindparam("country_id"),
        question_code=bindparam("code"),
        version=1,
        **_written_columns(table),
    )


def _store(session, cycle, country, code, row, value, actor, *, accepted=False, **details):
    """Write an answer's new value as its next version, with its audit event (the one
    record of every answer change, read back as the question's history). `row`: the stored
    answer the change starts from (a Stored or an Answer), None if there is none. The write
    succeeds only if the row is still at that version, else StaleAnswer: nothing is
    overwritten unseen. Returns the answer as stored."""
    fields = {
        "new_value": {"v": value},
        "new_accepted": accepted,  # an analyst accepted the old answer, not this one
        "new_updated_at": utcnow(),
        "new_updated_by_id": getattr(actor, "id", None),
    }
    if row is None:
        previous, version = None, 1
        inserted = db.execute(
            session,
            _insert_answer(),
            {"cycle_id": cycle.id, "country_id": country.id, "code": code, **fields},
        )
        row_id = inserted.inserted_primary_key[0]
    else:
        previous = row.value["v"] if isinstance(row, Answer) else row.value
        version, row_id = row.version + 1, row.id
        updated = db.execute(
            session, _update_answer(), {"row_id": row.id, "expected": row.version, **fields}
        )
        if updated.rowcount != 1:
            raise StaleAnswer(stored_answers(session, cycle, country).get(code))
        if isinstance(row, Answer):  # the caller's object follows the row
            session.expire(row)
    audit.record(
        session,
        "gci.answer.saved",
        actor=actor,
        obj_type="gci_answer",
        obj_id=answer_key(cycle, country, code),
        question=code,
        value=value,
        previous=previous,
        version=version,
        **details,
    )
    return Stored(row_id, value, version)


def import_answers(
    session: Session,
    cycle: Cycle,
    country: Country,
    values: Mapping[str, object],
    actor,
    today: date,
) -> int:
    """Store checked answers from a file over the stored ones (a deliberate overwrite, so no
    version check); each change is audited as coming from an import. Returns how many
    changed."""
    found = check_editable(session, cycle, country, today, actor)
    _get_or_create(session, cycle, country, found)
    rows = answers(session, cycle, country)
    changed = 0
    for code, value in values.items():
        row = rows.get(code)
        previous = row.value["v"] if row else None
        if row is not None and previous == value:
            continue
        _store(session, cycle, country, code, row, value, actor, source="import")
        changed += 1
    return changed


def export_rows(session: Session, cycle: Cycle, country: Country) -> list[dict]:
    """One row per question, in the framework's order: the answer, whether it is shown and
    accepted, and its evidence."""
    framework = framework_of(session, cycle)
    rows = answers(session, cycle, country)
    shown = rules.visible(framework, values_of(rows))
    items = evidence(session, cycle, country)
    out = []
    for pillar in framework.pillars:
        for question in rules.pillar_questions(pillar):
            row = rows.get(question.code)
            out.append(
                {
                    "question_code": question.code,
                    "pillar": pillar.code,
                    "question": question.text,
                    "answer": row.value["v"] if row else None,
                    "shown": question.code in shown,
                    "accepted": bool(row and row.accepted),
                    "version": row.version if row else 0,
                    "evidence": [
                        {
                            "kind": e.kind,
                            "description": e.description,
                            "file": e.filename,
                            "url": e.url,
                        }
                        for e in items.get(question.code, [])
                    ],
                }
            )
    return out


# --- evidence ----------------------------------------------------------------------------


def _question_or_error(session, cycle, code):
    framework = framework_of(session, cycle)
    if framework is None or code not in framework.questions:
        raise QuestionnaireError(
            _("%(code)s is not a question of %(cycle)s.", code=code, cycle=cycle.name)
        )
    return framework.questions[code]


def _description(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise QuestionnaireError(_("Describe the evidence: what it is and where it shows this."))
    if len(text) > DESCRIPTION_MAX:
        raise QuestionnaireError(
            _("Keep the description under %(n)s characters.", n=DESCRIPTION_MAX)
        )
    return text


def add_file(
    session: Session,
    cycle: Cycle,
    country: Country,
    code: str,
    *,
    stream,
    filename: str,
    description: str,
    folder: Path,
    max_bytes: int,
    actor,
    today: date,
) -> Evidence:
    """Store an uploaded file as evidence, under a random name in `folder`, if its content is
    an accepted type and it is not larger than `max_bytes`. Nothing is kept when refused."""
    _question_or_error(session, cycle, code)
    text = _description(description)
    check_editable(session, cycle, country, today, actor)
    folder.mkdir(parents=True, exist_ok=True)
    stored_name = secrets.token_hex(16)
    path = folder / stored_name
    digest, size = hashlib.sha256(), 0
    try:
        with path.open("xb") as out:
            while chunk := stream.read(64 * 1024):
                size += len(chunk)
                if size > max_bytes:
                    raise TooLarge(
                        _("The upload is too large: the limit is %(mb)s MB.", mb=max_bytes // 2**20)
                    )
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise QuestionnaireError(_("The file is empty."))
        file_type = evidence_types.sniff(path)
        if file_type is None:
            raise WrongType(
                _(
                    "This file is not one of the accepted kinds (%(kinds)s), judged by its "
                    "content, whatever its name says.",
                    kinds=evidence_types.ACCEPTED,
                )
            )
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    _get_or_create(session, cycle, country)
    item = Evidence(
        cycle_id=cycle.id,
        country_id=country.id,
        question_code=code,
        kind="file",
        description=text,
        filename=evidence_types.download_name(filename or "", file_type),
        stored_name=stored_name,
        content_type=file_type.content_type,
        size=size,
        sha256=digest.hexdigest(),
        created_by_id=getattr(actor, "id", None),
    )
    session.add(item)
    session.flush()
    _audit_evidence(session, "gci.evidence.added", cycle, country, item, actor)
    return item


def add_url(
    session: Session,
    cycle: Cycle,
    country: Country,
    code: str,
    *,
    url: str,
    description: str,
    actor,
    today: date,
) -> Evidence:
    _question_or_error(session, cycle, code)
    text = _description(description)
    try:
        url = evidence_types.check_url(url)
    except ValueError as error:
        raise QuestionnaireError(_("The link is not usable: %(reason)s.", reason=error)) from None
    if len(url) > 2000:
        raise QuestionnaireError(_("The link is longer than 2000 characters."))
    check_editable(session, cycle, country, today, actor)
    _get_or_create(session, cycle, country)
    item = Evidence(
        cycle_id=cycle.id,
        country_id=country.id,
        question_code=code,
        kind="url",
        description=text,
        url=url,
        created_by_id=getattr(actor, "id", None),
    )
    session.add(item)
    session.flush()
    _audit_evidence(session, "gci.evidence.added", cycle, country, item, actor)
    return item


def remove_evidence(
    session: Session, cycle: Cycle, country: Country, item: Evidence, actor, today: date
) -> str | None:
    """Delete a piece of evidence; returns the stored file's name, to delete after commit."""
    check_editable(session, cycle, country, today, actor)
    _audit_evidence(session, "gci.evidence.removed", cycle, country, item, actor)
    session.delete(item)
    return item.stored_name


def _audit_evidence(session, action, cycle, country, item: Evidence, actor) -> None:
    audit.record(
        session,
        action,
        actor=actor,
        obj_type="gci_answer",
        obj_id=answer_key(cycle, country, item.question_code),
        question=item.question_code,
        evidence_id=item.id,
        kind=item.kind,
        description=item.description,
        filename=item.filename,
        url=item.url,
        sha256=item.sha256,
    )


# --- workflow ----------------------------------------------------------------------------


def missing(session: Session, cycle: Cycle, country: Country) -> list[rules.Missing]:
    framework = framework_of(session, cycle)
    if framework is None:
        return []
    values = values_of(answers(session, cycle, country))
    found = questionnaire(session, cycle, country)
    research = found is not None and found.secondary_research
    return rules.missing(framework, values, set(evidence(session, cycle, country)), research)


def move(
    session: Session,
    cycle: Cycle,
    country: Country,
    action: str,
    actor,
    comment: str = "",
    today: date | None = None,
) -> Questionnaire:
    """Take a workflow step (gci/workflow.py); handing in needs a complete questionnaire."""
    found = questionnaire(session, cycle, country)
    source = state_of(found)
    target = workflow.advance(source, action, actor.role)
    if action == "submit" and not window_open(cycle, today or utcnow().date()):
        raise NotOpen(_("%(cycle)s is not open for answers.", cycle=cycle.name))
    if action == "submit_research" and not (found and found.secondary_research):
        raise QuestionnaireError(_("Start secondary research before handing it in."))
    if action in workflow.HAND_IN:
        gaps = missing(session, cycle, country)
        if gaps:
            raise Incomplete(gaps)
    found = found or _get_or_create(session, cycle, country)
    if action == "validate":
        accept_the_rest(session, cycle, country, actor)
    found.state = target
    found.state_changed_at = utcnow()
    if action in workflow.HAND_IN:
        found.submitted_at = found.state_changed_at
    session.add(found)
    session.flush()
    audit.record(
        session,
        f"gci.questionnaire.{action}",
        actor=actor,
        obj_type="gci_questionnaire",
        obj_id=found.id,
        cycle=cycle.code,
        country=country.iso3,
        source=source,
        target=target,
        comment=comment[:2000],
    )
    return found


def start_research(session: Session, cycle: Cycle, country: Country, actor) -> Questionnaire:
    """Analysts may now fill this draft from public sources, citing one for every answer."""
    found = _get_or_create(session, cycle, country)
    if found.state != "draft":
        raise QuestionnaireError(
            _(
                "Secondary research starts only on a draft; this questionnaire is %(state)s.",
                state=STATE_LABELS[found.state],
            )
        )
    found.secondary_research = True
    session.add(found)
    audit.record(
        session,
        "gci.questionnaire.secondary_research",
        actor=actor,
        obj_type="gci_questionnaire",
        obj_id=found.id,
        cycle=cycle.code,
        country=country.iso3,
    )
    return found


# --- the analyst's review of each answer ------------------------------------------------

COMMENT_MAX = 2000


def comments(session: Session, cycle: Cycle, country: Country) -> dict[str, list[AnswerComment]]:
    query = (
        select(AnswerComment)
        .where(AnswerComment.cycle_id == cycle.id, AnswerComment.country_id == country.id)
        .order_by(AnswerComment.id)
    )
    out: dict[str, list[AnswerComment]] = {}
    for item in session.exec(query):
        out.setdefault(item.question_code, []).append(item)
    return out


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
    found = questionnaire(session, cycle, country)
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
    framework = framework_of(session, cycle)
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
    state = state_of(questionnaire(session, cycle, country))
    if state != wanted:
        raise QuestionnaireError(
            _(
                "This is possible only while the questionnaire is %(wanted)s; it is %(state)s.",
                wanted=STATE_LABELS[wanted],
                state=STATE_LABELS[state],
            )
        )


def _stored(session, cycle, country, code) -> Answer:
    row = answers(session, cycle, country).get(code)
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
        obj_id=answer_key(cycle, country, code),
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
    framework = framework_of(session, cycle)
    rows = answers(session, cycle, country)
    shown = rules.visible(framework, values_of(rows))
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
    _question_or_error(session, cycle, code)
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
    framework = framework_of(session, cycle)
    question = framework.questions.get(code) if framework else None
    if question is None:
        raise QuestionnaireError(
            _("%(code)s is not a question of %(cycle)s.", code=code, cycle=cycle.name)
        )
    try:
        rules.check_value(question, value, framework.partial_value)
    except ValueError as error:
        raise QuestionnaireError(
            _("%(code)s: this answer is not possible (%(reason)s).", code=code, reason=error)
        ) from None
    _comment(session, cycle, country, code, "correction", reason, actor)
    row = answers(session, cycle, country).get(code)
    return _store(session, cycle, country, code, row, value, actor, accepted=True, correction=True)


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


# --- publishing --------------------------------------------------------------------------


def publish_results(session: Session, snapshot, actor) -> list[Questionnaire]:
    """Publish a result snapshot; the questionnaires the countries approved are published
    with it (their figures are in it: snapshots.answers_by_country)."""
    snapshots.publish(session, snapshot, actor)
    cycle = session.get(Cycle, snapshot.cycle_id)
    approved = session.exec(
        select(Questionnaire, Country)
        .join(Country, Country.id == Questionnaire.country_id)
        .where(Questionnaire.cycle_id == cycle.id, Questionnaire.state == "approved")
    ).all()
    return [move(session, cycle, country, "publish", actor) for _q, country in approved]


# --- the cycle's settings ----------------------------------------------------------------


def update_settings(
    session: Session, cycle: Cycle, *, opens_on, closes_on, show_whatif: bool, actor
) -> None:
    if opens_on and closes_on and closes_on < opens_on:
        raise QuestionnaireError(_("The closing date comes before the opening date."))
    before = {
        "opens_on": str(cycle.opens_on) if cycle.opens_on else None,
        "closes_on": str(cycle.closes_on) if cycle.closes_on else None,
        "show_whatif": cycle.show_whatif,
    }
    cycle.opens_on, cycle.closes_on, cycle.show_whatif = opens_on, closes_on, bool(show_whatif)
    session.add(cycle)
    audit.record(
        session,
        "gci.cycle.settings",
        actor=actor,
        obj_type="gci_cycle",
        obj_id=cycle.id,
        before=before,
        after={
            "opens_on": str(opens_on) if opens_on else None,
            "closes_on": str(closes_on) if closes_on else None,
            "show_whatif": bool(show_whatif),
        },
    )


# --- the admin's overview ----------------------------------------------------------------


@dataclass(frozen=True)
class ProgressRow:
    country: Country
    state: str  # not_started, in_progress, or a workflow state after draft
    progress: rules.Progress | None
    submitted_at: object


STATUSES = ("not_started", "in_progress", *workflow.STATES[1:])


def overview(
    session: Session, cycle: Cycle, region: str | None = None, status: str | None = None
) -> list[ProgressRow]:
    """Every country's questionnaire in a cycle: not started, in progress (with % answered per
    pillar), or its workflow state. Reads the cycle's answers in one query."""
    framework = framework_of(session, cycle)
    query = select(Country).order_by(Country.name)
    if region:
        query = query.where(Country.itu_region == region)
    countries = list(session.exec(query))
    found = {
        q.country_id: q
        for q in session.exec(select(Questionnaire).where(Questionnaire.cycle_id == cycle.id))
    }
    values: dict[int, dict[str, object]] = {}
    rows = session.exec(
        select(Answer.country_id, Answer.question_code, Answer.value).where(
            Answer.cycle_id == cycle.id
        )
    )
    for country_id, code, value in rows:
        values.setdefault(country_id, {})[code] = value["v"]
    out = []
    for country in countries:
        own = values.get(country.id, {})
        questionnaire_row = found.get(country.id)
        state = state_of(questionnaire_row)
        if state == "draft":
            state = "in_progress" if own or questionnaire_row else "not_started"
        progress = rules.progress(framework, own) if framework else None
        if status and state != status:
            continue
        out.append(
            ProgressRow(
                country,
                state,
                progress,
                questionnaire_row.submitted_at if questionnaire_row else None,
            )
        )
    return out


def not_submitted(session: Session, cycle: Cycle) -> list[Country]:
    """Countries whose questionnaire is not handed in: who a reminder goes to. (The e-mail
    reminders use this list once the outbox exists.)"""
    return [
        r.country for r in overview(session, cycle) if r.state in ("not_started", "in_progress")
    ]


@dataclass(frozen=True)
class Reminders:
    sent: int  # e-mails queued
    countries: list[Country]  # reminded
    unreached: list[Country]  # not submitted, and no active focal point to remind


def send_reminders(session: Session, cycle: Cycle, actor) -> Reminders:
    """Queue a reminder to every active focal point of each country that has not handed in
    its questionnaire; the countries with nobody to remind are listed for a nomination."""
    late = not_submitted(session, cycle)
    focal_points: dict[int, list[str]] = {}
    for country_id, email in session.exec(
        select(User.country_id, User.email).where(
            User.role == Role.focal_point,
            User.active.is_(True),
            User.country_id.in_([c.id for c in late]),
        )
    ):
        focal_points.setdefault(country_id, []).append(email)
    link = outbox.public_url("/gci/questionnaire")
    closes = _("It closes on %(day)s.", day=cycle.closes_on.isoformat()) if cycle.closes_on else ""
    sent = 0
    for country in late:
        for address in focal_points.get(country.id, []):
            outbox.enqueue(
                session,
                address,
                _("Reminder: the %(cycle)s questionnaire for %(country)s", cycle=cycle.name,
                  country=country.name),
                _("The questionnaire of %(country)s is not submitted yet. %(closes)s\n\n"
                  "Your answers are saved as you type; open it here: %(link)s",
                  country=country.name, closes=closes, link=link),
                kind="gci.reminder",
            )  # fmt: skip
            sent += 1
    reminded = [c for c in late if c.id in focal_points]
    unreached = [c for c in late if c.id not in focal_points]
    audit.record(
        session, "gci.reminders_sent", actor=actor, obj_type="cycle", obj_id=cycle.id,
        emails=sent, countries=len(reminded),
    )  # fmt: skip
    return Reminders(sent, reminded, unreached)
