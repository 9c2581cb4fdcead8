"""The drill's data for download: one JSON document (injects, releases, submissions, scores,
ratings, observations) and each of its tables as CSV, written by core/tables.py."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from core import tables
from drills.models import (
    Drill,
)
from drills.reports import content
from drills.reports.service import inputs


def export(session: Session, drill: Drill, now: datetime) -> dict:
    """The drill's data as plain JSON: injects, releases, submissions, scores, observations."""
    facts = inputs(session, drill, now)
    data = content.build(facts)
    return {
        "drill": data["drill"],
        "scenario": data["scenario"],
        "objectives": data["objectives"],
        "teams": data["teams"],
        "injects": [
            {
                "id": i.id,
                "title": i.title,
                "offset_minutes": i.offset_minutes,
                "channel": i.channel,
                "objectives": list(i.objectives),
                "responses": [
                    {"id": r.id, "type": r.type, "points": r.points, "scoring": r.scoring}
                    for r in i.responses
                ],
            }
            for i in facts.scenario.injects
        ],
        "releases": [
            {"team_id": e["team_id"], "inject_id": t["id"], **_times(e)}
            for t in data["timeline"]
            for e in t["teams"]
        ],
        "submissions": [
            {
                "team_id": a.team_id,
                "inject_id": a.inject_id,
                "response_id": a.response_id,
                "attempt": a.attempt,
                "submitted_at": a.submitted_at.isoformat(),
                "correct": a.correct,
                "points": a.points,
                "scored_at": a.scored_at.isoformat() if a.scored_at else None,
                "scored_by": a.scored_by,
                "rule": a.rule,
            }
            for a in sorted(
                facts.answers, key=lambda a: (a.team_id, a.inject_id, a.response_id, a.attempt)
            )
        ],
        "scores": data["scores"],
        "ratings": data["ratings"],
        "observations": [
            {
                "team_id": n.team_id,
                "objective_id": n.objective_id,
                "kind": n.kind,
                "text": n.text,
                "evaluator": n.evaluator,
            }
            for n in facts.notes
        ],
    }


def _times(entry: dict) -> dict:
    return {k: entry[k] for k in ("released", "acknowledged", "answered", "accepted")}


CSV_TABLES = ("injects", "releases", "submissions", "scores", "observations")


def export_csv(exported: dict, table: str) -> str:
    """One table of the export as CSV (nested values flattened to JSON-ish text)."""
    rows = exported[table]
    if table == "injects":
        rows = [
            {**{k: v for k, v in r.items() if k != "responses"},
             "objectives": " ".join(r["objectives"]),
             "responses": " ".join(f"{x['id']}:{x['points']:g}" for x in r["responses"])}
            for r in rows
        ]  # fmt: skip
    if table == "scores":
        rows = [
            {**{k: v for k, v in r.items() if k != "by_objective"},
             **{f"objective {k}": v for k, v in r["by_objective"].items()}}
            for r in rows
        ]  # fmt: skip
    columns: list[str] = []
    for row in rows:
        columns += [k for k in row if k not in columns]
    return tables.write(columns, rows)
