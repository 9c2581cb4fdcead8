from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drills.clock import Pause, Timing, elapsed_minutes, real_time_at
from drills.console.rules import feed
from scenarios.format.reader import read
from scenarios.play.branching import TeamAnswer, release_minutes, released, visible
from tests.scenarios.examples import minimal

T0 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_clock_runs_pauses_compresses_and_ends():
    timing = Timing(T0)
    assert elapsed_minutes(timing, at(-5)) == 0
    assert elapsed_minutes(timing, at(30)) == 30
    paused = Timing(T0, pauses=(Pause(at(10), at(25)),))
    assert elapsed_minutes(paused, at(20)) == 10  # frozen while paused
    assert elapsed_minutes(paused, at(40)) == 25
    fast = Timing(T0, compression=2)
    assert elapsed_minutes(fast, at(30)) == 60
    ended = Timing(T0, ended_at=at(45))
    assert elapsed_minutes(ended, at(90)) == 45
    open_pause = Timing(T0, pauses=(Pause(at(10)),))
    assert elapsed_minutes(open_pause, at(100)) == 10


def test_real_time_of_a_drill_minute():
    paused = Timing(T0, compression=2, pauses=(Pause(at(10), at(25)),))
    assert real_time_at(paused, 10) == at(5)
    assert real_time_at(paused, 30) == at(30)  # 20 min before the pause, 15 paused, 5 more
    assert real_time_at(Timing(T0, pauses=(Pause(at(10)),)), 30) is None  # still paused
    with pytest.raises(ValueError):
        Timing(T0, compression=0)


pauses = st.lists(st.tuples(st.floats(0, 300), st.floats(0.1, 60)), max_size=4)


@given(
    pauses=pauses,
    compression=st.sampled_from([0.5, 1, 2, 6]),
    t1=st.floats(-60, 600),
    t2=st.floats(-60, 600),
)
def test_the_clock_never_runs_backwards(pauses, compression, t1, t2):
    timing = Timing(T0, compression, tuple(Pause(at(s), at(s + d)) for s, d in pauses))
    early, late = sorted((t1, t2))
    assert elapsed_minutes(timing, at(early)) <= elapsed_minutes(timing, at(late)) + 1e-9
    assert elapsed_minutes(timing, at(late)) <= max(0, late) * compression + 1e-6  # µs rounding


def test_overlapping_pauses_count_once():
    timing = Timing(
        T0, pauses=(Pause(at(10), at(20)), Pause(at(15), at(30)), Pause(at(10), at(20)))
    )
    assert elapsed_minutes(timing, at(40)) == 20
    assert real_time_at(timing, 15) == at(35)


@given(pauses=pauses, minute=st.floats(0, 500))
def test_real_time_at_is_the_inverse_of_the_clock(pauses, minute):
    timing = Timing(T0, 1.5, tuple(Pause(at(s), at(s + d)) for s, d in pauses))
    moment = real_time_at(timing, minute)
    assert moment is not None
    assert elapsed_minutes(timing, moment) == pytest.approx(minute, abs=1e-6)


# --- release per team ---------------------------------------------------------------------


def scenario_with(condition=None, audience=None):
    document = minimal()
    if condition is None:
        document["injects"][1].pop("condition")
    else:
        document["injects"][1]["condition"] = condition
    if audience:
        document["injects"][1]["audience"] = {"tags": audience}
    scenario, _ = read(document)
    return scenario


def test_unconditional_injects_arrive_at_their_offset_to_their_audience():
    s = scenario_with(audience=["sector-health"])
    assert release_minutes(s, ["sector-health"], {}) == {"I1": 0, "I2": 30}
    assert release_minutes(s, ["sector-energy"], {}) == {"I1": 0, "I2": None}


def test_incorrect_condition_spares_teams_that_got_it_right_in_time():
    s = scenario_with({"response": "I1.R1", "is": "incorrect"})
    assert release_minutes(s, [], {})["I2"] == 30
    right_early = {"I1.R1": [TeamAnswer(12, False), TeamAnswer(20, True)]}
    assert release_minutes(s, [], right_early)["I2"] is None
    right_late = {"I1.R1": [TeamAnswer(40, True)]}
    assert release_minutes(s, [], right_late)["I2"] == 30  # already released: it stays


def test_correct_condition_waits_for_the_right_answer():
    s = scenario_with({"response": "I1.R1", "is": "correct"})
    assert release_minutes(s, [], {})["I2"] is None
    assert release_minutes(s, [], {"I1.R1": [TeamAnswer(10, True)]})["I2"] == 30
    assert release_minutes(s, [], {"I1.R1": [TeamAnswer(45, True)]})["I2"] == 45


def test_unanswered_condition_counts_from_the_release_to_the_team():
    s = scenario_with({"response": "I1.R1", "is": "unanswered", "minutes": 25})
    assert release_minutes(s, [], {})["I2"] == 30
    assert release_minutes(s, [], {"I1.R1": [TeamAnswer(20, False)]})["I2"] is None
    assert release_minutes(s, [], {"I1.R1": [TeamAnswer(26, False)]})["I2"] == 30


def test_visible_is_in_release_order_and_grows_with_time():
    s = scenario_with()
    assert [i.id for i in visible(s, [], {}, 29.9)] == ["I1"]
    assert [i.id for i in visible(s, [], {}, 30)] == ["I1", "I2"]


def scenario_with_ties():
    """Injects that reach the team at the same minute, listed out of release order: I5 and I4
    (offset 30, listed I5 first) and I3 (offset 10, released at 30 by a right answer)."""
    document = minimal()
    follow_up = document["injects"][1]
    document["injects"][1] = dict(follow_up, id="I5", offset_minutes=30, condition=None)
    document["injects"].append(dict(follow_up, id="I4", offset_minutes=30, condition=None))
    correct = {"response": "I1.R1", "is": "correct"}
    document["injects"].append(dict(follow_up, id="I3", offset_minutes=10, condition=correct))
    for inject in document["injects"]:
        if inject.get("condition") is None:
            inject.pop("condition", None)
    scenario, _ = read(document)
    return scenario


def console_order(scenario, minutes, elapsed: float) -> list[str]:
    """The order the drill console's feed shows (drills/console/rules.py feed)."""
    seen = feed(
        scenario,
        Timing(T0),
        minutes,
        stored_state="running",
        started=True,
        extra_minutes=0,
        marks=(),
        now=at(elapsed),
    )
    return seen.inject_ids


def test_the_console_and_branching_release_in_one_order():
    s = scenario_with_ties()
    right_at_30 = {"I1.R1": [TeamAnswer(30, True)]}
    expected = ["I1", "I3", "I4", "I5"]  # by minute, then offset, then id
    assert [i.id for _m, i in released(s, [], right_at_30, 40)] == expected
    assert console_order(s, release_minutes(s, [], right_at_30), 40) == expected


answers = st.dictionaries(
    st.just("I1.R1"),
    st.lists(
        st.builds(TeamAnswer, st.floats(0, 200), st.sampled_from([True, False, None])), max_size=3
    ),
)


@given(
    condition=st.sampled_from(
        [
            None,
            {"response": "I1.R1", "is": "correct"},
            {"response": "I1.R1", "is": "incorrect"},
            {"response": "I1.R1", "is": "unanswered", "minutes": 15},
        ]
    ),
    given_answers=answers,
    t1=st.floats(0, 300),
    t2=st.floats(0, 300),
)
def test_once_released_an_inject_stays_and_never_comes_early(condition, given_answers, t1, t2):
    s = scenario_with(condition)
    early, late = sorted((t1, t2))
    seen_early = {i.id for i in visible(s, [], given_answers, early)}
    seen_late = {i.id for i in visible(s, [], given_answers, late)}
    assert seen_early <= seen_late
    for inject_id, minute in release_minutes(s, [], given_answers).items():
        if minute is not None:
            assert minute >= s.inject(inject_id).offset_minutes


@given(given_answers=answers, elapsed=st.integers(0, 120), manual=st.integers(0, 120))
def test_the_console_feed_keeps_the_release_order_of_branching(given_answers, elapsed, manual):
    """The console orders what branching computed, with a trainer's manual release too."""
    s = scenario_with_ties()
    minutes = release_minutes(s, [], given_answers)
    expected = [i.id for _m, i in released(s, [], given_answers, elapsed)]
    assert console_order(s, minutes, elapsed) == expected
    overridden = dict(minutes, I5=manual)
    by_branching = [i.id for i in s.injects if overridden[i.id] is not None]
    ordered = sorted(by_branching, key=lambda i: (overridden[i], s.inject(i).offset_minutes, i))
    assert console_order(s, overridden, elapsed) == [i for i in ordered if overridden[i] <= elapsed]
