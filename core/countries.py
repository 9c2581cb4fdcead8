"""Countries and ITU regions: the reviewed data file core/data/countries.csv is the source
(see core/data/COUNTRIES.md); `sync` makes the table equal to it without touching ids."""

from __future__ import annotations

import csv
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from core.models import Country, ItuRegion

DATA_FILE = Path(__file__).parent / "data" / "countries.csv"
GROUPS = ("ldc", "lldc", "sids")
GROUP_LABELS = {
    "ldc": _l("Least Developed Countries"),
    "lldc": _l("Landlocked Developing Countries"),
    "sids": _l("Small Island Developing States"),
}


def read_data_file(path: Path = DATA_FILE) -> list[dict]:
    """The rows of the data file as Country field values."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [
        {
            "iso3": row["iso3"],
            "iso2": row["iso2"],
            "numeric": row["numeric"].zfill(3),
            "name": row["name"],
            "itu_region": ItuRegion(row["itu_region"]).value,
            **{flag: row[flag] == "1" for flag in (*GROUPS, "itu_member")},
        }
        for row in rows
    ]


def sync(session: Session, path: Path = DATA_FILE) -> int:
    """Insert or update every country of the data file; returns how many rows changed."""
    existing = {c.iso3: c for c in session.exec(select(Country))}
    changed = 0
    for values in read_data_file(path):
        country = existing.get(values["iso3"])
        if country is None:
            session.add(Country(**values))
            changed += 1
            continue
        if any(getattr(country, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(country, key, value)
            session.add(country)
            changed += 1
    return changed


def list_countries(
    session: Session, region: str | None = None, group: str | None = None
) -> list[Country]:
    query = select(Country).order_by(Country.name)
    if region:
        query = query.where(Country.itu_region == region)
    if group in GROUPS:
        query = query.where(getattr(Country, group).is_(True))
    return list(session.exec(query))


def by_iso3(session: Session, iso3: str) -> Country | None:
    return session.exec(select(Country).where(Country.iso3 == iso3.upper())).first()


def names_by_id(session: Session) -> dict[int, str]:
    return dict(session.exec(select(Country.id, Country.name)).all())
