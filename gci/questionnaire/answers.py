"""Use cases of a country's answers: the autosave of one answer (versioned: nothing is
overwritten unseen), the import of a file of answers and the export of all of them. Every
change is audited under the question's key (`reading.answer_key`), so one question's history
can be read back. Functions work in the caller's session and the caller commits once, except
the autosave, which commits before it works out its reply (SQLite's write lock is held until
then)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import NamedTuple

from flask_babel import gettext as _
from marshmallow import ValidationError
from sqlalchemy import bindparam
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from core import audit, db
from core.models import Country, utcnow
from gci.framework.model import Framework
from gci.models import Answer, Cycle
from gci.questionnaire import reading, rules
from gci.questionnaire.errors import NotOpen, QuestionnaireError, ReadOnly, StaleAnswer
from gci.questionnaire.reading import UNKNOWN, Found
from gci.questionnaire.schemas import ANSWER_IN


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
    framework = framework or reading.framework_of(session, cycle)
    reading.possible_answer(framework, cycle, code, value)
    found = reading.check_editable(session, cycle, country, today, actor, found)
    rows = stored_answers(session, cycle, country)
    row = rows.get(code)
    if (row.version if row else 0) != version:
        raise StaleAnswer(row)
    before = {c: r.value for c, r in rows.items()}
    if row is not None and value == row.value:
        return Saved(code, row, before, before)
    after = dict(before)
    try:
        reading.get_or_create(session, cycle, country, found)
        if value is None:
            if row is not None:
                _clear(session, cycle, country, code, row, actor)
            after.pop(code, None)
            return Saved(code, None, before, after)
        stored = store(session, cycle, country, code, row, value, actor)
    except IntegrityError:
        # a first save of this question (or of this questionnaire) from elsewhere won
        session.rollback()
        raise StaleAnswer(stored_answers(session, cycle, country).get(code)) from None
    after[code] = value
    return Saved(code, stored, before, after)


def autosave(session: Session, user, found: Found, code: str, sent, today: date):
    """The autosave of `sent` (the request's JSON {"value", "version"}) by `user`, who may
    answer the questionnaire `found` (reading.lookup, passed by reading.refusal): the status
    and body of the reply, in the current locale. Commits when the answer was saved. The
    reply's shape is the page script's contract: 409 {reason: "stale", value, version},
    {reason: "read_only", state} or {reason: "closed"}; 422 {reason: "invalid", message}."""
    cycle, country, questionnaire, framework = found
    try:
        data = ANSWER_IN.load(sent or {})
    except ValidationError as error:
        return 422, {"reason": "invalid", "message": str(error.messages)}
    try:
        saved = save_answer(
            session, cycle, country, code, data["value"], data["version"], user, today,
            framework, questionnaire,
        )  # fmt: skip
    except StaleAnswer as error:
        message = _("Someone else saved another answer in the meantime.")
        return 409, {"reason": "stale", "message": message, **error.problem_fields()}
    except ReadOnly as error:
        return 409, {"reason": "read_only", "state": error.state, "message": str(error)}
    except NotOpen as error:
        return 409, {"reason": "closed", "message": str(error)}
    except QuestionnaireError as error:
        return 422, {"reason": "invalid", "message": str(error)}
    session.commit()  # before the reply is worked out: SQLite's write lock is held until then
    # Only the progress this save changed: the page holds the rest.
    before, after = rules.progress(framework, saved.before), rules.progress(framework, saved.values)
    return 200, {
        "code": code,
        "value": saved.stored.value if saved.stored else None,
        "version": saved.stored.version if saved.stored else 0,
        "visible": sorted(rules.visible(framework, saved.values)),
        "overall": reading.progress_text(after.overall),
        "pillars": _changed(before.pillars, after.pillars),
        "indicators": _changed(before.indicators, after.indicators),
        "whatif": reading.whatif_summary(cycle, framework, saved.values),
        "message": _("Saved."),
    }


def _changed(before: dict, after: dict) -> dict[str, str]:
    return {
        code: reading.progress_text(count) for code, count in after.items() if count != before[code]
    }


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
        obj_id=reading.answer_key(cycle, country, code),
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


def store(session, cycle, country, code, row, value, actor, *, accepted=False, **details):
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
        obj_id=reading.answer_key(cycle, country, code),
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
    found = reading.check_editable(session, cycle, country, today, actor)
    reading.get_or_create(session, cycle, country, found)
    rows = reading.answers(session, cycle, country)
    changed = 0
    for code, value in values.items():
        row = rows.get(code)
        previous = row.value["v"] if row else None
        if row is not None and previous == value:
            continue
        store(session, cycle, country, code, row, value, actor, source="import")
        changed += 1
    return changed


def export_rows(session: Session, cycle: Cycle, country: Country) -> list[dict]:
    """One row per question, in the framework's order: the answer, whether it is shown and
    accepted, and its evidence."""
    framework = reading.framework_of(session, cycle)
    rows = reading.answers(session, cycle, country)
    shown = rules.visible(framework, reading.values_of(rows))
    items = reading.evidence(session, cycle, country)
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
