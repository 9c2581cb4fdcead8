"""Evaluation: the evaluators' queue, scoring an answer, observations by objective, and the
scoreboard. Each use case is one transaction; the view commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from core import audit
from drills import scoring
from drills.clock import elapsed_minutes
from drills.control.service import ControlError
from drills.facts import attempt_of, countries_of, scenario_of, team_in, timing_of
from drills.models import (
    Drill,
    Observation,
    Submission,
    Team,
)
from scenarios.format import model


def evaluation_queue(session: Session, drill: Drill) -> list[Submission]:
    """Answers waiting for an evaluator, oldest first."""
    return list(
        session.exec(
            select(Submission)
            .where(Submission.drill_id == drill.id, Submission.correct.is_(None))
            .order_by(Submission.submitted_at)
        )
    )


def response_of(scenario: model.Scenario, inject_id: str, response_id: str):
    inject = next((i for i in scenario.injects if i.id == inject_id), None)
    if inject is None:
        return None, None
    return inject, next((r for r in inject.responses if r.id == response_id), None)


def score(
    session: Session, submission: Submission, points: float, criteria_met, note, evaluator, now
) -> None:
    """An evaluator's score: within the response's points, with the criteria met and the
    reasons. Scoring again replaces the score; the audit log keeps both."""
    drill = session.get(Drill, submission.drill_id)
    scenario = scenario_of(session, drill)
    _inject, response = response_of(scenario, submission.inject_id, submission.response_id)
    if response is None:
        raise ControlError(_l("The scenario has no such question any more."))
    if points is None or not 0 <= points <= response.points:
        raise ControlError(_l("Give between 0 and %(max)s points.", max=f"{response.points:g}"))
    note = (note or "").strip()
    if len(note) > 2000:
        raise ControlError(_l("The note is at most 2000 characters."))
    known = set(range(len(response.criteria)))
    met = sorted(set(criteria_met or ()) & known)
    submission.points = round(points, 2)
    submission.correct = scoring.evaluator_correct(response, points)
    submission.criteria_met = met
    submission.note = note
    submission.scored_at = now
    submission.scored_by_id = evaluator.id
    submission.rule = f"evaluator: {len(met)} of {len(known)} criteria met"
    if submission.verdict_minute is None and drill.state != "scheduled":
        submission.verdict_minute = elapsed_minutes(timing_of(session, drill), now)
    session.add(submission)
    audit.record(
        session, "drill.answer_scored", actor=evaluator, obj_type="submission",
        obj_id=submission.id, points=submission.points, criteria=met,
    )  # fmt: skip


OBSERVATION_KINDS = ("strength", "improvement")


def observe(session: Session, drill: Drill, team_id, objective_id, kind, text, evaluator, now):
    scenario = scenario_of(session, drill)
    if scenario is None or objective_id not in {o.id for o in scenario.objectives}:
        raise ControlError(_l("Choose one of the scenario's objectives."))
    if kind not in OBSERVATION_KINDS:
        raise ControlError(_l("An observation is a strength or an area for improvement."))
    if team_id is not None and team_in(session, drill, team_id) is None:
        raise ControlError(_l("That team is not in this drill."))
    text = (text or "").strip()
    if not text or len(text) > 4000:
        raise ControlError(_l("Write the observation (at most 4000 characters)."))
    observation = Observation(
        drill_id=drill.id,
        team_id=team_id,
        objective_id=objective_id,
        kind=kind,
        text=text,
        evaluator_id=evaluator.id,
        created_at=now,
    )
    session.add(observation)
    audit.record(session, "drill.observation", actor=evaluator, obj_type="drill", obj_id=drill.id)
    return observation


def observations(session: Session, drill: Drill) -> list[Observation]:
    return list(
        session.exec(
            select(Observation)
            .where(Observation.drill_id == drill.id)
            .order_by(Observation.created_at.desc())
        )
    )


@dataclass(frozen=True)
class Scoreboard:
    drill: Drill
    scenario: model.Scenario | None
    ranked: list[tuple[int, scoring.TeamScore]]
    objectives: list[model.Objective]
    frozen_at_minute: float | None  # what teams see stops here (the last minutes are hidden)
    regions: list[str]


def scoreboard(session: Session, drill: Drill, now: datetime, *, for_teams: bool) -> Scoreboard:
    """Totals, per objective and response times for every team. Teams see it frozen for
    the drill's last minutes when the trainer asked for that; staff always see it live."""
    scenario = scenario_of(session, drill)
    teams = list(session.exec(select(Team).where(Team.drill_id == drill.id)))
    countries = countries_of(session, teams)
    regions = {
        t.id: countries[t.country_id].itu_region if t.country_id in countries else None
        for t in teams
    }
    until = None
    if scenario is not None and drill.state != "scheduled" and drill.scoreboard_freeze_minutes:
        end = scenario.duration_minutes + drill.extra_minutes
        freeze_from = max(0.0, end - drill.scoreboard_freeze_minutes)
        if elapsed_minutes(timing_of(session, drill), now) >= freeze_from:
            until = freeze_from
    scored: list[scoring.ScoredResponse] = []
    if scenario is not None:
        # Only the columns scoring reads (not the answers): 200 teams x 30 injects is 6,000 rows.
        columns = (
            Submission.team_id, Submission.inject_id, Submission.response_id, Submission.attempt,
            Submission.correct, Submission.points, Submission.drill_minute,
            Submission.verdict_minute, Submission.release_minute,
        )  # fmt: skip
        by_key: dict[tuple[int, str, str], list] = {}
        for s in session.exec(select(*columns).where(Submission.drill_id == drill.id)):
            by_key.setdefault((s.team_id, s.inject_id, s.response_id), []).append(s)
        responses = {(i.id, r.id): r for i in scenario.injects for r in i.responses}
        for (team_id, inject_id, response_id), rows in by_key.items():
            response = responses.get((inject_id, response_id))
            if response is None:
                continue
            scored.append(
                scoring.ScoredResponse(
                    team_id,
                    inject_id,
                    response,
                    tuple(attempt_of(s) for s in rows),
                    min(s.release_minute for s in rows),
                )
            )
    ranked = scoring.scoreboard(
        [(t.id, t.name, regions[t.id]) for t in teams],
        scored,
        until_minute=until if for_teams else None,
    )
    return Scoreboard(
        drill,
        scenario,
        ranked,
        list(scenario.objectives) if scenario else [],
        until,
        sorted({r for r in regions.values() if r}),
    )
