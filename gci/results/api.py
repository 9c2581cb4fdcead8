"""GCI JSON API: frameworks, scores by cycle, country, region and group, what-if, and the
admin actions (recompute, publish, compare, clone, edit). A flask-smorest blueprint: its
routes stay decorated here, where the decorators carry the schemas. Domain errors propagate
to core.errors' one handler (problem+json)."""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from flask_smorest import Blueprint

from core import countries, db
from core.policy import allow, can
from gci.cycles import service as cycles
from gci.models import FrameworkVersion, Snapshot
from gci.results import scoring, snapshots
from gci.results.labels import PLACEHOLDER_NOTICE
from gci.results.schemas import (
    CloneIn,
    CountryScoreOut,
    CycleOut,
    DifferenceOut,
    FrameworkOut,
    NodeEditIn,
    ScoresOut,
    ScoresQuery,
    SnapshotOut,
    WhatIfIn,
    WhatIfOut,
)

bp = Blueprint(
    "api_gci", __name__, url_prefix="/api/v1/gci", description="Global Cybersecurity Index"
)


def _cycle(code: str):
    cycle = cycles.cycle_by_code(db.session(), code)
    if cycle is None:
        abort(404, f"No cycle {code}.")
    return cycle


def _snapshot_for(cycle, snapshot_id: int | None) -> Snapshot:
    session = db.session()
    if snapshot_id is not None:
        if not can(current_user, "gci.snapshots.read"):
            abort(403, "Only analysts and administrators see unpublished snapshots.")
        snapshot = session.get(Snapshot, snapshot_id)
        if snapshot is None or snapshot.cycle_id != cycle.id:
            abort(404, f"No snapshot {snapshot_id} in {cycle.code}.")
        return snapshot
    snapshot = snapshots.latest_snapshot(session, cycle)
    if snapshot is None:
        abort(404, f"{cycle.code} has no published results yet.")
    return snapshot


def _notice(snapshot: Snapshot) -> str | None:
    return PLACEHOLDER_NOTICE if snapshot.placeholder_weights else None


@bp.get("/cycles")
@allow("public")
@bp.response(200, CycleOut(many=True))
def list_cycles():
    """Cycles (editions) with the id of their published snapshot, if any."""
    session = db.session()
    out = []
    for cycle in cycles.cycles(session):
        snapshot = snapshots.latest_snapshot(session, cycle)
        out.append(
            {
                "code": cycle.code,
                "name": cycle.name,
                "year": cycle.year,
                "historic": cycle.historic,
                "published_snapshot_id": snapshot.id if snapshot else None,
            }
        )
    return out


@bp.get("/cycles/<code>/framework")
@allow("public")
@bp.response(200, FrameworkOut)
def framework(code: str):
    """The cycle's current framework: pillars, indicators, questions, weights, tiers."""
    version = cycles.current_framework(db.session(), _cycle(code))
    if version is None:
        abort(404, f"{code} has no framework.")
    return version


@bp.get("/cycles/<code>/scores")
@allow("public")
@bp.arguments(ScoresQuery, location="query")
@bp.response(200, ScoresOut)
def scores(query, code: str):
    """Published scores and tiers (ranks where the cycle publishes them), by region or group."""
    cycle = _cycle(code)
    snapshot = _snapshot_for(cycle, query.get("snapshot"))
    session = db.session()
    ranks = snapshots.ranks_published(session, snapshot)
    with_ranks = ranks or can(current_user, "gci.snapshots.read")
    rows = snapshots.results(session, snapshot, query.get("region"), query.get("group"))
    return {
        "cycle": cycle.code,
        "snapshot": snapshot,
        "notice": _notice(snapshot),
        "ranks_published": ranks,
        "results": [result_dict(r, with_ranks) for r in rows],
    }


@bp.get("/cycles/<code>/scores/<iso3>")
@allow("public")
@bp.arguments(ScoresQuery, location="query")
@bp.response(200, CountryScoreOut)
def country_score(query, code: str, iso3: str):
    """One country's result; its staff and focal points also get every question's points and
    the questions that would raise the score most."""
    cycle = _cycle(code)
    snapshot = _snapshot_for(cycle, query.get("snapshot"))
    session = db.session()
    country = countries.by_iso3(session, iso3)
    if country is None:
        abort(404, f"No country {iso3}.")
    row = next(
        (r for r in snapshots.results(session, snapshot) if r.country.id == country.id), None
    )
    if row is None:
        abort(404, f"{country.name} has no result in {cycle.code}.")
    with_ranks = snapshots.ranks_published(session, snapshot)
    # Keys always present: marshmallow would read a missing "items" as dict.items.
    out = {
        "cycle": cycle.code,
        "snapshot": snapshot,
        "notice": _notice(snapshot),
        "result": result_dict(row, with_ranks),
        "provisional_overall": None,
        "items": None,
        "what_would_move": None,
    }
    framework = snapshots.snapshot_framework(session, snapshot)
    if framework is not None and can(current_user, "gci.country.read", country):
        explained = snapshots.explanation(framework, row.result)
        out["provisional_overall"] = row.result.provisional_overall
        out["items"] = explained.items
        out["what_would_move"] = scoring.what_would_move(explained)
    return out


@bp.post("/cycles/<code>/what-if")
@allow("gci.whatif")
@bp.arguments(WhatIfIn)
@bp.response(200, WhatIfOut)
def what_if(payload, code: str):
    """Scores for the answers given, all counted as accepted. Nothing is saved."""
    version = cycles.current_framework(db.session(), _cycle(code))
    if version is None:
        abort(404, f"{code} has no framework.")
    framework = cycles.parsed(version)
    result = snapshots.what_if(framework, payload["answers"])
    return {
        "overall": scoring.published(result.overall),
        "pillars": {k: scoring.published(v) for k, v in result.pillars.items()},
        "tier": result.tier.tier if result.tier else None,
        "tier_name": result.tier.name if result.tier else None,
        "notice": PLACEHOLDER_NOTICE if framework.placeholder_weights else None,
        "what_would_move": scoring.what_would_move(result, limit=5),
    }


@bp.post("/cycles/<code>/snapshots")
@allow("gci.results.manage")
@bp.response(201, SnapshotOut)
def recompute(code: str):
    """Compute every country's scores from the stored answers into a new snapshot."""
    session = db.session()
    snapshot = snapshots.recompute(session, _cycle(code), current_user)
    session.commit()
    return snapshot


@bp.post("/snapshots/<int:snapshot_id>/publish")
@allow("gci.results.manage")
@bp.response(200, SnapshotOut)
def publish(snapshot_id: int):
    """Publish a snapshot; its numbers never change afterwards."""
    session = db.session()
    snapshot = session.get(Snapshot, snapshot_id)
    if snapshot is None:
        abort(404, f"No snapshot {snapshot_id}.")
    snapshots.publish(session, snapshot, current_user)
    session.commit()
    return snapshot


@bp.get("/snapshots/<int:older>/diff/<int:newer>")
@allow("gci.snapshots.read")
@bp.response(200, DifferenceOut(many=True))
def diff(older: int, newer: int):
    """Countries whose published score or tier differs between two snapshots."""
    session = db.session()
    a, b = session.get(Snapshot, older), session.get(Snapshot, newer)
    if a is None or b is None:
        abort(404, "No such snapshot.")
    changes = snapshots.difference(session, a, b)
    return [
        {
            "iso3": d.country.iso3,
            "country": d.country.name,
            "before": d.before,
            "after": d.after,
            "delta": d.delta,
            "tier_before": d.tier_before,
            "tier_after": d.tier_after,
        }
        for d in changes
    ]


def _version(framework_id: int) -> FrameworkVersion:
    version = db.session().get(FrameworkVersion, framework_id)
    if version is None:
        abort(404, f"No framework {framework_id}.")
    return version


@bp.post("/frameworks/<int:framework_id>/clone")
@allow("gci.framework.edit")
@bp.arguments(CloneIn)
@bp.response(201, FrameworkOut)
def clone(payload, framework_id: int):
    """Start a new cycle from this framework (question codes are kept)."""
    session = db.session()
    version = cycles.clone_framework(session, _version(framework_id), actor=current_user, **payload)
    session.commit()
    return version


@bp.patch("/frameworks/<int:framework_id>/nodes/<code>")
@allow("gci.framework.edit")
@bp.arguments(NodeEditIn)
@bp.response(200, FrameworkOut)
def edit_node(payload, framework_id: int, code: str):
    """Edit the name, text, help text or weight of one node; a frozen framework gets a new
    version instead. Refused whole, with every problem, if the result is not valid."""
    session = db.session()
    version = cycles.edit_node(session, _version(framework_id), code, payload, current_user)
    session.commit()
    return version


def result_dict(row: snapshots.ResultRow, with_ranks: bool) -> dict:
    """One country's row as the API shows it: published values, ranks where shown."""
    r = row.result
    return {
        "iso3": row.country.iso3,
        "country": row.country.name,
        "region": row.country.itu_region,
        "overall": scoring.published(r.overall),
        "pillars": {k: scoring.published(v) for k, v in r.pillars.items()},
        "tier": r.tier,
        "tier_name": r.tier_name,
        "rank": r.rank_global if with_ranks else None,
        "rank_region": r.rank_region if with_ranks else None,
        "rank_groups": r.rank_groups if with_ranks else {},
        "change": scoring.published(row.change),
        "rank_change": row.rank_change if with_ranks else None,
    }
