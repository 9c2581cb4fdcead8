"""The reviewed country data file core/data/countries.csv: counts, codes and spot checks.

Pure: reads the CSV with the standard library and compares it with pycountry; no app import.
The expected numbers are the ones documented in core/data/COUNTRIES.md; a change to the
data file that moves them must update both.
"""

import csv
from collections import Counter
from pathlib import Path

import pycountry
import pytest

DATA_FILE = Path(__file__).parents[2] / "core/data/countries.csv"

COLUMNS = ["iso3", "iso2", "numeric", "name", "itu_region", "ldc", "lldc", "sids", "itu_member"]
REGION_COUNTS = {
    "Africa": 44,
    "Americas": 35,
    "Arab States": 21,
    "Asia-Pacific": 39,
    "CIS": 9,
    "Europe": 45,
}
GROUP_COUNTS = {"ldc": 44, "lldc": 32, "sids": 38}

# iso3: (itu_region, ldc, lldc, sids)
SPOT_CHECKS = {
    "EGY": ("Arab States", "0", "0", "0"),
    "SDN": ("Arab States", "1", "0", "0"),
    "SOM": ("Arab States", "1", "0", "0"),
    "COM": ("Arab States", "1", "0", "1"),
    "BHR": ("Arab States", "0", "0", "1"),
    "SSD": ("Africa", "1", "1", "0"),
    "STP": ("Africa", "0", "0", "1"),
    "KAZ": ("CIS", "0", "1", "0"),
    "RUS": ("CIS", "0", "0", "0"),
    "FJI": ("Asia-Pacific", "0", "0", "1"),
    "PLW": ("Asia-Pacific", "0", "0", "1"),
    "NPL": ("Asia-Pacific", "1", "1", "0"),
    "BGD": ("Asia-Pacific", "1", "0", "0"),
    "LAO": ("Asia-Pacific", "1", "1", "0"),
    "BTN": ("Asia-Pacific", "0", "1", "0"),
    "IRN": ("Asia-Pacific", "0", "0", "0"),
    "FRA": ("Europe", "0", "0", "0"),
    "ISR": ("Europe", "0", "0", "0"),
    "TUR": ("Europe", "0", "0", "0"),
    "MDA": ("Europe", "0", "1", "0"),
    "BRA": ("Americas", "0", "0", "0"),
    "HTI": ("Americas", "1", "0", "1"),
}


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    with DATA_FILE.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == COLUMNS
        return list(reader)


@pytest.fixture(scope="module")
def by_iso3(rows) -> dict[str, dict[str, str]]:
    return {row["iso3"]: row for row in rows}


def test_193_itu_members(rows):
    assert len(rows) == 193
    assert sum(row["itu_member"] == "1" for row in rows) == 193


def test_sorted_by_iso3(rows):
    iso3s = [row["iso3"] for row in rows]
    assert iso3s == sorted(iso3s)


@pytest.mark.parametrize("column", ["iso3", "iso2", "numeric", "name"])
def test_unique(rows, column):
    values = [row[column] for row in rows]
    assert len(set(values)) == len(values), [v for v, n in Counter(values).items() if n > 1]


def test_codes_match_pycountry(rows):
    mismatches = []
    for row in rows:
        country = pycountry.countries.get(alpha_3=row["iso3"])
        if country is None or (country.alpha_2, country.numeric) != (row["iso2"], row["numeric"]):
            mismatches.append(row["iso3"])
    assert mismatches == []


def test_names_are_filled(rows):
    assert all(row["name"].strip() == row["name"] != "" for row in rows)


def test_flags_are_binary(rows):
    for row in rows:
        for flag in ("ldc", "lldc", "sids", "itu_member"):
            assert row[flag] in {"0", "1"}, (row["iso3"], flag, row[flag])


def test_regions_are_the_six(rows):
    assert {row["itu_region"] for row in rows} <= set(REGION_COUNTS)


def test_region_counts(rows):
    assert Counter(row["itu_region"] for row in rows) == REGION_COUNTS


@pytest.mark.parametrize(("group", "expected"), GROUP_COUNTS.items())
def test_group_counts(rows, group, expected):
    assert sum(row[group] == "1" for row in rows) == expected


@pytest.mark.parametrize(("iso3", "expected"), SPOT_CHECKS.items())
def test_spot_checks(by_iso3, iso3, expected):
    row = by_iso3[iso3]
    assert (row["itu_region"], row["ldc"], row["lldc"], row["sids"]) == expected
