import pytest
from sqlmodel import func, select

from core import db as core_db
from core.models import AuditEvent, Country
from gci.cycles import service as cycles
from gci.framework.validator import FrameworkError
from gci.models import Answer, CountryResult, Cycle, FrameworkVersion, Snapshot
from gci.results import historic, snapshots
from tests.gci.frameworks import GCI_TIERS, small

HISTORIC_HEADER = "iso3,overall,LEG,TEC,ORG,CAP,COO,tier,rank\n"


@pytest.fixture
def ctx(app, countries):
    with app.app_context():
        yield core_db.session()


def answer(session, cycle, iso3, code, value, accepted=True):
    country = session.exec(select(Country).where(Country.iso3 == iso3)).one()
    session.add(Answer.new(cycle.id, country.id, code, value, accepted))


def count(session, model):
    return session.exec(select(func.count()).select_from(model)).one()


def test_load_recompute_publish_and_a_new_snapshot_shows_the_difference(ctx):
    version = cycles.load_framework(ctx, small(), cycle_code="T-2026", year=2026)
    cycle = cycles.cycle_by_code(ctx, "T-2026")
    answer(ctx, cycle, "KEN", "q8", "yes")  # 20 points
    answer(ctx, cycle, "KEN", "q9", "yes", accepted=False)  # provisional only
    answer(ctx, cycle, "EGY", "q7", "yes")
    answer(ctx, cycle, "FRA", "q7", "yes")
    first = snapshots.recompute(ctx, cycle)
    snapshots.publish(ctx, first)
    ctx.commit()
    rows = {r.country.iso3: r for r in snapshots.results(ctx, first)}
    assert set(rows) == {"KEN", "EGY", "FRA"}
    assert rows["KEN"].result.overall == pytest.approx(20)
    assert rows["KEN"].result.provisional_overall == pytest.approx(40)
    assert rows["KEN"].result.rank_global == rows["EGY"].result.rank_global == 1  # tie
    assert rows["EGY"].result.rank_region == 1  # Arab States
    assert ctx.get(FrameworkVersion, version.id).frozen

    # the analyst accepts KEN's q9: recomputing makes a new snapshot, the first stays as it was
    row = ctx.exec(select(Answer).where(Answer.question_code == "q9")).one()
    row.accepted = True
    ctx.add(row)
    second = snapshots.recompute(ctx, cycle)
    ctx.commit()
    assert snapshots.results(ctx, first)[0].result.overall == pytest.approx(20)
    changes = snapshots.difference(ctx, first, second)
    assert [(d.country.iso3, d.delta) for d in changes] == [("KEN", 20)]
    with pytest.raises(cycles.GciError, match="published already"):
        snapshots.publish(ctx, first)
    actions = {e.action for e in ctx.exec(select(AuditEvent))}
    assert {"gci.framework.saved", "gci.snapshot.computed", "gci.snapshot.published"} <= actions


def test_editing_a_frozen_framework_makes_a_new_version(ctx):
    version = cycles.load_framework(ctx, small(), cycle_code="T-2026", year=2026)
    version.frozen = True
    edited = cycles.edit_node(ctx, version, "q8", {"weight": 3, "text": "New wording?"})
    assert edited.id != version.id and edited.version == 2
    assert cycles.parsed(edited).questions["q8"].text == "New wording?"
    assert cycles.parsed(version).questions["q8"].text == "Question q8?"
    again = cycles.edit_node(ctx, edited, "LEG.1", {"name": "Renamed"})
    assert again.id == edited.id  # a draft is edited in place


def test_an_edit_that_breaks_the_framework_is_refused_whole(ctx):
    version = cycles.load_framework(ctx, small(), cycle_code="T-2026", year=2026)
    ctx.commit()
    with pytest.raises(FrameworkError, match="weight must not be negative"):
        cycles.edit_node(ctx, version, "q8", {"weight": -2})
    with pytest.raises(cycles.GciError, match="No pillar, indicator or question"):
        cycles.edit_node(ctx, version, "zz", {"weight": 1})
    with pytest.raises(cycles.GciError, match="can be edited"):
        cycles.edit_node(ctx, version, "q8", {"answer_type": "text"})
    ctx.rollback()
    assert ctx.get(FrameworkVersion, version.id).document == small()


def test_clone_starts_a_new_cycle_that_compares_with_the_old(ctx):
    version = cycles.load_framework(ctx, small(), cycle_code="T-2026", year=2026)
    clone = cycles.clone_framework(ctx, version, cycle_code="T-2027", name="Test 2027", year=2027)
    cycle = ctx.get(Cycle, clone.cycle_id)
    assert cycle.previous_cycle_id == version.cycle_id
    assert set(cycles.parsed(clone).questions) == set(cycles.parsed(version).questions)


def test_a_bad_framework_file_stores_nothing(ctx):
    document = small()
    document["pillars"][0]["indicators"][0]["questions"][0]["weight"] = -1
    with pytest.raises(FrameworkError):
        cycles.load_framework(ctx, document, cycle_code="T-2026", year=2026)
    ctx.rollback()
    assert count(ctx, FrameworkVersion) == 0


def test_what_if_scores_without_saving(ctx):
    version = cycles.load_framework(ctx, small(), cycle_code="T-2026", year=2026)
    result = snapshots.what_if(cycles.parsed(version), {"q8": "yes", "q5": 5})
    assert result.overall == pytest.approx(22.5)
    assert count(ctx, Answer) == 0


def historic_file(*rows):
    return HISTORIC_HEADER + "".join(r + "\n" for r in rows)


GOOD_HISTORIC = historic_file(
    "USA,100,20,20,20,20,20,1,1",
    "GBR,99.54,20,19.54,20,20,20,1,2",
    "SAU,99.54,20,20,19.54,20,20,1,2",
    "KEN,61.25,15.5,11.25,12.5,10,12,3,3",
    "NPL,19.99,5,4,3,4,3.99,5,4",
)


def test_historic_import_matches_the_file_row_by_row(ctx):
    snapshot = snapshots.import_historic(
        ctx, GOOD_HISTORIC, cycle_code="GCI-2020", name="GCI 2020", year=2020, tiers=GCI_TIERS
    )
    ctx.commit()
    expected = {line.split(",")[0]: line.split(",") for line in GOOD_HISTORIC.splitlines()[1:]}
    rows = snapshots.results(ctx, snapshot)
    assert len(rows) == len(expected)
    for row in rows:
        iso3, overall, *_pillars, tier, rank = expected[row.country.iso3]
        assert row.result.overall == float(overall)
        assert row.result.tier == int(tier) and row.result.rank_global == int(rank)
    assert snapshot.published_at is not None
    assert ctx.get(Cycle, snapshot.cycle_id).historic
    with pytest.raises(cycles.GciError, match="imported results"):
        snapshots.recompute(ctx, ctx.get(Cycle, snapshot.cycle_id))


def test_a_file_that_does_not_add_up_is_refused_with_every_row(ctx):
    bad = historic_file(
        "USA,100,20,20,20,20,20,1,1",
        "GBR,99.54,20,19,20,20,20,1,2",  # pillars 99
        "SAU,99.54,20,20,19.54,20,20,2,2",  # tier 2 for 99.54
        "KEN,61.25,15.5,11.25,12.5,10,12,3,5",  # rank 5, should be 3
        "XXX,50,10,10,10,10,10,,",
        "EGY,abc,10,10,10,10,10,,",
    )
    with pytest.raises(historic.HistoricFileError) as caught:
        snapshots.import_historic(
            ctx, bad, cycle_code="GCI-2020", name="GCI 2020", year=2020, tiers=GCI_TIERS
        )
    text = "\n".join(caught.value.problems)
    assert "line 3: GBR pillars add up to 99.00, not the overall 99.54" in text
    assert "line 4: SAU has tier 2, but an overall of 99.54 is tier 1" in text
    assert "line 5: KEN has rank 5, but its overall 61.25 ranks 3" in text
    assert "line 6: unknown country code 'XXX'" in text
    assert "line 7: overall 'abc' is not a number" in text
    ctx.rollback()
    assert count(ctx, Cycle) == 0 and count(ctx, Snapshot) == 0 and count(ctx, CountryResult) == 0


def test_an_overall_only_file_is_accepted():
    rows = historic.read("iso3,overall\nKEN,50.5\nEGY,60\n")
    assert [(r.iso3, r.overall, r.pillars) for r in rows] == [("KEN", 50.5, {}), ("EGY", 60, {})]


def test_results_show_the_change_against_the_previous_cycle(ctx):
    snapshots.import_historic(
        ctx, GOOD_HISTORIC, cycle_code="GCI-2020", name="GCI 2020", year=2020, tiers=GCI_TIERS
    )
    cycles.load_framework(ctx, small(), cycle_code="T-2026", year=2026, previous_code="GCI-2020")
    cycle = cycles.cycle_by_code(ctx, "T-2026")
    answer(ctx, cycle, "KEN", "q8", "yes")
    answer(ctx, cycle, "KEN", "q7", "yes")
    answer(ctx, cycle, "KEN", "q9", "yes")
    snapshot = snapshots.recompute(ctx, cycle)
    row = {r.country.iso3: r for r in snapshots.results(ctx, snapshot)}["KEN"]
    assert row.change == pytest.approx(60 - 61.25)
    assert row.rank_change == 3 - 1


def test_historic_line_numbers_count_blank_rows_and_the_byte_order_mark_is_read(ctx):
    """core.tables reads the file: a blank row still counts in the line numbers a person
    sees in the message (csv.DictReader's count skipped it), and a BOM is no column name."""
    text = "\ufeffiso3,overall\nKEN,50.5\n\nEGY,abc\n"
    with pytest.raises(historic.HistoricFileError) as caught:
        historic.read(text)
    assert caught.value.problems == ["line 4: overall 'abc' is not a number"]
    assert caught.value.status == 422  # a DomainError: routes let it propagate
    short = "iso3,overall,tier\nKEN\n"
    with pytest.raises(historic.HistoricFileError) as caught:
        historic.read(short)
    assert caught.value.problems == ["line 2: overall '' is not a number"]


def test_published_precision_has_one_source(monkeypatch):
    """Every published figure follows scoring.PUBLISHED_DIGITS: the change between
    snapshots, the API's rows, the averages (they were literal 2s in five modules)."""
    from types import SimpleNamespace

    from gci.results import api, publication, scoring

    monkeypatch.setattr(scoring, "PUBLISHED_DIGITS", 1)
    kenya = SimpleNamespace(iso3="KEN", name="Kenya", itu_region="Africa")
    assert snapshots.Difference(kenya, 10.04, 10.16, None, None).delta == pytest.approx(0.2)
    result = SimpleNamespace(
        overall=12.345, pillars={"LEG": 3.456}, tier=None, tier_name=None,
        rank_global=1, rank_region=1, rank_groups={},
    )  # fmt: skip
    shown = api.result_dict(snapshots.ResultRow(kenya, result, 1.26, None), with_ranks=True)
    assert (shown["overall"], shown["pillars"], shown["change"]) == (12.3, {"LEG": 3.5}, 1.3)
    rows = [SimpleNamespace(overall=10.0, pillars={"LEG": 1.0}),
            SimpleNamespace(overall=10.25, pillars={"LEG": 1.25})]  # fmt: skip
    average = publication.average("global", rows)
    assert (average.overall, average.pillars) == (10.1, {"LEG": 1.1})


def test_whether_ranks_are_published_is_one_rule(ctx):
    """The API (snapshots.ranks_published) and the public read model (Published.ranks)
    answer alike: a tiers-only framework hides ranks, a historic edition shows them."""
    from gci.results import publication

    document = small()
    document["publish_ranks"] = False
    cycles.load_framework(ctx, document, cycle_code="T-2026", year=2026)
    snapshots.publish(ctx, snapshots.recompute(ctx, cycles.cycle_by_code(ctx, "T-2026")))
    snapshots.import_historic(ctx, GOOD_HISTORIC, cycle_code="GCI-2020", name="GCI 2020",
                              year=2020, tiers=GCI_TIERS)  # fmt: skip
    ctx.flush()
    editions = {p.cycle.code: p for p in publication.published_cycles(ctx)}
    for code, expected in (("T-2026", False), ("GCI-2020", True)):
        assert editions[code].ranks is expected
        assert snapshots.ranks_published(ctx, editions[code].snapshot) is expected
