import pytest

from gci.framework.validator import FrameworkError, parse
from tests.gci.frameworks import gci_2024_document, small, yes_no


def problems_of(document) -> list[str]:
    with pytest.raises(FrameworkError) as caught:
        parse(document)
    return caught.value.problems


def test_points_follow_the_weights_at_every_level():
    f = parse(small())
    assert f.pillar_max == {"LEG": 20, "TEC": 20, "ORG": 20, "CAP": 20, "COO": 20}
    expected = {
        "q1": 7.5,
        "q1a": 2.5,
        "q2": 5,
        "q3": 5,
        "q4": 15,
        "q5": 5,
        "q6": 0,
        "q7": 20,
        "q8": 20,
        "q9": 20,
        "q10": 0,
    }
    assert f.points == pytest.approx(expected)
    assert f.questions["q1a"].parent == "q1" and f.questions["q1a"].shown_when == ("yes",)


def test_pillar_weights_share_the_hundred_points():
    doc = small()
    doc["pillars"][0]["weight"] = 3  # LEG 3 of 7 parts
    f = parse(doc)
    assert f.pillar_max["LEG"] == pytest.approx(300 / 7)
    assert sum(f.pillar_max.values()) == pytest.approx(100)


def test_the_shipped_gci_2024_framework_loads_whole():
    f = parse(gci_2024_document())
    assert [p.code for p in f.pillars] == ["LEG", "TEC", "ORG", "CAP", "COO"]
    assert len(f.questions) == 59
    assert f.placeholder_weights is True and f.publish_ranks is False
    for pillar in f.pillars:
        total = sum(v for k, v in f.points.items() if f.pillar_of[k] == pillar.code)
        assert total == pytest.approx(20)
    assert [t.min_score for t in f.tiers] == [95, 85, 55, 20, 0]


def test_every_problem_is_listed_with_its_place():
    doc = small()
    legal = doc["pillars"][0]["indicators"][0]["questions"]
    legal.append(yes_no("q2"))  # duplicate code
    legal.append({"code": "qx", "text": "?", "answer_type": "maybe", "weight": 1})
    legal.append(yes_no("qn", -1))
    legal.append(yes_no("qw", 1, weigth=2))
    problems = problems_of(doc)
    text = "\n".join(problems)
    assert "duplicate code q2" in text
    assert "unknown answer_type 'maybe'" in text
    assert "(qn): weight must not be negative, got -1" in text
    assert "unknown field 'weigth'" in text
    assert all(p.startswith("pillar 1 (LEG) indicator ") for p in problems)


def test_cycles_and_orphans_among_sub_questions_are_refused():
    doc = small()
    questions = doc["pillars"][3]["indicators"][0]["questions"]
    questions += [
        yes_no("c1", parent="c2"),
        yes_no("c2", parent="c1"),
        yes_no("o1", parent="nowhere"),
    ]
    text = "\n".join(problems_of(doc))
    assert "sub-questions form a cycle: c1 -> c2 -> c1" in text
    assert "sub-question o1 is an orphan: its parent nowhere is not a question" in text


def test_a_condition_the_parent_cannot_meet_is_refused():
    doc = small()
    doc["pillars"][0]["indicators"][0]["questions"][0]["sub_questions"][0][
        "shown_when_parent_answer"
    ] = "partial"
    assert any("cannot be (it can be no, yes)" in p for p in problems_of(doc))


def test_a_pillar_that_cannot_reach_its_maximum_is_refused():
    doc = small()
    doc["pillars"][4]["indicators"][0]["questions"] = [yes_no("z", 0)]
    text = "\n".join(problems_of(doc))
    assert "indicator COO.1: weight 1.0 but nothing in it can earn points" in text


def test_scored_text_and_choice_without_options_are_refused():
    doc = small()
    qs = doc["pillars"][3]["indicators"][0]["questions"]
    qs += [
        {"code": "t", "text": "?", "answer_type": "text", "weight": 1},
        {"code": "c", "text": "?", "answer_type": "single_choice"},
        {"code": "n", "text": "?", "answer_type": "number"},
    ]
    text = "\n".join(problems_of(doc))
    assert "a text answer is not scored, so its weight must be 0" in text
    assert "a single_choice question needs options" in text
    assert "a number question needs scale" in text


def test_tiers_must_cover_every_score():
    doc = small()
    doc["tiers"] = [{"tier": 1, "name": "Top", "min_score": 50}]
    assert any("lowest tier must start at 0" in p for p in problems_of(doc))
