"""What a team does while the drill runs: draft and submit answers, open hints, acknowledge
injects, write the team log. Each use case is one transaction; the view commits."""

from __future__ import annotations

from datetime import datetime

from babel.numbers import format_decimal
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from core import audit, numbers
from core.domain import DomainError
from drills import scoring
from drills.console.rules import REFUSALS
from drills.console.service import Console, console
from drills.facts import attempt_of
from drills.models import (
    HintOpening,
    InjectAck,
    ResponseDraft,
    Submission,
    Team,
    TeamLogEntry,
)
from scenarios.format import model


class PlayError(DomainError):
    """An answer, hint or note the drill cannot take now; the message says why."""

    status = 409


ANSWER_MAX_CHARS = 4000


LOG_MAX_CHARS = 4000


def _running_console(session: Session, team: Team, now: datetime) -> Console:
    view = console(session, team, now)
    if view.state == "paused":
        raise PlayError(_l("The drill is paused: answers wait until the trainer resumes it."))
    if view.state != "running":
        raise PlayError(_l("The drill has not started or has ended: it takes no answers now."))
    return view


def _visible_response(view: Console, inject_id: str, response_id: str):
    inject = view.inject(inject_id)
    if inject is None:
        raise PlayError(_l("That inject has not reached your team."))
    response = next((r for r in inject.responses if r.id == response_id), None)
    if response is None:
        raise PlayError(_l("That inject asks no such question."))
    return inject, response


def parse_answer(response: model.Response, raw: str | list[str], locale: str = "en"):
    """The answer as the rubric compares it, from what a form or JSON sent; PlayError with
    what to fix otherwise. A number is read as a person writing in `locale` means it
    ("1,022" is 1022 in English, 1.022 in French); one the language does not settle is
    refused before it counts as an attempt."""
    if response.type == "multiple_choice":
        given = [raw] if isinstance(raw, str) else list(raw)
        keys = {k for k, _label in response.options}
        given = [g for g in given if g]
        if not given:
            raise PlayError(_l("Choose at least one option."))
        if not set(given) <= keys:
            raise PlayError(_l("Choose among the options shown."))
        return sorted(set(given))
    text = (raw[0] if raw else "") if isinstance(raw, list) else raw
    text = (text or "").strip()
    if not text:
        raise PlayError(_l("Write an answer first."))
    if len(text) > ANSWER_MAX_CHARS:
        raise PlayError(_l("An answer is at most %(n)s characters.", n=ANSWER_MAX_CHARS))
    if response.type == "single_choice" and text not in {k for k, _ in response.options}:
        raise PlayError(_l("Choose one of the options shown."))
    if response.type == "number":
        return _number(text, locale)
    return text


def _number(text: str, locale: str) -> float:
    reading = numbers.read(text, locale)
    if reading.readings:
        one, other = (format_decimal(value, locale=locale) for value in reading.readings[:2])
        raise PlayError(
            _l(
                "“%(text)s” could be %(one)s or %(other)s. Write the number again without "
                "a thousands separator; nothing was counted.",
                text=text,
                one=one,
                other=other,
            )
        )
    if not reading.ok:
        raise PlayError(_l("Write a number, such as 42 or 3.5."))
    return float(reading.value)


def save_draft(session: Session, team: Team, inject_id, response_id, raw, user, now) -> None:
    """Keep what the team is writing; drafts are not checked beyond their size."""
    view = _running_console(session, team, now)
    _visible_response(view, inject_id, response_id)
    text = raw if isinstance(raw, list) else [raw]
    if sum(len(t or "") for t in text) > ANSWER_MAX_CHARS:
        raise PlayError(_l("An answer is at most %(n)s characters.", n=ANSWER_MAX_CHARS))
    draft = session.get(ResponseDraft, (team.id, inject_id, response_id)) or ResponseDraft(
        team_id=team.id, inject_id=inject_id, response_id=response_id, answer={}
    )
    draft.answer = {"v": raw}
    draft.updated_at = now
    draft.updated_by_id = user.id
    session.add(draft)


def _team_submissions(session: Session, team_id: int, inject_id: str, response_id: str):
    return list(
        session.exec(
            select(Submission)
            .where(
                Submission.team_id == team_id,
                Submission.inject_id == inject_id,
                Submission.response_id == response_id,
            )
            .order_by(Submission.attempt)
        )
    )


def _hints_opened(session: Session, team_id: int, inject_id: str, response_id: str) -> int:
    return session.exec(
        select(func.count())
        .select_from(HintOpening)
        .where(
            HintOpening.team_id == team_id,
            HintOpening.inject_id == inject_id,
            HintOpening.response_id == response_id,
        )
    ).one()


def _drop_draft(session: Session, team: Team, inject_id: str, response_id: str) -> None:
    """The draft of an answer just submitted is done with: one statement, whether there was
    one or not."""
    session.execute(
        delete(ResponseDraft).where(
            ResponseDraft.team_id == team.id,
            ResponseDraft.inject_id == inject_id,
            ResponseDraft.response_id == response_id,
        )
    )


def submit(
    session: Session,
    team: Team,
    inject_id,
    response_id,
    raw,
    user,
    now,
    attempt=None,
    locale: str = "en",
) -> Submission:
    """Record a team's answer and score it at once when the rubric checks it automatically.
    `attempt` is the number the answering page was showing: a second click, another tab or
    a teammate who got there first makes it stale, and it is refused rather than counted
    as one more try. The unique key catches the same race between two requests."""
    view = _running_console(session, team, now)
    _inject, response = _visible_response(view, inject_id, response_id)
    given = parse_answer(response, raw, locale)
    earlier = _team_submissions(session, team.id, inject_id, response_id)
    if attempt is not None and attempt != len(earlier) + 1:
        raise PlayError(_l("This answer was submitted already (another tab or a teammate)."))
    refusal = scoring.may_submit(response, [attempt_of(s) for s in earlier])
    if refusal:
        raise PlayError(REFUSALS[refusal])
    release_minute = view.minutes[inject_id] or 0.0
    hints = _hints_opened(session, team.id, inject_id, response_id)
    verdict = scoring.auto_verdict(response, given, view.elapsed - release_minute, hints)
    submission = Submission(
        drill_id=team.drill_id,
        team_id=team.id,
        inject_id=inject_id,
        response_id=response_id,
        attempt=len(earlier) + 1,
        answer={"v": given},
        submitted_at=now,
        submitted_by_id=user.id,
        drill_minute=view.elapsed,
        release_minute=release_minute,
        hints_opened=hints,
        max_points=response.points,
        correct=verdict.correct,
        points=verdict.points,
        rule=verdict.rule,
    )
    if verdict.correct is not None:
        submission.verdict_minute = view.elapsed
        submission.scored_at = now
    session.add(submission)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise PlayError(
            _l("A teammate has just submitted this answer: reload to see it.")
        ) from None
    _drop_draft(session, team, inject_id, response_id)
    audit.record(
        session,
        "drill.answer_submitted",
        actor=user,
        obj_type="team",
        obj_id=team.id,
        response=f"{inject_id}.{response_id}",
        attempt=submission.attempt,
        points=submission.points,
    )
    return submission


def open_hint(session: Session, team: Team, inject_id, response_id, user, now) -> int:
    """Open the team's next hint (they open in order); returns its index."""
    view = _running_console(session, team, now)
    _inject, response = _visible_response(view, inject_id, response_id)
    opened = _hints_opened(session, team.id, inject_id, response_id)
    if opened >= len(response.hints):
        raise PlayError(_l("There are no more hints for this question."))
    earlier = _team_submissions(session, team.id, inject_id, response_id)
    if any(s.correct for s in earlier):
        raise PlayError(_l("You have already answered this right."))
    session.add(
        HintOpening(
            team_id=team.id,
            inject_id=inject_id,
            response_id=response_id,
            hint_index=opened,
            opened_at=now,
            opened_by_id=user.id,
        )
    )
    audit.record(
        session, "drill.hint_opened", actor=user, obj_type="team", obj_id=team.id,
        response=f"{inject_id}.{response_id}", hint=opened,
    )  # fmt: skip
    return opened


def acknowledge(session: Session, team: Team, inject_id: str, user, now) -> bool:
    """Record that the team has seen an inject; False if it was already acknowledged."""
    view = console(session, team, now)
    if view.inject(inject_id) is None:
        raise PlayError(_l("That inject has not reached your team."))
    if session.get(InjectAck, (team.id, inject_id)) is not None:
        return False
    session.add(
        InjectAck(
            team_id=team.id, inject_id=inject_id, acknowledged_at=now, acknowledged_by_id=user.id
        )
    )
    return True


def add_log_entry(session: Session, team: Team, text: str, user, now) -> TeamLogEntry:
    text = (text or "").strip()
    if not text:
        raise PlayError(_l("Write something for the log first."))
    if len(text) > LOG_MAX_CHARS:
        raise PlayError(_l("A log entry is at most %(n)s characters.", n=LOG_MAX_CHARS))
    entry = TeamLogEntry(team_id=team.id, user_id=user.id, text=text, created_at=now)
    session.add(entry)
    return entry
