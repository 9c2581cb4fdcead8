"""What the public sees of the GCI: published snapshots only, never a draft snapshot, never a
provisional score. The ranking, averages by region and group, country profiles, indicator
scores, and the open data records (CSV and JSON, one documented field list: FIELDS).

The draft profile of a country's current answers (for its focal point) is built here too,
from the same scoring engine, and is always marked as a draft.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlmodel import Session, select

from core.countries import GROUPS
from core.models import Country, as_utc
from gci import scoring, service
from gci.framework.model import PILLAR_CODES, Framework, Indicator
from gci.models import Answer, Cycle, Snapshot

LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
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
        return service.tiers_of(self.cycle, self.framework)


def published_cycles(session: Session) -> list[Published]:
    """Every cycle with a published snapshot, newest edition first."""
    out = []
    for cycle in service.cycles(session):  # newest year first
        snapshot = service.latest_snapshot(session, cycle, published_only=True)
        if snapshot is None:
            continue
        framework = service.snapshot_framework(session, snapshot)
        ranks = True if framework is None else framework.publish_ranks
        out.append(Published(cycle, snapshot, framework, ranks))
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
    overall: float  # published value: two decimals
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


def _published(value: float | None) -> float | None:
    return None if value is None else round(value, scoring.PUBLISHED_DIGITS)


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
    for r in service.results(session, published.snapshot):
        result = r.result
        out.append(
            Row(
                country=CountryFacts.of(r.country),
                overall=_published(result.overall),
                pillars={k: _published(v) for k, v in result.pillars.items()},
                tier=result.tier,
                tier_name=result.tier_name,
                rank=result.rank_global if published.ranks else None,
                rank_region=result.rank_region if published.ranks else None,
                change=_published(r.change),
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


# --- averages and profiles ---------------------------------------------------------------


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
        overall=round(math.fsum(r.overall for r in members) / len(members), 2),
        pillars={
            code: round(math.fsum(r.pillars.get(code, 0.0) for r in members) / len(members), 2)
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


@dataclass(frozen=True)
class IndicatorScore:
    pillar: str
    code: str
    name: str
    earned: float
    maximum: float

    @property
    def percent(self) -> float:
        return 100 * self.earned / self.maximum if self.maximum else 0.0


def _question_codes(indicator: Indicator) -> list[str]:
    codes = [q.code for q in indicator.questions]
    for sub in indicator.sub_indicators:
        codes += _question_codes(sub)
    return codes


def indicator_scores(framework: Framework, points: dict[str, float]) -> list[IndicatorScore]:
    """Points per top-level indicator from points per question (official points for a
    published result, provisional ones for a draft)."""
    out = []
    for pillar in framework.pillars:
        for indicator in pillar.indicators:
            codes = _question_codes(indicator)
            maximum = math.fsum(framework.points.get(c, 0.0) for c in codes)
            if maximum <= 0:
                continue
            earned = math.fsum(points.get(c, 0.0) for c in codes)
            out.append(IndicatorScore(pillar.code, indicator.code, indicator.name, earned, maximum))
    return out


@dataclass
class Profile:
    country: Country
    cycle: Cycle
    overall: float
    pillars: dict[str, float]
    pillar_max: dict[str, float]
    pillar_names: dict[str, str]
    tier: int | None
    tier_name: str | None
    rank: int | None = None
    rank_region: int | None = None
    change: float | None = None
    previous_cycle: Cycle | None = None
    region: Average | None = None
    groups: dict[str, Average] = field(default_factory=dict)
    indicators: list[IndicatorScore] = field(default_factory=list)
    history: list[tuple[Cycle, Row]] = field(default_factory=list)
    placeholder_weights: bool = False
    published_at: object = None
    draft: bool = False
    official_overall: float | None = None  # drafts: the score counting accepted answers only
    # drafts: (question code, question text, points it would add), largest first
    moves: list[tuple[str, str, float]] = field(default_factory=list)

    @property
    def pillar_percent(self) -> dict[str, float]:
        return {
            code: 100 * value / self.pillar_max[code] if self.pillar_max.get(code) else 0.0
            for code, value in self.pillars.items()
        }

    def strongest(self, count: int = 3) -> list[IndicatorScore]:
        return sorted(self.indicators, key=lambda i: (-i.percent, i.code))[:count]

    def weakest(self, count: int = 3) -> list[IndicatorScore]:
        return sorted(self.indicators, key=lambda i: (i.percent, i.code))[:count]


def pillar_names(published_or_framework) -> dict[str, str]:
    framework = getattr(published_or_framework, "framework", published_or_framework)
    if framework is None:
        return {code: code for code in PILLAR_CODES}
    return {p.code: p.name for p in framework.pillars}


def profile(session: Session, published: Published, country: Country) -> Profile | None:
    """A country's published profile, or None if it has no result in this edition."""
    all_rows = rows(session, published)
    row = next((r for r in all_rows if r.country.id == country.id), None)
    if row is None:
        return None
    result = service.country_result(session, published.snapshot, country)
    indicators = []
    if published.framework is not None:
        official = {code: values[0] for code, values in (result.items or {}).items()}
        indicators = indicator_scores(published.framework, official)
    previous = (
        session.get(Cycle, published.cycle.previous_cycle_id)
        if published.cycle.previous_cycle_id
        else None
    )
    return Profile(
        country=country,
        cycle=published.cycle,
        overall=row.overall,
        pillars=row.pillars,
        pillar_max=published.pillar_max,
        pillar_names=pillar_names(published),
        tier=row.tier,
        tier_name=row.tier_name,
        rank=row.rank,
        rank_region=row.rank_region,
        change=row.change,
        previous_cycle=previous if row.change is not None else None,
        region=region_average(all_rows, country.itu_region),
        groups=group_averages(all_rows, country),
        indicators=indicators,
        history=history(session, country),
        placeholder_weights=published.snapshot.placeholder_weights,
        published_at=as_utc(published.snapshot.published_at),
    )


def history(session: Session, country: Country) -> list[tuple[Cycle, Row]]:
    """The country's published result in every edition, oldest first."""
    out = []
    for published in reversed(published_cycles(session)):
        result = service.country_result(session, published.snapshot, country)
        if result is None:
            continue
        out.append(
            (
                published.cycle,
                Row(
                    country,
                    _published(result.overall),
                    {k: _published(v) for k, v in result.pillars.items()},
                    result.tier,
                    result.tier_name,
                    result.rank_global if published.ranks else None,
                    result.rank_region if published.ranks else None,
                    None,
                    None,
                ),
            )
        )
    return out


def current_cycle(session: Session) -> tuple[Cycle, Framework] | None:
    """The edition being answered now: the newest cycle with a framework of its own."""
    for cycle in service.cycles(session):
        if cycle.historic:
            continue
        version = service.current_framework(session, cycle)
        if version is not None:
            return cycle, service.parsed(version)
    return None


def draft_profile(session: Session, country: Country) -> Profile | None:
    """Provisional scores of the country's current answers (as given, before the analysts'
    acceptance), with the published averages of the same edition beside them if any."""
    found = current_cycle(session)
    if found is None:
        return None
    cycle, framework = found
    rows_ = session.exec(
        select(Answer.question_code, Answer.value, Answer.accepted).where(
            Answer.cycle_id == cycle.id, Answer.country_id == country.id
        )
    )
    answers = {code: scoring.Answer(code, value["v"], accepted) for code, value, accepted in rows_}
    score = scoring.score(framework, answers)
    tier = scoring.tier_for(score.provisional_overall, framework.tiers)
    provisional = {item.code: item.provisional for item in score.items}
    out = Profile(
        country=country,
        cycle=cycle,
        overall=_published(score.provisional_overall),
        pillars={k: _published(v) for k, v in score.provisional_pillars.items()},
        pillar_max=framework.pillar_max,
        pillar_names=pillar_names(framework),
        tier=tier.tier if tier else None,
        tier_name=tier.name if tier else None,
        indicators=indicator_scores(framework, provisional),
        placeholder_weights=framework.placeholder_weights,
        draft=True,
        official_overall=_published(score.overall),
        moves=[
            (m.code, framework.questions[m.code].text, m.gain)
            for m in scoring.what_would_move(score, limit=5)
        ],
    )
    published = current(session, cycle.code)
    if published is not None:
        all_rows = rows(session, published)
        out.region = region_average(all_rows, country.itu_region)
        out.groups = group_averages(all_rows, country)
    return out


# --- open data ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # JSON Schema type
    description: str
    nullable: bool = False


FIELDS = (
    Field("cycle", "string", "Code of the GCI edition, e.g. GCI-2024."),
    Field("iso3", "string", "ISO 3166-1 alpha-3 code of the country."),
    Field("iso2", "string", "ISO 3166-1 alpha-2 code."),
    Field("country", "string", "Country name (English short name)."),
    Field(
        "itu_region",
        "string",
        "ITU region: Africa, Americas, Arab States, Asia-Pacific, CIS or Europe.",
    ),
    Field("ldc", "boolean", "Least Developed Country (UN list)."),
    Field("lldc", "boolean", "Landlocked Developing Country."),
    Field("sids", "boolean", "Small Island Developing State."),
    Field("overall", "number", "Overall score, 0 to 100, two decimals."),
    *(
        Field(
            f"pillar_{code}",
            "number",
            f"Score of the {code} pillar (0 to its maximum, "
            "20 when the pillars weigh the same), two decimals.",
            nullable=True,
        )
        for code in PILLAR_CODES
    ),
    Field("tier", "integer", "Tier number, 1 the strongest.", nullable=True),
    Field("tier_name", "string", "Tier name.", nullable=True),
    Field(
        "rank",
        "integer",
        "Global rank (dense: ties share a rank); empty when the edition publishes tiers only.",
        nullable=True,
    ),
    Field("rank_region", "integer", "Rank within the ITU region; empty as above.", nullable=True),
    Field(
        "change",
        "number",
        "Change of the overall score since the previous edition; empty without a previous result.",
        nullable=True,
    ),
)
CSV_COLUMNS = [f.name for f in FIELDS]


def record(published: Published, row: Row) -> dict:
    c = row.country
    out = {
        "cycle": published.cycle.code,
        "iso3": c.iso3,
        "iso2": c.iso2,
        "country": c.name,
        "itu_region": c.itu_region,
        "ldc": c.ldc,
        "lldc": c.lldc,
        "sids": c.sids,
        "overall": row.overall,
        "tier": row.tier,
        "tier_name": row.tier_name,
        "rank": row.rank,
        "rank_region": row.rank_region,
        "change": row.change,
    }
    for code in PILLAR_CODES:
        out[f"pillar_{code}"] = row.pillars.get(code)
    return {name: out[name] for name in CSV_COLUMNS}


def about(published: Published) -> dict:
    return {
        "cycle": published.cycle.code,
        "cycle_name": published.cycle.name,
        "year": published.cycle.year,
        "snapshot": published.snapshot.id,
        "published_at": as_utc(published.snapshot.published_at).isoformat(),
        "ranks_published": published.ranks,
        "placeholder_weights": published.snapshot.placeholder_weights,
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
    }


def to_csv(published: Published, all_rows: Iterable[Row]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in all_rows:
        values = record(published, row)
        values.update({k: int(v) for k, v in values.items() if isinstance(v, bool)})
        writer.writerow(values)
    return buffer.getvalue()


def to_json(published: Published, all_rows: Iterable[Row], schema_url: str) -> dict:
    return {
        "$schema": schema_url,
        **about(published),
        "results": [record(published, row) for row in all_rows],
    }


def json_schema(schema_id: str) -> dict:
    def typed(f: Field) -> dict:
        kind = [f.type, "null"] if f.nullable else f.type
        return {"type": kind, "description": f.description}

    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_id,
        "title": "CyberReady GCI published results",
        "type": "object",
        "required": ["cycle", "snapshot", "published_at", "licence", "results"],
        "properties": {
            "$schema": {"type": "string"},
            "cycle": {"type": "string"},
            "cycle_name": {"type": "string"},
            "year": {"type": "integer"},
            "snapshot": {"type": "integer", "description": "Id of the published snapshot."},
            "published_at": {"type": "string", "format": "date-time"},
            "ranks_published": {"type": "boolean"},
            "placeholder_weights": {
                "type": "boolean",
                "description": "True when the scores were computed with placeholder "
                "weights, not ITU's: then they are not official GCI results.",
            },
            "licence": {"type": "string"},
            "licence_url": {"type": "string"},
            "results": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": CSV_COLUMNS,
                    "additionalProperties": False,
                    "properties": {f.name: typed(f) for f in FIELDS},
                },
            },
        },
    }
