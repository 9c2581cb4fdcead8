"""The after-action report's data (drills/reports/content.py, pure): rating thresholds,
overrides, the timeline, scores, and a team report that never names or details another team."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drills.aftermath import rules as aftermath_rules
from drills.reports import content, records
from scenarios.format.reader import read
from tests.scenarios.examples import minimal

T0 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


@pytest.mark.parametrize(
    ("share", "rating"),
    [
        (None, None),
        (1.0, "P"),
        (0.8, "P"),
        (0.7999, "S"),
        (0.6, "S"),
        (0.5999, "M"),
        (0.3, "M"),
        (0.2999, "U"),
        (0.0, "U"),
    ],
)
def test_rating_thresholds(share, rating):
    assert content.rating_for(share) == rating


@given(st.floats(0, 1), st.floats(0, 1))
def test_a_higher_share_never_rates_lower(a, b):
    order = {r: i for i, r in enumerate(content.RATINGS)}  # P best
    low, high = sorted((a, b))
    assert order[content.rating_for(high)] <= order[content.rating_for(low)]


def scenario():
    found, problems = read(minimal())
    assert found is not None, problems
    return found


def answer(team, inject, response, points, correct, minute, attempt=1):
    return records.Answer(
        team_id=team,
        inject_id=inject,
        response_id=response,
        attempt=attempt,
        correct=correct,
        points=points,
        submitted_at=at(minute),
        scored_at=at(minute),
        drill_minute=minute,
        release_minute=0.0 if inject == "I1" else 30.0,
        verdict_minute=minute,
    )


TEAMS = [
    records.TeamInfo(1, "Alpha CIRT", "Kenya"),
    records.TeamInfo(2, "Bravo CIRT", "France"),
    records.TeamInfo(3, "Charlie CIRT", "Peru"),
]


def inputs(**changes):
    base = dict(
        drill=records.DrillInfo(7, "Drill", T0, at(120), "UTC", "ended", "TLP:AMBER", "Trainer"),
        scenario=scenario(),
        teams=TEAMS,
        answers=[
            answer(1, "I1", "R1", 10, True, 4),  # Alpha: all of O1
            answer(2, "I1", "R1", 0, False, 6),  # Bravo: wrong, gets I2
            answer(2, "I2", "R1", 3, True, 40),  # an evaluator's 3 of 5
            answer(2, "I2", "R2", 5, True, 45),
            answer(3, "I1", "R1", 0, False, 2),  # Charlie: wrong and silent after
        ],
        releases=[records.Release(t.id, "I1", at(0)) for t in TEAMS]
        + [records.Release(2, "I2", at(30)), records.Release(3, "I2", at(30))],
        acks=[records.Ack(1, "I1", at(1)), records.Ack(2, "I2", at(31))],
        notes=[
            records.Note(1, "O1", "strength", "Alpha found the IP fast.", "Eva"),
            records.Note(2, "O2", "improvement", "Bravo hesitated.", "Eva"),
            records.Note(None, "O1", "improvement", "Alpha and Bravo both missed the logs.", "Eva"),
        ],
        overrides=[
            records.RatingChange(3, "O1", "M", "first thought", "Eva", 1),
            records.RatingChange(3, "O1", "S", "they found it verbally", "Eva", 2),
        ],
        feedback=[
            records.Feedback(1, "Amina", 5, "Realistic", ""),
            records.Feedback(2, None, 2, "", "Too fast"),
        ],
        plan=[
            aftermath_rules.PlanItem(
                2, "O2", "Respond", "Slow notice", "Drill the template", "training", "CIRT"
            ),
            aftermath_rules.PlanItem(
                None, "O1", "Detect", "Logs missed", "Log review", "planning", "ITU"
            ),
        ],
        people=[
            records.Person("Amina", "participant", 1),
            records.Person("Bruno", "participant", 2),
            records.Person("Chen", "participant", 3),
            records.Person("Eva", "evaluator"),
        ],
    )
    base.update(changes)
    return records.Inputs(**base)


def test_drill_report_data():
    data = content.build(inputs())
    json.dumps(data)  # stored as JSON
    assert [(s["rank"], s["team"], s["total"]) for s in data["scores"]] == [
        (1, "Alpha CIRT", 10.0),
        (2, "Bravo CIRT", 8.0),
        (3, "Charlie CIRT", 0.0),
    ]
    ratings = data["ratings"]
    assert ratings["1"]["O1"]["rating"] == "P" and ratings["1"]["O2"]["rating"] is None
    assert ratings["2"]["O1"]["rating"] == "U"
    assert ratings["2"]["O2"] == {
        "earned": 8.0,
        "available": 10.0,
        "share": 0.8,
        "derived": "P",
        "rating": "P",
        "reason": "",
        "by": "",
    }
    # the newest override wins, with its reason; the derived rating stays beside it
    assert ratings["3"]["O1"]["derived"] == "U"
    assert (ratings["3"]["O1"]["rating"], ratings["3"]["O1"]["reason"]) == (
        "S",
        "they found it verbally",
    )
    i1 = data["timeline"][0]
    assert (i1["reached"], i1["acknowledged"], i1["answered"], i1["accepted"]) == (3, 1, 3, 1)
    alpha = next(t for t in i1["teams"] if t["team_id"] == 1)
    assert (alpha["ack_min"], alpha["answer_min"], alpha["accept_min"]) == (1.0, 4.0, 4.0)
    assert i1["answer_minutes"] == [2.0, 4.0, 6.0]
    i2 = data["timeline"][1]
    bravo = next(t for t in i2["teams"] if t["team_id"] == 2)
    assert bravo["accept_min"] == 15.0  # the later of its two questions answered right
    assert data["hotwash"]["average"] == 3.5
    assert data["hotwash"]["answers"][1] == {
        "name": None,
        "team": "",
        "rating": 2,
        "went_well": "",
        "went_badly": "Too fast",
    }
    assert len(data["plan"]) == 2 and len(data["improvements"]) == 2
    assert data["people_by_role"] == {"evaluator": 1, "participant": 3}
    assert data["thresholds"] == {"P": 0.8, "S": 0.6, "M": 0.3}


def test_team_report_shows_only_that_team_and_anonymous_figures():
    data = content.build(inputs(), team_id=2)
    text = json.dumps(data)
    for other in ("Alpha", "Charlie", "Amina", "Chen", "Kenya", "Peru"):
        assert other not in text
    assert list(data["ratings"]) == ["2"]
    assert [s["team"] for s in data["scores"]] == ["Bravo CIRT"]
    assert all(t["team_id"] == 2 for entry in data["timeline"] for t in entry["teams"])
    assert data["comparison"]["teams"] == 3 and data["comparison"]["rank"] == 2
    assert (data["comparison"]["median_total"], data["comparison"]["best_total"]) == (8.0, 10.0)
    o1 = data["comparison"]["objectives"]["O1"]
    assert (o1["team"], o1["median"], o1["best"]) == (0.0, 0.0, 1.0)
    # the drill-wide observation and plan row may name other teams: left out
    assert [n["text"] for n in data["improvements"]] == ["Bravo hesitated."]
    assert [p["issue"] for p in data["plan"]] == ["Slow notice"]
    assert data["hotwash"]["count"] == 1
    assert [p["name"] for p in data["people"]] == ["Eva", "Bruno"]


@given(
    st.lists(
        st.tuples(st.sampled_from([1, 2, 3]), st.floats(0, 10), st.booleans()),
        min_size=0,
        max_size=6,
    )
)
def test_no_team_report_carries_another_team_s_name(rows):
    answers = [
        answer(team, "I1", "R1", points, correct, minute=i + 1, attempt=i + 1)
        for i, (team, points, correct) in enumerate(rows)
    ]
    for team in TEAMS:
        text = json.dumps(content.build(inputs(answers=answers), team_id=team.id))
        others = [t for t in TEAMS if t.id != team.id]
        assert all(o.name not in text and o.country not in text for o in others)
        assert team.name in text


def test_an_unknown_team_is_refused():
    with pytest.raises(ValueError):
        content.build(inputs(), team_id=99)
