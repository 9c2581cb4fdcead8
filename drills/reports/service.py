"""After-action reports as stored versions: gather a drill's facts for drills/reports/content.py,
draw the PDF (drills/reports/writer.py), keep each generation as a new AfterActionReport version
with the data it was drawn from and the PDF's sha256; finalise a version (DRAFT comes off, then
it never changes); let the scheduler make the drill's and every team's report once when a drill
ends. The data export is drills/reports/export.py.

The caller commits (a view, or `generate_due` for the scheduler, which commits per drill).
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from core import audit
from core.domain import DomainError
from core.models import AuditEvent, User, as_utc
from drills.aftermath import hotwash, plan
from drills.clock import elapsed_minutes, real_time_at
from drills.facts import countries_of, drill_facts, scenario_of, team_in, timing_of
from drills.models import (
    AfterActionReport,
    Drill,
    DrillEvaluator,
    DrillObserver,
    InjectAck,
    InjectRelease,
    Observation,
    RatingOverride,
    Submission,
    Team,
    TeamMember,
)
from drills.reports import content, records, writer

log = logging.getLogger(__name__)

DRILL_SCOPE = "drill"


def team_scope(team_id: int) -> str:
    return f"team-{team_id}"


class ReportError(DomainError):
    """A report that cannot be made or changed now; the message says why."""


def inputs(session: Session, drill: Drill, now: datetime) -> records.Inputs:
    scenario = scenario_of(session, drill)
    if scenario is None:
        raise ReportError(_l("This drill has no scenario, so it has no report."), status=404)
    teams = list(session.exec(select(Team).where(Team.drill_id == drill.id).order_by(Team.name)))
    team_ids = [t.id for t in teams]
    countries = {i: c.name for i, c in countries_of(session, teams).items()}
    names = dict(session.exec(select(User.id, User.name)).all())
    releases = _releases(session, drill, scenario, teams, now)
    answers = _answers(session, drill, names)
    acks, notes, overrides = _evaluation(session, drill, team_ids, names)
    feedback = [
        records.Feedback(
            h.team_id,
            names.get(h.user_id, "") if h.user_id is not None else None,
            h.rating,
            h.went_well,
            h.went_badly,
        )
        for h in hotwash.hotwash_answers(session, drill)  # an order that names no one
    ]
    plan_items = [plan.item_values(i) for i in plan.improvement_plan(session, drill)]
    people = _people(session, drill, team_ids, names)
    created = _creator(session, drill)
    info = records.DrillInfo(
        id=drill.id,
        name=drill.name,
        starts_at=as_utc(drill.starts_at),
        ended_at=as_utc(drill.ended_at) if drill.ended_at else None,
        time_zone=drill.time_zone,
        state=drill.state,
        marking=drill.report_marking,
        organiser=names.get(created, "") if created else "",
        compression=drill.compression,
    )
    return records.Inputs(
        drill=info,
        scenario=scenario,
        teams=[records.TeamInfo(t.id, t.name, countries.get(t.country_id, "")) for t in teams],
        answers=answers,
        releases=releases,
        acks=acks,
        notes=notes,
        overrides=overrides,
        feedback=feedback,
        plan=plan_items,
        people=people,
    )


def _releases(session: Session, drill: Drill, scenario, teams, now: datetime) -> list:
    """When each inject reached each team: the scheduler's record, else the drill clock."""
    timing = timing_of(session, drill)
    elapsed = elapsed_minutes(timing, as_utc(drill.ended_at) if drill.ended_at else now)
    recorded = {
        (r.team_id, r.inject_id): as_utc(r.due_at)
        for r in session.exec(select(InjectRelease).where(InjectRelease.drill_id == drill.id))
    }
    facts = drill_facts(session, drill.id)
    releases = []
    for team in teams:
        for inject_id, minute in facts.release_minutes(scenario, team).items():
            at = recorded.get((team.id, inject_id))
            if at is None and minute is not None and minute <= elapsed:
                at = real_time_at(timing, minute)
            if at is not None:
                releases.append(records.Release(team.id, inject_id, at))
    return releases


def _answers(session: Session, drill: Drill, names: dict) -> list:
    return [
        records.Answer(
            team_id=s.team_id,
            inject_id=s.inject_id,
            response_id=s.response_id,
            attempt=s.attempt,
            correct=s.correct,
            points=s.points,
            submitted_at=as_utc(s.submitted_at),
            scored_at=as_utc(s.scored_at) if s.scored_at else None,
            drill_minute=s.drill_minute,
            release_minute=s.release_minute,
            verdict_minute=s.verdict_minute,
            scored_by=names.get(s.scored_by_id, "") if s.scored_by_id else "",
            rule=s.rule,
        )
        for s in session.exec(select(Submission).where(Submission.drill_id == drill.id))
    ]


def _evaluation(session: Session, drill: Drill, team_ids, names: dict) -> tuple[list, list, list]:
    """The teams' acknowledgements, the evaluators' observations and rating overrides."""
    acks = [
        records.Ack(a.team_id, a.inject_id, as_utc(a.acknowledged_at))
        for a in session.exec(select(InjectAck).where(InjectAck.team_id.in_(team_ids)))
    ]
    notes = [
        records.Note(o.team_id, o.objective_id, o.kind, o.text, names.get(o.evaluator_id, ""))
        for o in session.exec(
            select(Observation)
            .where(Observation.drill_id == drill.id)
            .order_by(Observation.created_at, Observation.id)
        )
    ]
    overrides = [
        records.RatingChange(
            o.team_id, o.objective_id, o.rating, o.reason, names.get(o.evaluator_id, ""), order
        )
        for order, o in enumerate(
            session.exec(
                select(RatingOverride)
                .where(RatingOverride.drill_id == drill.id)
                .order_by(RatingOverride.created_at, RatingOverride.id)
            )
        )
    ]
    return acks, notes, overrides


def _people(session: Session, drill: Drill, team_ids, names: dict) -> list:
    people = [
        records.Person(names.get(user_id, ""), "participant", team_id)
        for team_id, user_id in session.exec(
            select(TeamMember.team_id, TeamMember.user_id).where(TeamMember.team_id.in_(team_ids))
        )
    ]
    people += [
        records.Person(names.get(user_id, ""), "evaluator")
        for user_id in session.exec(
            select(DrillEvaluator.user_id).where(DrillEvaluator.drill_id == drill.id)
        )
    ]
    people += [
        records.Person(names.get(user_id, ""), "observer")
        for user_id in session.exec(
            select(DrillObserver.user_id).where(DrillObserver.drill_id == drill.id)
        )
    ]
    return people


def _creator(session: Session, drill: Drill) -> int | None:
    """Who created the drill (its organiser, by the audit log)."""
    return session.exec(
        select(AuditEvent.actor_id)
        .where(
            AuditEvent.action == "drill.created",
            AuditEvent.object_type == "drill",
            AuditEvent.object_id == str(drill.id),
        )
        .limit(1)
    ).first()


LISTED = (
    AfterActionReport.id,
    AfterActionReport.scope,
    AfterActionReport.team_id,
    AfterActionReport.version,
    AfterActionReport.marking,
    AfterActionReport.checksum,
    AfterActionReport.created_at,
    AfterActionReport.created_by_id,
    AfterActionReport.finalised_at,
)


def listing(session: Session, drill_id: int) -> list:
    """Every version of the drill's reports, newest first per scope, without the PDF bytes
    and data (a drill of 200 teams has hundreds of PDFs)."""
    return list(
        session.exec(
            select(*LISTED)
            .where(AfterActionReport.drill_id == drill_id)
            .order_by(AfterActionReport.team_id.is_not(None), AfterActionReport.scope,
                      AfterActionReport.version.desc())
        )
    )  # fmt: skip


def _next_version(session: Session, drill_id: int, scope: str) -> int:
    newest = session.exec(
        select(func.max(AfterActionReport.version)).where(
            AfterActionReport.drill_id == drill_id, AfterActionReport.scope == scope
        )
    ).one()
    return (newest or 0) + 1


def _new_version(
    session: Session, drill: Drill, data: dict, team_id, actor, locale: str, now: datetime
) -> AfterActionReport:
    """A new version of a report, rendered; not yet in the session (see _add)."""
    scope = DRILL_SCOPE if team_id is None else team_scope(team_id)
    version = _next_version(session, drill.id, scope)
    data = {**data, "generated_at": now.isoformat(), "locale": locale}
    document = writer.render(data, final=False, locale=locale, version=version)
    return AfterActionReport(
        drill_id=drill.id,
        team_id=team_id,
        scope=scope,
        version=version,
        marking=drill.report_marking,
        data=data,
        pdf=document,
        checksum=hashlib.sha256(document).hexdigest(),
        created_at=now,
        created_by_id=getattr(actor, "id", None),
    )


def _add(session: Session, row: AfterActionReport, actor) -> AfterActionReport:
    session.add(row)
    audit.record(
        session, "drill.report_generated", actor=actor, obj_type="drill", obj_id=row.drill_id,
        scope=row.scope, version=row.version,
    )  # fmt: skip
    return row


def generate(
    session: Session, drill: Drill, scope: str, actor, now: datetime, locale: str = "en"
) -> AfterActionReport:
    """A new version of the drill's report or of one team's ("team-<id>")."""
    team_id = None
    if scope != DRILL_SCOPE:
        team = _team_of_scope(session, drill, scope)
        team_id = team.id
    data = content.build(inputs(session, drill, now), team_id)
    row = _add(session, _new_version(session, drill, data, team_id, actor, locale, now), actor)
    session.flush()
    return row


def generate_all(
    session: Session, drill: Drill, actor, now: datetime, locale: str = "en"
) -> list[AfterActionReport]:
    """The drill's report and every team's, from one reading of the facts."""
    whole, by_team = content.build_all(inputs(session, drill, now))
    built = [(None, whole), *by_team.items()]
    # Every PDF is drawn before anything is written: on SQLite the first write takes the
    # database's lock until commit, and the scheduler's clock (another job) must not wait for
    # minutes of drawing.
    rows = [_new_version(session, drill, data, tid, actor, locale, now) for tid, data in built]
    for row in rows:
        _add(session, row, actor)
    session.flush()
    return rows


def _team_of_scope(session: Session, drill: Drill, scope: str) -> Team:
    prefix, _, number = scope.partition("-")
    team = team_in(session, drill, int(number)) if prefix == "team" and number.isdigit() else None
    if team is None:
        raise ReportError(_l("That team is not in this drill."))
    return team


def finalise(session: Session, report: AfterActionReport, actor, now: datetime) -> None:
    """Take DRAFT off a version: the PDF is drawn again from the version's own stored data
    (not from today's database), then the version never changes again."""
    if report.finalised_at is not None:
        raise ReportError(_l("This version is final already: generate a new one to change it."))
    document = writer.render(
        report.data, final=True, locale=report.data.get("locale", "en"), version=report.version
    )
    report.pdf = document
    report.checksum = hashlib.sha256(document).hexdigest()
    report.finalised_at = now
    report.finalised_by_id = actor.id
    session.add(report)
    audit.record(
        session, "drill.report_finalised", actor=actor, obj_type="drill", obj_id=report.drill_id,
        scope=report.scope, version=report.version, checksum=report.checksum,
    )  # fmt: skip


def pending_drills(session: Session) -> list[int]:
    """Ended drills with a scenario that the scheduler has not reported on yet (nor failed
    to: a report that failed once waits for a trainer, instead of failing every tick)."""
    made = select(AfterActionReport.drill_id).where(
        AfterActionReport.scope == DRILL_SCOPE, AfterActionReport.created_by_id.is_(None)
    )
    candidates = list(
        session.exec(
            select(Drill.id).where(
                Drill.state == "ended",
                Drill.scenario_version_id.is_not(None),
                Drill.id.not_in(made),
            )
        )
    )
    if not candidates:
        return []
    failed = set(
        session.exec(
            select(AuditEvent.object_id).where(
                AuditEvent.action == "drill.report_failed",
                AuditEvent.object_type == "drill",
                AuditEvent.object_id.in_([str(d) for d in candidates]),
            )
        )
    )
    return [d for d in candidates if str(d) not in failed]


def generate_due(session: Session, now: datetime, drill_ids: list[int] | None = None) -> list[int]:
    """Make the drill's and every team's report, once, for each ended drill that has none
    from the scheduler yet (the ones just ended, and any missed while the scheduler was
    down). Everything of a drill commits together; the unique (drill, scope, version) key
    is the claim: a second scheduler doing the same drill at the same moment fails to
    insert and rolls back, so no drill gets two automatic sets."""
    done = []
    for drill_id in pending_drills(session) if drill_ids is None else drill_ids:
        drill = session.get(Drill, drill_id)
        if drill is None or drill.state != "ended":
            continue
        try:
            generate_all(session, drill, None, now)
            session.commit()
            done.append(drill_id)
        except IntegrityError:
            session.rollback()  # another scheduler made them just now
        except Exception as error:  # a broken report must not stop the drills' clock
            session.rollback()
            log.exception("after-action reports of drill %s failed", drill_id)
            audit.record(
                session, "drill.report_failed", obj_type="drill", obj_id=drill_id,
                error=f"{type(error).__name__}: {error}"[:500],
            )  # fmt: skip
            session.commit()
    return done
