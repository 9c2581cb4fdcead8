"""GCI results: compute a cycle's scores into a snapshot, publish it, read and compare
snapshots, import an earlier edition's published results. Each function works in the
caller's session; the caller commits once, so a use case is stored whole or not at all."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, insert
from sqlmodel import Session, select

from core import audit
from core.models import Country, Role, User, utcnow
from gci.cycles.service import GciError, current_framework, cycle_by_code, parsed
from gci.framework.model import Framework, Tier
from gci.models import Answer, CountryResult, Cycle, FrameworkVersion, Questionnaire, Snapshot
from gci.results import historic, scoring

# A country whose questionnaire is in one of these states has results to publish; one still
# in the workflow before the country's approval is left out of a snapshot.
RESULT_STATES = ("approved", "published")


def focal_points(session: Session, country: Country) -> list[User]:
    query = select(User).where(User.country_id == country.id, User.role == Role.focal_point)
    return list(session.exec(query.order_by(User.name)))


# --- scores ------------------------------------------------------------------------------


def country_facts(countries: Iterable[Country]) -> dict[str, scoring.CountryFacts]:
    return {
        c.iso3: scoring.CountryFacts(
            c.iso3, c.itu_region, tuple(g for g in ("ldc", "lldc", "sids") if getattr(c, g))
        )
        for c in countries
    }


def answers_by_country(session: Session, cycle: Cycle) -> dict[int, dict[str, scoring.Answer]]:
    """The answers that count for results. Answers stored without a questionnaire (loaded
    directly, as the demo's GCI 2024) count; a questionnaire's count once the country has
    approved it."""
    unfinished = select(Questionnaire.country_id).where(
        Questionnaire.cycle_id == cycle.id, Questionnaire.state.not_in(RESULT_STATES)
    )
    rows = session.exec(
        select(Answer.country_id, Answer.question_code, Answer.value, Answer.accepted).where(
            Answer.cycle_id == cycle.id, Answer.country_id.not_in(unfinished)
        )
    )
    result: dict[int, dict[str, scoring.Answer]] = {}
    for country_id, code, value, accepted in rows:
        result.setdefault(country_id, {})[code] = scoring.Answer(code, value["v"], accepted)
    return result


def tiers_of(cycle: Cycle, framework: Framework | None) -> tuple[Tier, ...]:
    if framework is not None:
        return framework.tiers
    return tuple(Tier(t["tier"], t["name"], t["min_score"]) for t in cycle.tiers or ())


def recompute(session: Session, cycle: Cycle, actor=None) -> Snapshot:
    """Score every country that has answers to publish (answers_by_country), from the
    database into a new snapshot."""
    if cycle.historic:
        raise GciError(f"{cycle.code} holds imported results; there is nothing to compute.")
    version = current_framework(session, cycle)
    if version is None:
        raise GciError(f"{cycle.code} has no framework yet.")
    framework = parsed(version)
    countries = {c.id: c for c in session.exec(select(Country))}
    scores = {
        countries[cid].iso3: scoring.score(framework, answers)
        for cid, answers in answers_by_country(session, cycle).items()
    }
    snapshot = Snapshot(
        cycle_id=cycle.id,
        framework_id=version.id,
        kind="computed",
        placeholder_weights=framework.placeholder_weights,
        created_by_id=getattr(actor, "id", None),
    )
    session.add(snapshot)
    session.flush()
    ranks = scoring.rankings(
        {k: s.overall for k, s in scores.items()}, country_facts(countries.values())
    )
    by_iso3 = {c.iso3: c for c in countries.values()}
    # One multi-row INSERT instead of 194 ORM objects: the bulk of a recompute's write.
    rows = [
        {
            "snapshot_id": snapshot.id,
            "country_id": by_iso3[iso3].id,
            "overall": s.overall,
            "pillars": s.pillars,
            "provisional_overall": s.provisional_overall,
            "provisional_pillars": s.provisional_pillars,
            "tier": s.tier.tier if s.tier else None,
            "tier_name": s.tier.name if s.tier else None,
            "rank_global": ranks["global"][iso3],
            "rank_region": ranks["region"][iso3],
            "rank_groups": {g: r[iso3] for g, r in ranks["groups"].items() if iso3 in r},
            "items": {i.code: [i.earned, i.provisional, i.state] for i in s.items},
        }
        for iso3, s in scores.items()
    ]
    if rows:  # an empty list would insert one row of NULLs
        session.execute(insert(CountryResult), rows)
    audit.record(
        session,
        "gci.snapshot.computed",
        actor=actor,
        obj_type="gci_snapshot",
        obj_id=snapshot.id,
        cycle=cycle.code,
        countries=len(scores),
    )
    return snapshot


def publish(session: Session, snapshot: Snapshot, actor=None) -> None:
    """Publish a snapshot: its numbers are frozen from now on, and so is its framework."""
    if snapshot.published_at is not None:
        raise GciError(f"Snapshot {snapshot.id} is published already.")
    snapshot.published_at = utcnow()
    session.add(snapshot)
    if snapshot.framework_id:
        version = session.get(FrameworkVersion, snapshot.framework_id)
        version.frozen = True
        session.add(version)
    audit.record(
        session,
        "gci.snapshot.published",
        actor=actor,
        obj_type="gci_snapshot",
        obj_id=snapshot.id,
        cycle_id=snapshot.cycle_id,
    )


def snapshots(session: Session, cycle: Cycle) -> list[Snapshot]:
    query = select(Snapshot).where(Snapshot.cycle_id == cycle.id).order_by(Snapshot.id.desc())
    return list(session.exec(query))


def latest_snapshot(session: Session, cycle: Cycle, published_only=True) -> Snapshot | None:
    query = select(Snapshot).where(Snapshot.cycle_id == cycle.id)
    if published_only:
        query = query.where(Snapshot.published_at.is_not(None))
    return session.exec(query.order_by(Snapshot.id.desc())).first()


@dataclass(frozen=True)
class ResultRow:
    country: Country
    result: CountryResult
    change: float | None  # against the previous cycle's published overall
    rank_change: int | None  # positive: moved up


def results(session: Session, snapshot: Snapshot, region=None, group=None) -> list[ResultRow]:
    query = (
        select(CountryResult, Country).join(Country).where(CountryResult.snapshot_id == snapshot.id)
    )
    if region:
        query = query.where(Country.itu_region == region)
    if group in ("ldc", "lldc", "sids"):
        query = query.where(getattr(Country, group).is_(True))
    rows = session.exec(query).all()
    previous = _previous_results(session, snapshot)
    out = []
    for result, country in rows:
        before = previous.get(country.id)
        change = rank_change = None
        if before is not None:
            change = scoring.published(result.overall) - scoring.published(before.overall)
            if before.rank_global and result.rank_global:
                rank_change = before.rank_global - result.rank_global
        out.append(ResultRow(country, result, change, rank_change))
    out.sort(key=lambda r: (-scoring.published(r.result.overall), r.country.name))
    return out


def _previous_results(session, snapshot) -> dict[int, CountryResult]:
    cycle = session.get(Cycle, snapshot.cycle_id)
    if not cycle.previous_cycle_id:
        return {}
    previous = latest_snapshot(session, session.get(Cycle, cycle.previous_cycle_id))
    if previous is None:
        return {}
    rows = session.exec(select(CountryResult).where(CountryResult.snapshot_id == previous.id))
    return {r.country_id: r for r in rows}


def country_result(session, snapshot: Snapshot, country: Country) -> CountryResult | None:
    return session.exec(
        select(CountryResult).where(
            CountryResult.snapshot_id == snapshot.id, CountryResult.country_id == country.id
        )
    ).first()


@dataclass(frozen=True)
class Difference:
    country: Country
    before: float | None
    after: float | None
    tier_before: str | None
    tier_after: str | None

    @property
    def delta(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return scoring.published(self.after) - scoring.published(self.before)


def difference(session, older: Snapshot, newer: Snapshot) -> list[Difference]:
    """Countries whose published figures differ between two snapshots of the same cycle."""
    if older.cycle_id != newer.cycle_id:
        raise GciError("Compare two snapshots of the same cycle.", status=422)

    def by_country(snapshot):
        rows = session.exec(select(CountryResult).where(CountryResult.snapshot_id == snapshot.id))
        return {r.country_id: r for r in rows}

    a, b = by_country(older), by_country(newer)
    countries = {c.id: c for c in session.exec(select(Country))}
    out = []
    for country_id in sorted(set(a) | set(b), key=lambda i: countries[i].name):
        x, y = a.get(country_id), b.get(country_id)
        same = (
            x is not None
            and y is not None
            and scoring.published(x.overall) == scoring.published(y.overall)
            and x.tier_name == y.tier_name
        )
        if not same:
            out.append(
                Difference(
                    countries[country_id],
                    x.overall if x else None,
                    y.overall if y else None,
                    x.tier_name if x else None,
                    y.tier_name if y else None,
                )
            )
    return out


def explanation(framework: Framework, result: CountryResult) -> scoring.Score:
    """The stored per-question points of a result, as the engine's Score (for the "why")."""
    items = tuple(
        scoring.ItemScore(code, framework.pillar_of[code], framework.points[code], *values)
        for code, values in result.items.items()
        if code in framework.points
    )
    return scoring.Score(
        result.overall,
        result.pillars,
        result.provisional_overall or 0,
        result.provisional_pillars or {},
        items,
        None,
    )


def what_if(framework: Framework, values: dict[str, object]) -> scoring.Score:
    """Scores for answers given as {code: value}, all counted as accepted; nothing is saved."""
    answers = [scoring.Answer(code, value, accepted=True) for code, value in values.items()]
    scoring.check_answers(framework, answers)
    return scoring.score(framework, answers)


# --- historic results --------------------------------------------------------------------


def import_historic(
    session,
    text: str,
    *,
    cycle_code: str,
    name: str,
    year: int,
    tiers: list[dict] | None = None,
    previous_code=None,
    actor=None,
) -> Snapshot:
    """A read-only cycle holding an earlier edition's published results, checked first."""
    if cycle_by_code(session, cycle_code):
        raise GciError(f"Cycle {cycle_code} exists already; import into a new cycle code.")
    tier_objects = tuple(Tier(t["tier"], t["name"], t["min_score"]) for t in tiers or ())
    countries = {c.iso3: c for c in session.exec(select(Country))}
    rows = historic.read(text, tier_objects, set(countries))
    previous = cycle_by_code(session, previous_code) if previous_code else None
    cycle = Cycle(
        code=cycle_code,
        name=name,
        year=year,
        historic=True,
        tiers=tiers,
        previous_cycle_id=previous.id if previous else None,
    )
    session.add(cycle)
    session.flush()
    snapshot = Snapshot(
        cycle_id=cycle.id,
        kind="imported",
        published_at=utcnow(),
        created_by_id=getattr(actor, "id", None),
        note=f"{len(rows)} countries imported from a published results file",
    )
    session.add(snapshot)
    session.flush()
    _add_imported_results(session, snapshot, rows, countries, tier_objects)
    audit.record(
        session,
        "gci.historic.imported",
        actor=actor,
        obj_type="gci_snapshot",
        obj_id=snapshot.id,
        cycle=cycle_code,
        countries=len(rows),
    )
    return snapshot


def _add_imported_results(session, snapshot, rows, countries, tier_objects) -> None:
    """The imported rows as the snapshot's results, ranked and tiered as computed ones are."""
    facts = country_facts(countries.values())
    ranks = scoring.rankings({r.iso3: r.overall for r in rows}, facts)
    for row in rows:
        tier = scoring.tier_for(row.overall, tier_objects) if tier_objects else None
        session.add(
            CountryResult(
                snapshot_id=snapshot.id,
                country_id=countries[row.iso3].id,
                overall=row.overall,
                pillars=row.pillars,
                tier=tier.tier if tier else None,
                tier_name=tier.name if tier else None,
                rank_global=ranks["global"][row.iso3],
                rank_region=ranks["region"][row.iso3],
                rank_groups={g: r[row.iso3] for g, r in ranks["groups"].items() if row.iso3 in r},
            )
        )


def answer_count(session: Session, cycle: Cycle) -> int:
    query = select(func.count()).select_from(Answer).where(Answer.cycle_id == cycle.id)
    return session.exec(query).one()


def snapshot_framework(session, snapshot: Snapshot) -> Framework | None:
    if not snapshot.framework_id:
        return None
    return parsed(session.get(FrameworkVersion, snapshot.framework_id))


def publishes_ranks(framework: Framework | None) -> bool:
    """Whether an edition publishes ranks, the one rule for the API, the public pages and
    the open data: GCI 2024 publishes tiers only (its framework says so); historic results
    carry no framework and their files hold what their edition published."""
    return True if framework is None else framework.publish_ranks


def ranks_published(session, snapshot: Snapshot) -> bool:
    return publishes_ranks(snapshot_framework(session, snapshot))
