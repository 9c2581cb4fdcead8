"""Use cases that move a questionnaire: the workflow's steps (handing in needs a complete
questionnaire: `missing`), secondary research started by an analyst, and the publication of
the questionnaires the countries approved with the cycle's results. Functions work in the
caller's session; the caller commits."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlmodel import Session, select

from core import audit
from core.models import Country, utcnow
from gci.models import Cycle, Questionnaire
from gci.questionnaire import reading, review, rules, workflow
from gci.questionnaire.errors import Incomplete, NotOpen, QuestionnaireError
from gci.results import snapshots


def missing(session: Session, cycle: Cycle, country: Country) -> list[rules.Missing]:
    framework = reading.framework_of(session, cycle)
    if framework is None:
        return []
    values = reading.values_of(reading.answers(session, cycle, country))
    research = reading.in_research(reading.questionnaire(session, cycle, country))
    return rules.missing(
        framework, values, set(reading.evidence(session, cycle, country)), research
    )


def move(
    session: Session,
    cycle: Cycle,
    country: Country,
    action: str,
    actor,
    comment: str = "",
    today: date | None = None,
) -> Questionnaire:
    """Take a workflow step (gci/questionnaire/workflow.py); handing in needs a complete
    questionnaire."""
    found = reading.questionnaire(session, cycle, country)
    source = reading.state_of(found)
    target = workflow.advance(source, action, actor.role)
    if action == "submit" and not reading.window_open(cycle, today or utcnow().date()):
        raise NotOpen(_("%(cycle)s is not open for answers.", cycle=cycle.name))
    if action == "submit_research" and not reading.in_research(found):
        raise QuestionnaireError(_("Start secondary research before handing it in."))
    if action in workflow.HAND_IN:
        gaps = missing(session, cycle, country)
        if gaps:
            raise Incomplete(gaps)
    found = found or reading.get_or_create(session, cycle, country)
    if action == "validate":
        review.accept_the_rest(session, cycle, country, actor)
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
    found = reading.get_or_create(session, cycle, country)
    if found.state != "draft":
        raise QuestionnaireError(
            _(
                "Secondary research starts only on a draft; this questionnaire is %(state)s.",
                state=reading.STATE_LABELS[found.state],
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
