"""The participants' hot wash after the drill: one anonymous answer per person (a keyed
respondent hash), and its summary for trainers."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, time

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from core import audit
from core.models import as_utc
from drills.aftermath.service import AftermathError, names_of
from drills.models import (
    Drill,
    HotwashAnswer,
    Team,
)

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


def _checked_answer(team: Team, user, went_well, went_badly, rating) -> tuple[str, str]:
    """The two texts of a hot-wash answer, stripped; AftermathError if this member may not
    answer now or the answer does not fit."""
    if not any(m.user_id == user.id for m in team.members):
        raise AftermathError(_("Only the team's own members answer its hot wash."))
    if not hotwash_open(team.drill):
        raise AftermathError(_("The hot wash opens when the drill has ended."))
    problems = []
    went_well, went_badly = (went_well or "").strip(), (went_badly or "").strip()
    if len(went_well) > HOTWASH_TEXT_MAX or len(went_badly) > HOTWASH_TEXT_MAX:
        problems.append(_("Each answer is at most %(n)s characters.", n=HOTWASH_TEXT_MAX))
    if rating not in HOTWASH_RATINGS:
        problems.append(_("Rate the drill from 1 (poor) to 5 (excellent)."))
    if problems:
        raise AftermathError(problems)
    return went_well, went_badly


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
    went_well, went_badly = _checked_answer(team, user, went_well, went_badly, rating)
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
