"""The GCI open data: one documented field list (FIELDS) for the CSV and JSON downloads of a
published edition, their records, and the JSON Schema the JSON document follows. The field
list and schema are what gci/results/OPEN_DATA.md documents for reusers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from core import tables
from core.models import as_utc
from gci.framework.model import PILLAR_CODES
from gci.results.publication import Published, Row

LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


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
    """The records as CSV through core.tables (every text cell guarded); booleans as 1/0."""

    def cells(row: Row) -> dict:
        values = record(published, row)
        return {k: int(v) if isinstance(v, bool) else v for k, v in values.items()}

    return tables.write(CSV_COLUMNS, (cells(row) for row in all_rows))


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
