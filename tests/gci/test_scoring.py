import copy
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gci.framework.validator import parse
from gci.results.scoring import (
    Answer,
    AnswerError,
    CountryFacts,
    check_answers,
    dense_ranks,
    rankings,
    score,
    tier_for,
    what_would_move,
)
from tests.gci.frameworks import gci_2024_document, small

SMALL = parse(small())
GCI = parse(gci_2024_document())


def accepted(**values):
    return [Answer(code, value, accepted=True) for code, value in values.items()]


def test_hand_computed_example_across_every_answer_type():
    answers = accepted(
        q1="yes",
        q1a="yes",
        q2="partial",
        q3="some",
        q4=["a", "b"],
        q5=4,
        q6="free text",
        q7="yes",
        q8="no",
    )
    answers.append(Answer("q9", "yes", accepted=False))
    result = score(SMALL, answers)
    assert result.pillars == pytest.approx(
        {"LEG": 7.5 + 2.5 + 2.5 + 2.5, "TEC": 7.5 + 2, "ORG": 20, "CAP": 0, "COO": 0}
    )
    assert result.overall == pytest.approx(44.5)
    assert result.provisional_pillars["COO"] == pytest.approx(20)
    assert result.provisional_overall == pytest.approx(64.5)
    assert result.tier.name == "Evolving"
    states = {item.code: item.state for item in result.items}
    assert states["q8"] == "negative" and states["q9"] == "awaiting_acceptance"
    assert states["q2"] == "partial" and states["q10"] == "unanswered"


def test_unanswered_counts_zero():
    result = score(SMALL, [])
    assert result.overall == 0 and result.provisional_overall == 0
    assert result.tier.name == "Building"


def test_a_sub_question_counts_only_when_its_parent_allows():
    no_parent = score(SMALL, accepted(q1="no", q1a="yes"))
    assert no_parent.pillars["LEG"] == 0
    assert {i.code: i.state for i in no_parent.items}["q1a"] == "hidden"
    parent_not_accepted = score(SMALL, [Answer("q1", "yes"), Answer("q1a", "yes", True)])
    assert parent_not_accepted.pillars["LEG"] == 0  # officially, the parent is not yet in
    assert parent_not_accepted.provisional_pillars["LEG"] == pytest.approx(10)
    states = {i.code: i.state for i in parent_not_accepted.items}
    assert states["q1a"] == "awaiting_parent" and states["q1"] == "awaiting_acceptance"


def test_multiple_choice_and_number_scale():
    assert score(SMALL, accepted(q4=["a", "b", "c", "d"])).pillars["TEC"] == pytest.approx(15)
    assert score(SMALL, accepted(q4=["a", "a"])).pillars["TEC"] == pytest.approx(3.75)
    assert score(SMALL, accepted(q5=25)).pillars["TEC"] == pytest.approx(5)  # capped
    assert score(SMALL, accepted(q5=-3)).pillars["TEC"] == 0


def test_full_marks_reach_exactly_one_hundred():
    answers = accepted(
        q1="yes",
        q1a="yes",
        q2="yes",
        q3="full",
        q4=list("abcd"),
        q5=10,
        q7="yes",
        q8="yes",
        q9="yes",
        q10="yes",
    )
    result = score(SMALL, answers)
    assert result.published_overall == 100 and result.tier.name == "Role-modelling"


def test_impossible_answers_are_all_listed():
    with pytest.raises(AnswerError) as caught:
        check_answers(
            SMALL,
            [
                Answer("q1", "maybe"),
                Answer("nope", "yes"),
                Answer("q4", ["z"]),
                Answer("q5", "ten"),
            ],
        )
    text = "\n".join(caught.value.problems)
    assert "q1: 'maybe' is not possible here; answer one of yes, no" in text
    assert "nope: no such question in T-1" in text
    assert "q4:" in text and "q5:" in text


def test_tiers_use_the_published_two_decimals():
    assert tier_for(94.995, SMALL.tiers).name == "Role-modelling"  # published as 95.00
    assert tier_for(94.994, SMALL.tiers).name == "Advancing"
    assert tier_for(55, SMALL.tiers).name == "Establishing"
    assert tier_for(19.99, SMALL.tiers).name == "Building"


def test_dense_ranking_shares_ties_without_gaps():
    ranks = dense_ranks({"USA": 100, "GBR": 99.54, "SAU": 99.54, "EST": 99.48, "KOR": 98.52})
    assert ranks == {"USA": 1, "GBR": 2, "SAU": 2, "EST": 3, "KOR": 4}


def test_rankings_by_region_and_group():
    facts = {
        "KEN": CountryFacts("KEN", "Africa", ()),
        "RWA": CountryFacts("RWA", "Africa", ("ldc", "lldc")),
        "NPL": CountryFacts("NPL", "Asia-Pacific", ("ldc", "lldc")),
        "FJI": CountryFacts("FJI", "Asia-Pacific", ("sids",)),
    }
    result = rankings({"KEN": 80, "RWA": 90, "NPL": 60, "FJI": 60}, facts)
    assert result["global"] == {"RWA": 1, "KEN": 2, "NPL": 3, "FJI": 3}
    assert result["region"] == {"RWA": 1, "KEN": 2, "NPL": 1, "FJI": 1}
    assert result["groups"]["ldc"] == {"RWA": 1, "NPL": 2}
    assert result["groups"]["sids"] == {"FJI": 1}


def test_what_would_move_lists_the_biggest_gains_first():
    result = score(SMALL, accepted(q1="no", q7="yes") + [Answer("q9", "yes")])
    moves = what_would_move(result, limit=4)
    assert [m.code for m in moves] == ["q8", "q9", "q4", "q1"]
    assert moves[1].why.startswith("awaits the analyst")
    assert moves[3].gain == pytest.approx(7.5)
    assert "q1a" not in {m.code for m in what_would_move(result, limit=50)}  # parent first


def test_unknown_scoring_rule_is_named():
    doc = small()
    doc["scoring_rule"] = "ncsi_points"
    with pytest.raises(ValueError, match="unknown rule 'ncsi_points'"):
        score(parse(doc), [])


# --- properties ---------------------------------------------------------------------------


def possible_values(question):
    kind = question.answer_type
    if kind == "yes_no":
        return ["no", "yes"]
    if kind == "yes_no_partial":
        return ["no", "partial", "yes"]
    if kind == "evidence_only":
        return ["yes"]
    if kind == "single_choice":
        return sorted((o.key for o in question.options), key=lambda k: question_value(question, k))
    if kind == "multiple_choice":
        keys = [o.key for o in question.options]
        return [keys[:n] for n in range(len(keys) + 1)]
    if kind == "number":
        low, high = question.scale
        return [low + (high - low) * i / 4 for i in range(5)]
    return ["text"]


def question_value(question, key):
    return {o.key: o.value for o in question.options}[key]


@st.composite
def answer_sets(draw, framework):
    answers = {}
    for code, question in framework.questions.items():
        if draw(st.booleans()):
            value = draw(st.sampled_from(possible_values(question)))
            answers[code] = Answer(code, value, accepted=draw(st.booleans()))
    return answers


FRAMEWORKS = st.sampled_from([SMALL, GCI])


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_scores_stay_within_bounds_and_pillars_sum_to_overall(data):
    framework = data.draw(FRAMEWORKS)
    result = score(framework, data.draw(answer_sets(framework)))
    for code, pillar_max in framework.pillar_max.items():
        assert -1e-9 <= result.pillars[code] <= result.provisional_pillars[code] + 1e-9
        assert result.provisional_pillars[code] <= pillar_max + 1e-9
    assert 0 <= result.overall <= 100 + 1e-9
    assert result.overall == pytest.approx(sum(result.pillars.values()), abs=1e-9)
    assert result.overall == pytest.approx(sum(i.earned for i in result.items), abs=1e-9)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_more_positive_answer_never_lowers_any_score(data):
    framework = data.draw(FRAMEWORKS)
    answers = data.draw(answer_sets(framework))
    code = data.draw(st.sampled_from(sorted(framework.questions)))
    question = framework.questions[code]
    values = possible_values(question)
    low = data.draw(st.integers(0, len(values) - 1))
    high = data.draw(st.integers(low, len(values) - 1))
    flag = data.draw(st.booleans())
    before = score(framework, {**answers, code: Answer(code, values[low], flag)})
    after = score(framework, {**answers, code: Answer(code, values[high], flag)})
    accepted_now = score(framework, {**answers, code: Answer(code, values[high], True)})
    for later in (after, accepted_now):
        assert later.overall >= before.overall - 1e-9
        for pillar in framework.pillar_max:
            assert later.pillars[pillar] >= before.pillars[pillar] - 1e-9
            assert later.provisional_pillars[pillar] >= before.provisional_pillars[pillar] - 1e-9


def scaled(document, level, factor):
    doc = copy.deepcopy(document)
    for pillar in doc["pillars"]:
        if level == "pillar":
            pillar["weight"] = pillar.get("weight", 1) * factor
        for indicator in pillar["indicators"]:
            if level == "indicator":
                indicator["weight"] = indicator.get("weight", 1) * factor
            for sub in indicator.get("sub_indicators", []):
                if level == "indicator":
                    sub["weight"] = sub.get("weight", 1) * factor
            if level == "question":
                stack = list(indicator.get("questions", []))
                for sub in indicator.get("sub_indicators", []):
                    stack += sub["questions"]
                while stack:
                    q = stack.pop()
                    q["weight"] = q.get("weight", 1) * factor
                    stack += q.get("sub_questions", [])
    return parse(doc)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    level=st.sampled_from(["pillar", "indicator", "question"]),
    factor=st.sampled_from([0.5, 3, 7.25, 1000]),
)
def test_scaling_all_weights_of_a_level_changes_nothing(data, level, factor):
    document = data.draw(st.sampled_from([small(), gci_2024_document()]))
    framework = parse(document)
    answers = data.draw(answer_sets(framework))
    base = score(framework, answers)
    other = score(scaled(document, level, factor), answers)
    assert other.overall == pytest.approx(base.overall, abs=1e-9)
    assert other.pillars == pytest.approx(base.pillars, abs=1e-9)


@settings(max_examples=80, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), seed=st.integers(0, 2**32))
def test_the_order_of_answers_does_not_matter(data, seed):
    framework = data.draw(FRAMEWORKS)
    answers = list(data.draw(answer_sets(framework)).values())
    shuffled = answers[:]
    random.Random(seed).shuffle(shuffled)
    assert score(framework, answers) == score(framework, shuffled)
