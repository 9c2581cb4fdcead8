"""Use cases of a cycle's questionnaires as a whole: its settings (when it opens and closes,
whether focal points see a what-if score), the admin's overview of every country's progress,
and reminders to the focal points who have not handed in. Functions work in the caller's
session; the caller commits."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlmodel import Session, select

from core import audit, outbox
from core.models import Country, Role, User
from gci.models import Answer, Cycle, Questionnaire
from gci.questionnaire import reading, rules, workflow
from gci.questionnaire.errors import QuestionnaireError


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
    framework = reading.framework_of(session, cycle)
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
        state = reading.state_of(questionnaire_row)
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
    """Countries whose questionnaire is not handed in: who a reminder goes to."""
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
