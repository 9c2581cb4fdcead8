"""Public results: ranking with filters, search and sorting, tiers, profiles, regions, open
data, PDFs; and nothing unpublished or provisional ever shows."""

import csv
import io
import json
import re
import unicodedata

import jsonschema
import pytest
from flask_babel import force_locale
from flask_babel import gettext as babel_gettext
from pypdf import PdfReader
from sqlalchemy import event
from sqlmodel import select

from core import db as core_db
from core.models import Country
from gci.cycles import service as cycles
from gci.models import Answer, CountryResult, Snapshot
from gci.results import open_data, snapshots
from tests.conftest import login
from tests.gci.frameworks import small

# Published T-2026 (official points): EGY 40, FJI 22.5, KEN 20 (40 provisional: q9 awaits
# acceptance), MWI 20. The previous edition T-2020 (historic): KEN 15, EGY 45.
ANSWERS = [
    ("KEN", "q8", "yes", True),
    ("KEN", "q9", "yes", False),
    ("EGY", "q8", "yes", True),
    ("EGY", "q7", "yes", True),
    ("FJI", "q8", "yes", True),
    ("FJI", "q2", "partial", True),
    ("MWI", "q7", "yes", True),
]
UNPUBLISHED_KEN = "25.00"  # Kenya in the newer, unpublished snapshot


@pytest.fixture
def results(app, users):
    with app.app_context():
        session = core_db.session()
        ids = {c.iso3: c.id for c in session.exec(select(Country))}
        previous = snapshots.import_historic(
            session,
            "iso3,overall\nKEN,15\nEGY,45\n",
            cycle_code="T-2020",
            name="Test 2020",
            year=2020,
        )
        version = cycles.load_framework(
            session,
            small(),
            cycle_code="T-2026",
            name="Test 2026",
            year=2026,
            previous_code="T-2020",
        )
        cycle = cycles.cycle_by_code(session, "T-2026")
        for iso3, code, value, accepted in ANSWERS:
            session.add(Answer.new(cycle.id, ids[iso3], code, value, accepted))
        session.flush()
        published = snapshots.recompute(session, cycle)
        snapshots.publish(session, published)
        # A newer snapshot, not published: Kenya's q2 accepted since.
        session.add(Answer.new(cycle.id, ids["KEN"], "q2", "yes", accepted=True))
        session.flush()
        draft = snapshots.recompute(session, cycle)
        session.commit()
        return {
            "cycle": cycle,
            "version": version,
            "published": published.id,
            "draft": draft.id,
            "previous": previous.id,
        }


def page(client, path, **kwargs):
    response = client.get(path, **kwargs)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def names_in_order(html):
    return re.findall(r'href="/results/countries/([A-Z]{3})[?"]', html)


def test_ranking_shows_the_published_snapshot_best_first(client, results):
    html = page(client, "/results/")
    assert names_in_order(html) == ["EGY", "FJI", "KEN", "MWI"]
    assert "40.00" in html and "22.50" in html
    assert UNPUBLISHED_KEN not in html
    assert "+5.00" in html and "-5.00" in html  # change since T-2020
    assert "CC BY 4.0" in html
    assert 'href="/results/data.csv?cycle=T-2026"' in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("region=Africa", ["KEN", "MWI"]),
        ("group=ldc", ["MWI"]),
        ("group=sids", ["FJI"]),
        ("region=Africa&group=sids", []),
        ("q=ken", ["KEN"]),
        ("q=egy", ["EGY"]),  # ISO code
        ("q=I", ["FJI", "MWI"]),  # part of the name, any case
        ("sort=name&order=asc", ["EGY", "FJI", "KEN", "MWI"]),
        ("sort=name&order=desc", ["MWI", "KEN", "FJI", "EGY"]),
        ("sort=overall&order=asc", ["KEN", "MWI", "FJI", "EGY"]),
        ("sort=LEG", ["FJI", "EGY", "KEN", "MWI"]),
        ("sort=change", ["KEN", "EGY", "FJI", "MWI"]),  # no change (no T-2020 result) last
        ("sort=nonsense&region=Nowhere&group=xyz", ["EGY", "FJI", "KEN", "MWI"]),
    ],
)
def test_ranking_filters_searches_and_sorts_on_the_server(client, results, query, expected):
    html = page(client, f"/results/?{query}")
    assert names_in_order(html) == expected
    if not expected:
        assert "No country matches these filters." in html


def test_sort_headers_link_to_the_other_direction(client, results):
    html = page(client, "/results/?sort=overall&region=Africa")
    assert 'aria-sort="descending"' in html
    assert "sort=overall&amp;order=asc" in html and "region=Africa" in html


def test_tiers_page_explains_each_tier_with_its_count(client, results):
    html = page(client, "/results/tiers")
    assert "Evolving" in html and "Building" in html and "95.00 to 100" in html
    # EGY 40, FJI 22.5, KEN 20, MWI 20: four countries in Evolving (20 to under 55)
    assert re.search(r"Evolving</th>\s*<td>20.00 to under 55.00</td>\s*<td[^>]*><a[^>]*>4<", html)


def test_country_profile(client, results):
    html = page(client, "/results/countries/ken")  # any case
    assert "<h1>Kenya</h1>" in html
    assert "20.00" in html and "Tier 4, Evolving" in html
    assert "Change since Test 2020" in html and "+5.00" in html
    assert "Africa average" in html
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 2
    assert 'role="img"' in html and "style=" not in html.split("<main")[1]
    assert "Strongest and weakest indicators" in html
    assert 'href="/results/countries/KEN.pdf?cycle=T-2026"' in html
    assert UNPUBLISHED_KEN not in html and "40.00" not in html  # neither draft nor provisional
    malawi = page(client, "/results/countries/MWI")
    assert "LDC average" in malawi and "LLDC average" in malawi


@pytest.mark.parametrize(
    "path",
    [
        "/results/countries/XXX",
        "/results/countries/FRA",  # a country without a result
        "/results/countries/KEN?cycle=NOPE",
        "/results/regions/atlantis",
        "/results/countries/XXX.pdf",
        "/results/data.csv?cycle=NOPE",
    ],
)
def test_unknown_things_are_404(client, results, path):
    assert client.get(path).status_code == 404


def test_regional_page(client, results):
    html = page(client, "/results/regions/africa")
    assert names_in_order(html) == ["KEN", "MWI"]
    assert "20.00" in html and "Global average" in html and 'role="img"' in html


def test_earlier_editions_stay_available(client, results):
    html = page(client, "/results/?cycle=T-2020")
    assert names_in_order(html) == ["EGY", "KEN"]
    assert "45.00" in html


def _db_results(session, snapshot_id):
    rows = session.exec(
        select(CountryResult, Country).join(Country).where(CountryResult.snapshot_id == snapshot_id)
    ).all()
    return {c.iso3: r for r, c in rows}


def test_csv_download_matches_the_database(client, results, session):
    response = client.get("/results/data.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    reader = csv.DictReader(io.StringIO(response.get_data(as_text=True)))
    assert reader.fieldnames == open_data.CSV_COLUMNS
    rows = {r["iso3"]: r for r in reader}
    stored = _db_results(session, results["published"])
    assert set(rows) == set(stored)
    for iso3, result in stored.items():
        assert float(rows[iso3]["overall"]) == round(result.overall, 2)
        for code, value in result.pillars.items():
            assert float(rows[iso3][f"pillar_{code}"]) == round(value, 2)
        assert rows[iso3]["tier_name"] == result.tier_name
        assert int(rows[iso3]["rank"]) == result.rank_global
    assert rows["KEN"]["change"] == "5.0" and rows["FJI"]["change"] == ""
    assert rows["MWI"]["ldc"] == "1" and rows["KEN"]["ldc"] == "0"


def test_json_download_follows_its_schema_and_matches_the_database(client, results, session):
    schema = client.get("/results/schema.json").json
    document = client.get("/results/data.json").json
    jsonschema.validate(document, schema)
    assert document["$schema"].endswith("/results/schema.json")
    assert document["licence"] == "CC BY 4.0"
    # The link comes from PUBLIC_BASE_URL, never from the Host a request names: this reply
    # is publicly cacheable, and a forged Host would reach everyone who gets it from a cache.
    forged = client.get("/results/data.json", headers={"Host": "evil.example"}).json
    assert (
        forged["$schema"] == client.application.config["PUBLIC_BASE_URL"] + "/results/schema.json"
    )
    forged_schema = client.get("/results/schema.json", headers={"Host": "evil.example"}).json
    assert "evil.example" not in json.dumps(forged_schema)
    assert document["snapshot"] == results["published"]
    stored = _db_results(session, results["published"])
    for record in document["results"]:
        result = stored[record["iso3"]]
        assert record["overall"] == round(result.overall, 2)
        assert record["pillar_CAP"] == round(result.pillars["CAP"], 2)
        assert set(record) == set(open_data.CSV_COLUMNS)  # nothing provisional, no items
    # the documented field list is the schema's
    assert list(schema["properties"]["results"]["items"]["properties"]) == open_data.CSV_COLUMNS


def test_open_data_documentation_lists_every_field():
    from pathlib import Path

    text = (Path(open_data.__file__).parent / "OPEN_DATA.md").read_text()
    for name in open_data.CSV_COLUMNS:
        assert f"`{name}`" in text, name
    assert "CC BY 4.0" in text


def test_open_data_csv_guards_text_cells_and_keeps_numbers():
    """The CSV goes through core.tables: a text cell a spreadsheet would run as a formula
    is guarded (the export wrote it raw before); numbers, a minus sign included, are not."""
    from types import SimpleNamespace

    from gci.results.publication import Row

    country = SimpleNamespace(iso3="KEN", iso2="KE", name="=HYPERLINK(1)", itu_region="Africa",
                              ldc=False, lldc=False, sids=False)  # fmt: skip
    row = Row(country, 50.5, {"LEG": 10.0}, 3, "@tier", None, None, -1.25, None)
    edition = SimpleNamespace(cycle=SimpleNamespace(code="T-2026"))
    (record,) = csv.DictReader(io.StringIO(open_data.to_csv(edition, [row])))
    assert record["country"] == "'=HYPERLINK(1)" and record["tier_name"] == "'@tier"
    assert (record["overall"], record["change"], record["ldc"]) == ("50.5", "-1.25", "0")


PUBLIC_PATHS = [
    "/results/",
    "/results/?sort=name",
    "/results/tiers",
    "/results/countries/KEN",
    "/results/regions/africa",
    "/results/data.csv",
    "/results/data.json",
]


def test_nothing_unpublished_leaks(app, client, results, users):
    # A newer cycle computed but not published must not replace the published one.
    with app.app_context():
        session = core_db.session()
        cycles.load_framework(session, small(), cycle_code="T-2030", year=2030)
        cycle = cycles.cycle_by_code(session, "T-2030")
        kenya = session.exec(select(Country).where(Country.iso3 == "KEN")).one()
        session.add(Answer.new(cycle.id, kenya.id, "q4", ["a"], accepted=True))
        session.flush()
        snapshots.recompute(session, cycle)  # KEN 3.75, unpublished
        session.commit()
    login(client, users["admin"].email)  # even staff see only published results here
    for path in PUBLIC_PATHS:
        body = page(client, path)
        assert UNPUBLISHED_KEN not in body, path
        assert "T-2030" not in body, path
        assert "3.75" not in body, path
    assert client.get("/results/?cycle=T-2030").status_code == 404
    assert client.get("/results/data.json?cycle=T-2030").status_code == 404
    assert "provisional" not in client.get("/results/data.json").get_data(as_text=True)


def test_no_results_published_yet(client, users):
    html = page(client, "/results/")
    assert "No results have been published yet." in html
    assert client.get("/results/data.csv").status_code == 404


def test_pages_answer_conditional_requests(app, client, results):
    first = client.get("/results/countries/KEN")
    etag = first.headers["ETag"]
    assert "no-cache" in first.headers["Cache-Control"]
    again = client.get("/results/countries/KEN", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    data = client.get("/results/data.csv")
    assert data.cache_control.public and data.cache_control.max_age == 300
    # publishing changes every ETag
    with app.app_context():
        session = core_db.session()
        snapshots.publish(session, session.get(Snapshot, results["draft"]))
        session.commit()
    fresh = client.get("/results/countries/KEN", headers={"If-None-Match": etag})
    assert fresh.status_code == 200 and UNPUBLISHED_KEN in fresh.get_data(as_text=True)


def test_published_results_are_read_once_per_publication(app, client, results):
    """The ranking and the profiles reuse an edition's rows (a published snapshot never
    changes) until the next publication."""
    page(client, "/results/")
    with app.app_context():
        engine = core_db.engine()
    statements = []

    def note(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        page(client, "/results/")
        page(client, "/results/countries/EGY")
    finally:
        event.remove(engine, "before_cursor_execute", note)
    from_results = [s for s in statements if "FROM gci_result JOIN country" in s]
    assert statements and from_results == []
    with app.app_context():
        session = core_db.session()
        snapshots.publish(session, session.get(Snapshot, results["draft"]))
        session.commit()
    assert UNPUBLISHED_KEN in page(client, "/results/")


# --- PDFs --------------------------------------------------------------------------------


def pdf_pages(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/pdf"
    return [p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages]


def test_public_profile_pdf(client, results, session):
    pages = pdf_pages(client.get("/results/countries/KEN.pdf"))
    text = "\n".join(pages)
    for section in [
        "GCI country profile",
        "Scores and tier",
        "Pillar chart",
        "Comparison with region and group",
        "Strengths and areas to improve",
        "Indicators",
    ]:
        assert section in text, section
    result = _db_results(session, results["published"])["KEN"]
    assert f"Overall score {result.overall:.2f} / 100." in text
    for value in result.pillars.values():
        assert f"{value:.2f}" in text
    assert "Change since Test 2020: +5.00 points." in text
    # the charts: their legends and axis labels are text in the PDF
    assert re.search(r"Capacity Development\s+100.0%", text) and "Africa average" in text
    assert all("TLP:CLEAR" in p for p in pages) and "DRAFT" not in text
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]
    assert UNPUBLISHED_KEN not in text and "40.00" not in text


def test_draft_pdf_for_the_focal_point_of_that_country(client, results, users):
    assert client.get("/gci/countries/KEN/draft.pdf").status_code == 302  # sign in first
    login(client, users["other_focal_point"].email)  # France's: learns nothing of Kenya's
    assert client.get("/gci/countries/KEN/draft.pdf").status_code == 404


def test_draft_pdf_shows_provisional_scores_marked_draft_on_every_page(app, client, results, users):
    login(client, users["focal_point"].email)  # Kenya's
    response = client.get("/gci/countries/KEN/draft.pdf")
    pages = pdf_pages(response)
    assert "no-store" in response.headers["Cache-Control"]
    assert len(pages) >= 2
    for text in pages:
        assert text.count("DRAFT") >= 2, text[:200]  # header and the diagonal mark
        assert "TLP:AMBER" in text
    text = " ".join("\n".join(pages).split())  # a sentence may wrap
    # answers as given: q8 20 + q9 20 + q2 5 = 45; accepted only: 25
    assert "Provisional overall score 45.00 / 100" in text
    assert "25.00 / 100 counting only the answers the analysts have accepted" in text
    # the unaccepted q9 is worth most: 20 points (COO's only weighted question)
    assert "What would raise the score most" in text and "q9 Question q9?: +20.00 points" in text
    assert client.get("/gci/countries/FRA/draft.pdf").status_code == 404
    analyst = app.test_client()
    login(analyst, users["analyst"].email)
    assert analyst.get("/gci/countries/FRA/draft.pdf").status_code == 200


def test_profile_pdf_in_arabic(app, client, results, session):
    kenya = session.exec(select(Country).where(Country.iso3 == "KEN")).one()
    kenya.name = "كينيا"
    session.add(kenya)
    session.commit()
    pages = pdf_pages(client.get("/results/countries/KEN.pdf", headers={"Accept-Language": "ar"}))
    text = unicodedata.normalize("NFKC", "\n".join(pages))
    assert "كينيا" in text  # shaped for drawing, extracted in reading order
    with app.test_request_context(), force_locale("ar"):
        heading = babel_gettext("Scores and tier")
    assert heading != "Scores and tier"  # translated
    assert unicodedata.normalize("NFKC", heading) in text
    assert "20.00" in text


def test_json_has_stable_types(client, results):
    body = json.loads(client.get("/results/data.json").data)
    kenya = next(r for r in body["results"] if r["iso3"] == "KEN")
    assert isinstance(kenya["overall"], float) and isinstance(kenya["ldc"], bool)
    assert isinstance(kenya["rank"], int)
