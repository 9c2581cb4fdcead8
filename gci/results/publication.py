"""What the public sees of the GCI, as a read model: published snapshots only, never a draft
snapshot, never a provisional score. The editions, the ranking rows (kept per process: a
published snapshot never changes), filtering and sorting, averages by region and group.
Country profiles are built on it in gci.results.profiles, the open data in
gci.results.open_data."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, select

from core.countries import GROUPS
from core.models import Country
from gci.cycles import service as cycles
from gci.framework.model import PILLAR_CODES, Framework
from gci.models import Cycle, Snapshot
from gci.results import scoring, snapshots

DEFAULT_PILLAR_MAX = 20.0  # historic results carry no framework: five equal pillars


@dataclass(frozen=True)
class Published:
    """A cycle's latest published snapshot, with what is needed to show it."""

    cycle: Cycle
    snapshot: Snapshot
    framework: Framework | None
    ranks: bool  # whether this edition publishes ranks (GCI 2024 publishes tiers only)

    @property
    def pillar_max(self) -> dict[str, float]:
        if self.framework is not None:
            return self.framework.pillar_max
        return dict.fromkeys(PILLAR_CODES, DEFAULT_PILLAR_MAX)

    @property
    def tiers(self):
        return snapshots.tiers_of(self.cycle, self.framework)


def published_cycles(session: Session) -> list[Published]:
    """Every cycle with a published snapshot, newest edition first."""
    out = []
    for cycle in cycles.cycles(session):  # newest year first
        snapshot = snapshots.latest_snapshot(session, cycle, published_only=True)
        if snapshot is None:
            continue
        framework = snapshots.snapshot_framework(session, snapshot)
        out.append(Published(cycle, snapshot, framework, snapshots.publishes_ranks(framework)))
    return out


def current(session: Session, cycle_code: str | None = None) -> Published | None:
    """The newest published edition, or the named one if it has published results."""
    editions = published_cycles(session)
    if cycle_code:
        return next((p for p in editions if p.cycle.code == cycle_code), None)
    return editions[0] if editions else None


def publication_key(session: Session) -> str:
    """Changes whenever anything is published (published snapshots never change), so it
    can make the public pages' ETags."""
    published = session.exec(
        select(Snapshot.id, Snapshot.published_at)
        .where(Snapshot.published_at.is_not(None))
        .order_by(Snapshot.id)
    ).all()
    text = ",".join(f"{id_}@{at.isoformat()}" for id_, at in published)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# --- rows --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    country: Country
    overall: float  # published value: scoring.PUBLISHED_DIGITS decimals
    pillars: dict[str, float]
    tier: int | None
    tier_name: str | None
    rank: int | None  # None where the edition publishes no ranks
    rank_region: int | None
    change: float | None  # against the previous edition's published overall
    rank_change: int | None

    @property
    def groups(self) -> list[str]:
        return [g for g in GROUPS if getattr(self.country, g)]


@dataclass(frozen=True)
class CountryFacts:
    """What a published row shows of its country: a plain copy, so that rows can be kept
    between requests (no database object outlives its session)."""

    id: int
    iso3: str
    iso2: str
    numeric: str
    name: str
    itu_region: str
    ldc: bool
    lldc: bool
    sids: bool
    itu_member: bool

    @classmethod
    def of(cls, country: Country) -> CountryFacts:
        return cls(**{f: getattr(country, f) for f in cls.__dataclass_fields__})


# (publication key, snapshot id, ranks) -> rows. A published snapshot never changes and the
# key (ids and publication times) changes with every publication, which can change the
# previous edition's figures; so each process builds an edition's rows once. A restart reads
# country names afresh.
_ROWS: dict[tuple[str, int, bool], tuple[Row, ...]] = {}
_ROWS_KEPT = 8


def rows(session: Session, published: Published) -> list[Row]:
    """Every country's published result, best first (ties by name)."""
    key = (publication_key(session), published.snapshot.id, published.ranks)
    found = _ROWS.get(key)
    if found is None:
        found = tuple(_build_rows(session, published))
        if len(_ROWS) >= _ROWS_KEPT:
            _ROWS.clear()
        _ROWS[key] = found
    return list(found)


def _build_rows(session: Session, published: Published) -> list[Row]:
    out = []
    for r in snapshots.results(session, published.snapshot):
        result = r.result
        out.append(
            Row(
                country=CountryFacts.of(r.country),
                overall=scoring.published(result.overall),
                pillars={k: scoring.published(v) for k, v in result.pillars.items()},
                tier=result.tier,
                tier_name=result.tier_name,
                rank=result.rank_global if published.ranks else None,
                rank_region=result.rank_region if published.ranks else None,
                change=scoring.published(r.change),
                rank_change=r.rank_change if published.ranks else None,
            )
        )
    return out


SORT_KEYS = ("name", "overall", "tier", "rank", "change", *PILLAR_CODES)


def select_rows(
    all_rows: Iterable[Row],
    *,
    region: str | None = None,
    group: str | None = None,
    search: str | None = None,
    sort: str = "overall",
    descending: bool | None = None,
) -> list[Row]:
    """Filter by ITU region, group and a part of the name (or ISO code), then sort. Missing
    values sort last whichever the direction."""
    chosen = list(all_rows)
    if region:
        chosen = [r for r in chosen if r.country.itu_region == region]
    if group in GROUPS:
        chosen = [r for r in chosen if getattr(r.country, group)]
    if search and search.strip():
        needle = search.strip().casefold()
        chosen = [
            r
            for r in chosen
            if needle in r.country.name.casefold() or needle == r.country.iso3.casefold()
        ]
    if sort not in SORT_KEYS:
        sort = "overall"
    if descending is None:
        descending = sort in ("overall", "change", *PILLAR_CODES)

    def value(row: Row):
        if sort == "name":
            return row.country.name.casefold()
        if sort in PILLAR_CODES:
            return row.pillars.get(sort)
        return getattr(row, sort)

    by_name = sorted(chosen, key=lambda r: r.country.name.casefold())
    present = [r for r in by_name if value(r) is not None]
    missing = [r for r in by_name if value(r) is None]
    present.sort(key=value, reverse=descending)  # stable: ties stay in name order
    return present + missing


@dataclass(frozen=True)
class Average:
    label: str  # "Africa", "ldc", "global"
    count: int
    overall: float
    pillars: dict[str, float]


def average(label: str, members: list[Row]) -> Average | None:
    if not members:
        return None
    codes = {code for r in members for code in r.pillars}
    return Average(
        label=label,
        count=len(members),
        overall=scoring.published(math.fsum(r.overall for r in members) / len(members)),
        pillars={
            code: scoring.published(
                math.fsum(r.pillars.get(code, 0.0) for r in members) / len(members)
            )
            for code in sorted(codes)
        },
    )


def region_average(all_rows: list[Row], region: str) -> Average | None:
    return average(region, [r for r in all_rows if r.country.itu_region == region])


def group_averages(all_rows: list[Row], country: Country) -> dict[str, Average]:
    out = {}
    for group in GROUPS:
        if getattr(country, group):
            found = average(group, [r for r in all_rows if getattr(r.country, group)])
            if found:
                out[group] = found
    return out
