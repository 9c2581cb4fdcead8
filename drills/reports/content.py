"""The after-action report's content, as pure functions: from the drill's facts (scenario,
teams, answers, releases, acknowledgements, observations, rating overrides, hot-wash answers,
improvement plan, people) to one JSON-serialisable dict that is stored with each report
version and that the PDF (drills/reports/writer.py) is drawn from. Nothing here reads a clock, a
session or Flask; drills/reports/service.py gathers the inputs.

Ratings (HSEEP P/S/M/U) per objective and team are derived from the share of the objective's
points the team earned, out of the points of the questions that reached the team (a
response's points are shared equally between its objectives, as on the scoreboard):

    P  performed without challenges     share >= 80 %
    S  performed with some challenges   share >= 60 %
    M  performed with major challenges  share >= 30 %
    U  unable to be performed           share <  30 %

No rating when no question of the objective reached the team. An evaluator's override
replaces the derived rating (the newest one counts) and carries its reason.

The timeline gives, per inject and team, when it reached the team, when the team
acknowledged it, its first answer, and when it was accepted: every question of the inject
answered right (the time the last of them was first scored right); none if one never was.

A team report holds only that team's data: its own answers, timeline, ratings, the
observations, feedback and improvement items about it, its members; against the other teams
it shows only anonymous figures (how many teams, its rank, the median and the best). Drill-
wide observations and plan items (no team) stay out of team reports: their free text may
name other teams.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from statistics import median

from drills import scoring
from drills.aftermath.rules import PlanItem
from drills.reports.records import Answer, Inputs, Note, RatingChange
from scenarios.format import model

# (rating, lowest share of the objective's points that earns it), best first.
THRESHOLDS: tuple[tuple[str, float], ...] = (("P", 0.8), ("S", 0.6), ("M", 0.3))
RATINGS = ("P", "S", "M", "U")


def rating_for(share: float | None) -> str | None:
    """The derived rating of a share of points (0..1); None when nothing could be earned."""
    if share is None:
        return None
    for rating, lowest in THRESHOLDS:
        if share >= lowest - 1e-9:
            return rating
    return "U"


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _minutes(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return round(max(0.0, (end - start).total_seconds() / 60), 1)


def _median(values: Sequence[float]) -> float | None:
    return round(median(values), 1) if values else None


def _share(earned: float, available: float) -> float | None:
    return round(min(1.0, earned / available), 4) if available > 0 else None


@dataclass
class _Computed:
    """Everything derived for every team; `build` then picks what the scope may show."""

    ranked: list[tuple[int, scoring.TeamScore]]
    available: dict[int, dict[str, float]]  # team -> objective -> points that reached it
    ratings: dict[int, dict[str, dict]]  # team -> objective -> rating row
    timeline: dict[str, dict[int, dict]]  # inject -> team -> times
    first_answer_minutes: dict[str, list[float]] = field(default_factory=dict)


def _compute(inputs: Inputs) -> _Computed:
    """What every report of the drill shares, computed once: points within reach, scores and
    ranks, ratings, the timeline. Longer than 60 lines: four passes over the same indexes
    (responses, teams, releases), each commented; split, they would pass the indexes along."""
    scenario = inputs.scenario
    responses = {(i.id, r.id): r for i in scenario.injects for r in i.responses}
    team_ids = {t.id for t in inputs.teams}
    reached: dict[int, dict[str, datetime]] = defaultdict(dict)
    for release in inputs.releases:
        if release.team_id in team_ids:
            reached[release.team_id][release.inject_id] = release.at
    # Points that could be earned per team and objective: the questions that reached it.
    available: dict[int, dict[str, float]] = {t.id: defaultdict(float) for t in inputs.teams}
    for team_id in team_ids:
        for inject in scenario.injects:
            if inject.id not in reached[team_id]:
                continue
            for response in inject.responses:
                for objective in response.objectives:
                    available[team_id][objective] += response.points / len(response.objectives)
    # Scores and ranks: the scoreboard's own rules.
    by_key: dict[tuple[int, str, str], list[Answer]] = defaultdict(list)
    for answer in inputs.answers:
        if answer.team_id in team_ids and (answer.inject_id, answer.response_id) in responses:
            by_key[(answer.team_id, answer.inject_id, answer.response_id)].append(answer)
    scored = [
        scoring.ScoredResponse(
            team_id,
            inject_id,
            responses[(inject_id, response_id)],
            tuple(a.attempt_row() for a in rows),
            min(a.release_minute for a in rows),
        )
        for (team_id, inject_id, response_id), rows in by_key.items()
    ]
    ranked = scoring.scoreboard([(t.id, t.name, None) for t in inputs.teams], scored)
    scores = {s.team_id: s for _rank, s in ranked}
    # Ratings, derived then overridden (the newest override wins).
    overrides: dict[tuple[int, str], RatingChange] = {}
    for change in sorted(inputs.overrides, key=lambda c: c.order):
        if change.rating in RATINGS:
            overrides[(change.team_id, change.objective_id)] = change
    ratings: dict[int, dict[str, dict]] = {}
    for team in inputs.teams:
        ratings[team.id] = {}
        for objective in scenario.objectives:
            can_earn = available[team.id].get(objective.id, 0.0)
            earned = scores[team.id].by_objective.get(objective.id, 0.0)
            share = _share(earned, can_earn)
            derived = rating_for(share)
            change = overrides.get((team.id, objective.id))
            ratings[team.id][objective.id] = {
                "earned": round(earned, 2),
                "available": round(can_earn, 2),
                "share": share,
                "derived": derived,
                "rating": change.rating if change else derived,
                "reason": change.reason if change else "",
                "by": change.evaluator if change else "",
            }
    # Timeline: release -> acknowledged -> first answer -> every question answered right.
    acks = {(a.team_id, a.inject_id): a.at for a in inputs.acks}
    timeline: dict[str, dict[int, dict]] = {i.id: {} for i in scenario.injects}
    first_answers: dict[str, list[float]] = defaultdict(list)
    for inject in scenario.injects:
        for team in inputs.teams:
            released = reached[team.id].get(inject.id)
            if released is None:
                continue
            own = [by_key.get((team.id, inject.id, r.id), []) for r in inject.responses]
            submitted = [a.submitted_at for rows in own for a in rows]
            answered = min(submitted) if submitted else None
            right_times = []
            for rows in own:
                right = [a.scored_at or a.submitted_at for a in rows if a.correct]
                right_times.append(min(right) if right else None)
            accepted = (
                max(right_times) if right_times and None not in right_times else None  # type: ignore[type-var]
            )
            acknowledged = acks.get((team.id, inject.id))
            row = {
                "released": _iso(released),
                "acknowledged": _iso(acknowledged),
                "answered": _iso(answered),
                "accepted": _iso(accepted),
                "ack_min": _minutes(released, acknowledged),
                "answer_min": _minutes(released, answered),
                "accept_min": _minutes(released, accepted),
            }
            timeline[inject.id][team.id] = row
            if row["answer_min"] is not None:
                first_answers[inject.id].append(row["answer_min"])
    return _Computed(ranked, available, ratings, timeline, dict(first_answers))


def _inject_summary(inject: model.Inject, rows: Sequence[dict]) -> dict:
    """Per inject across the given teams: how many it reached, and medians of the times."""

    def times(key: str) -> list[float]:
        return [r[key] for r in rows if r[key] is not None]

    released = sorted(r["released"] for r in rows)
    return {
        "id": inject.id,
        "title": inject.title,
        "offset": inject.offset_minutes,
        "first_released": released[0] if released else None,
        "reached": len(rows),
        "acknowledged": len(times("ack_min")),
        "answered": len(times("answer_min")),
        "accepted": len(times("accept_min")),
        "median_ack_min": _median(times("ack_min")),
        "median_answer_min": _median(times("answer_min")),
        "median_accept_min": _median(times("accept_min")),
        "answer_minutes": sorted(times("answer_min")),
    }


def _comparison(computed: _Computed, team_id: int, objectives: Sequence[str]) -> dict:
    """A team's place against all teams, with nothing that names or singles out another."""
    totals = [round(s.total, 2) for _rank, s in computed.ranked]
    rank = next(r for r, s in computed.ranked if s.team_id == team_id)
    by_objective = {}
    for objective in objectives:
        shares = [
            row[objective]["share"]
            for row in computed.ratings.values()
            if row[objective]["share"] is not None
        ]
        by_objective[objective] = {
            "team": computed.ratings[team_id][objective]["share"],
            "median": round(median(shares), 4) if shares else None,
            "best": max(shares) if shares else None,
        }
    return {
        "teams": len(totals),
        "rank": rank,
        "median_total": round(median(totals), 2) if totals else 0.0,
        "best_total": max(totals) if totals else 0.0,
        "objectives": by_objective,
        # Every team's minutes to a first answer, per inject: numbers only, in order.
        "answer_minutes": {k: sorted(v) for k, v in computed.first_answer_minutes.items()},
    }


def build(inputs: Inputs, team_id: int | None = None, computed: _Computed | None = None) -> dict:
    """The report data of the whole drill (team_id None) or of one team. Longer than 60
    lines: one block per key of the report's JSON, in the order the PDF reads them, all
    filtered by the same team scope."""
    scenario, drill = inputs.scenario, inputs.drill
    computed = computed or _compute(inputs)
    team_names = {t.id: t.name for t in inputs.teams}
    if team_id is not None and team_id not in team_names:
        raise ValueError(f"team {team_id} is not in drill {drill.id}")
    shown = [t for t in inputs.teams if team_id is None or t.id == team_id]
    shown_ids = {t.id for t in shown}

    def about_shown(row_team: int | None) -> bool:
        # Drill report: everything. Team report: only rows about that team.
        return team_id is None or row_team == team_id

    max_points = defaultdict(float)
    for inject in scenario.injects:
        for response in inject.responses:
            for objective in response.objectives:
                max_points[objective] += response.points / len(response.objectives)
    objectives = [
        {
            "id": o.id,
            "text": o.text,
            "capability": o.capability,
            "gci_pillar": o.gci_pillar,
            "points": round(max_points[o.id], 2),
        }
        for o in scenario.objectives
    ]
    objective_ids = [o.id for o in scenario.objectives]
    scores = [
        {
            "rank": rank,
            "team_id": s.team_id,
            "team": s.name,
            "total": round(s.total, 2),
            "answered": s.answered,
            "median_minutes": s.median_response_minutes,
            "by_objective": {k: round(v, 2) for k, v in s.by_objective.items() if k},
        }
        for rank, s in computed.ranked
        if s.team_id in shown_ids
    ]
    timeline = []
    for inject in scenario.injects:
        per_team = computed.timeline[inject.id]
        rows = [per_team[t.id] for t in shown if t.id in per_team]
        entry = _inject_summary(inject, rows)
        entry["teams"] = [{"team_id": t.id, **per_team[t.id]} for t in shown if t.id in per_team]
        timeline.append(entry)
    notes = [n for n in inputs.notes if n.team_id is not None or team_id is None]
    notes = [n for n in notes if n.team_id is None or about_shown(n.team_id)]
    feedback = [f for f in inputs.feedback if team_id is None or f.team_id == team_id]
    ratings_given = [f.rating for f in feedback]
    plan = [p for p in inputs.plan if p.team_id is not None or team_id is None]
    plan = [p for p in plan if p.team_id is None or about_shown(p.team_id)]
    people = [
        p
        for p in inputs.people
        if team_id is None or p.role != "participant" or p.team_id == team_id
    ]
    by_role: dict[str, int] = defaultdict(int)
    for person in people:
        by_role[person.role] += 1

    def team_label(tid: int | None) -> str:
        return team_names.get(tid, "") if tid is not None else ""

    data = {
        "scope": "drill" if team_id is None else "team",
        "team_id": team_id,
        "team": team_names[team_id] if team_id is not None else None,
        "drill": {
            "id": drill.id,
            "name": drill.name,
            "starts_at": _iso(drill.starts_at),
            "ended_at": _iso(drill.ended_at),
            "time_zone": drill.time_zone,
            "state": drill.state,
            "marking": drill.marking,
            "organiser": drill.organiser,
            "compression": drill.compression,
        },
        "scenario": {
            "id": scenario.id,
            "title": scenario.title,
            "summary": scenario.summary,
            "audience": scenario.audience,
            "difficulty": scenario.difficulty,
            "duration_minutes": scenario.duration_minutes,
            "injects": len(scenario.injects),
            "questions": sum(len(i.responses) for i in scenario.injects),
            "total_points": round(scenario.total_points, 2),
        },
        "thresholds": {rating: lowest for rating, lowest in THRESHOLDS},
        "objectives": objectives,
        "teams": [{"id": t.id, "name": t.name, "country": t.country} for t in shown],
        "people_by_role": dict(sorted(by_role.items())),
        "ratings": {
            str(t.id): {o: computed.ratings[t.id][o] for o in objective_ids} for t in shown
        },
        "scores": scores,
        "timeline": timeline,
        "strengths": [_note(n, team_label(n.team_id)) for n in notes if n.kind == "strength"],
        "improvements": [_note(n, team_label(n.team_id)) for n in notes if n.kind != "strength"],
        "hotwash": {
            "count": len(feedback),
            "average": round(sum(ratings_given) / len(ratings_given), 2) if ratings_given else None,
            "distribution": {str(k): ratings_given.count(k) for k in range(1, 6)},
            "answers": [
                {
                    "name": f.name,  # None: anonymous, and nothing else says who
                    "team": team_label(f.team_id) if f.name is not None else "",
                    "rating": f.rating,
                    "went_well": f.went_well,
                    "went_badly": f.went_badly,
                }
                for f in feedback
            ],
        },
        "plan": [_plan_row(p, team_label(p.team_id)) for p in plan],
        "people": [
            {"name": p.name, "role": p.role, "team": team_label(p.team_id)}
            for p in sorted(people, key=lambda p: (p.role, team_label(p.team_id), p.name))
        ],
    }
    if team_id is not None:
        data["comparison"] = _comparison(computed, team_id, objective_ids)
    return data


def build_all(inputs: Inputs) -> tuple[dict, dict[int, dict]]:
    """The drill's data and every team's, computing the ratings and ranks once."""
    computed = _compute(inputs)
    teams = {t.id: build(inputs, t.id, computed) for t in inputs.teams}
    return build(inputs, None, computed), teams


def _note(note: Note, team: str) -> dict:
    return {
        "objective_id": note.objective_id,
        "team": team,
        "text": note.text,
        "evaluator": note.evaluator,
    }


def _plan_row(item: PlanItem, team: str) -> dict:
    return {
        "objective_id": item.objective_id,
        "team": team,
        "capability": item.capability,
        "issue": item.issue,
        "corrective_action": item.corrective_action,
        "capability_element": item.capability_element,
        "responsible_org": item.responsible_org,
        "contact": item.contact,
        "start_date": _iso(item.start_date),
        "completion_date": _iso(item.completion_date),
    }
