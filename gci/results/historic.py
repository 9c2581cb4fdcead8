"""Published results of an earlier edition, read from CSV and checked before anything is
stored. Pure: no Flask, no session.

Columns: `iso3` and `overall` are required; `LEG, TEC, ORG, CAP, COO` (pillar scores), `tier`
and `rank` are optional, and a file may carry overall scores only. The arithmetic must hold:
pillars sum to the overall within the rounding of the published figures, a given rank agrees
with the dense ranking of the overall scores, a given tier with the cycle's thresholds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core import tables
from core.domain import DomainError
from gci.framework.model import PILLAR_CODES, Tier
from gci.results.scoring import PUBLISHED_DIGITS, dense_ranks, tier_for

MAX_ROWS = 1000


@dataclass(frozen=True)
class HistoricRow:
    line: int
    iso3: str
    overall: float
    pillars: dict[str, float] = field(default_factory=dict)
    tier: int | None = None
    rank: int | None = None


class HistoricFileError(DomainError):
    """A results file that cannot be imported (422); `problems` lists every reason."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s): " + "; ".join(problems[:5]))


def _number(raw: str, line: int, column: str, problems: list[str], kind=float):
    try:
        return kind(raw)
    except ValueError:
        problems.append(f"line {line}: {column} {raw!r} is not a number")
        return None


def read(
    text: str,
    tiers: tuple[Tier, ...] = (),
    known_iso3: set[str] | None = None,
    decimals: int = PUBLISHED_DIGITS,
) -> list[HistoricRow]:
    """The rows of a historic results file (CSV read by core.tables: with or without a
    byte-order mark, line numbers as in the file), or HistoricFileError listing every
    problem."""
    problems: list[str] = []
    try:
        columns, records = tables.dict_rows(text, ",")
    except tables.TableError as error:
        raise HistoricFileError([f"not a CSV file: {error}"]) from error
    missing = {"iso3", "overall"} - set(columns)
    if missing:
        raise HistoricFileError([f"line 1: missing column(s) {', '.join(sorted(missing))}"])
    unknown = set(columns) - {"iso3", "overall", "tier", "rank", "name", *PILLAR_CODES}
    if unknown:
        problems.append(f"line 1: unknown column(s) {', '.join(sorted(unknown))}")
    pillar_columns = [c for c in PILLAR_CODES if c in columns]
    if pillar_columns and len(pillar_columns) != len(PILLAR_CODES):
        problems.append("line 1: give all five pillar columns or none")
    tolerance = 0.5 * 10**-decimals * (len(pillar_columns) + 1)
    rows: list[HistoricRow] = []
    seen: set[str] = set()
    for count, record in enumerate(records, start=1):
        if count > MAX_ROWS:
            problems.append(f"more than {MAX_ROWS} rows")
            break
        row = _row(record, pillar_columns, tolerance, known_iso3, seen, problems)
        if row is not None:
            rows.append(row)
    _check_ranks_and_tiers(rows, tiers, problems)
    if not rows and not problems:
        problems.append("the file has no rows")
    if problems:
        raise HistoricFileError(problems)
    return rows


def _row(record: tables.Row, pillar_columns, tolerance, known_iso3, seen, problems):
    """One data row checked (problems appended with its line), or None without an overall."""
    line = record.line
    iso3 = record.get("iso3").strip().upper()
    if known_iso3 is not None and iso3 not in known_iso3:
        problems.append(f"line {line}: unknown country code {iso3!r}")
    if iso3 in seen:
        problems.append(f"line {line}: {iso3} appears twice")
    seen.add(iso3)
    overall = _number(record.get("overall"), line, "overall", problems)
    if overall is not None and not 0 <= overall <= 100:
        problems.append(f"line {line}: overall {overall} is outside 0-100")
    pillars = {}
    for column in pillar_columns:
        value = _number(record.get(column), line, column, problems)
        if value is not None:
            pillars[column] = value
    if overall is not None and len(pillars) == len(PILLAR_CODES):
        total = sum(pillars.values())
        if abs(total - overall) > tolerance:
            problems.append(
                f"line {line}: {iso3} pillars add up to {total:.2f}, not the overall {overall:.2f}"
            )
        for code, value in pillars.items():
            if not 0 <= value <= 20:
                problems.append(f"line {line}: {code} {value} is outside 0-20")
    tier = rank = None
    if record.get("tier").strip():
        tier = _number(record.get("tier"), line, "tier", problems, int)
    if record.get("rank").strip():
        rank = _number(record.get("rank"), line, "rank", problems, int)
    if overall is None:
        return None
    return HistoricRow(line, iso3, overall, pillars, tier, rank)


def _check_ranks_and_tiers(rows, tiers, problems) -> None:
    ranks = dense_ranks({row.iso3: row.overall for row in rows})
    for row in rows:
        if row.rank is not None and row.rank != ranks[row.iso3]:
            problems.append(
                f"line {row.line}: {row.iso3} has rank {row.rank}, but its overall "
                f"{row.overall:.2f} ranks {ranks[row.iso3]}"
            )
        if row.tier is not None:
            if not tiers:
                problems.append(f"line {row.line}: a tier is given but the cycle has no tiers")
                continue
            expected = tier_for(row.overall, tiers)
            if expected is None or expected.tier != row.tier:
                problems.append(
                    f"line {row.line}: {row.iso3} has tier {row.tier}, but an overall of "
                    f"{row.overall:.2f} is tier {expected.tier if expected else '-'}"
                )
