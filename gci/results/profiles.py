"""Country profiles: a country's published result with its averages, indicators and history
(the public page and PDF), and the draft profile of its current answers for its focal point,
from the same scoring engine and always marked as a draft."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from sqlmodel import Session, select

from core.models import Country, as_utc
from gci.cycles import service as cycles
from gci.framework.model import PILLAR_CODES, Framework, Indicator
from gci.models import Answer, Cycle
from gci.results import scoring, snapshots
from gci.results.publication import (
    Average,
    Published,
    Row,
    current,
    group_averages,
    published_cycles,
    region_average,
    rows,
)


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
    result = snapshots.country_result(session, published.snapshot, country)
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
        result = snapshots.country_result(session, published.snapshot, country)
        if result is None:
            continue
        out.append(
            (
                published.cycle,
                Row(
                    country,
                    scoring.published(result.overall),
                    {k: scoring.published(v) for k, v in result.pillars.items()},
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
    for cycle in cycles.cycles(session):
        if cycle.historic:
            continue
        version = cycles.current_framework(session, cycle)
        if version is not None:
            return cycle, cycles.parsed(version)
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
        overall=scoring.published(score.provisional_overall),
        pillars={k: scoring.published(v) for k, v in score.provisional_pillars.items()},
        pillar_max=framework.pillar_max,
        pillar_names=pillar_names(framework),
        tier=tier.tier if tier else None,
        tier_name=tier.name if tier else None,
        indicators=indicator_scores(framework, provisional),
        placeholder_weights=framework.placeholder_weights,
        draft=True,
        official_overall=scoring.published(score.overall),
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
