import pytest

from drills.workflow import STATES, DrillStateError, check_extend, next_state


def test_the_allowed_moves():
    assert next_state("scheduled", "start") == "running"
    assert next_state("running", "pause") == "paused"
    assert next_state("paused", "resume") == "running"
    assert next_state("paused", "end") == "ended"


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("move", ["start", "pause", "resume", "end"])
def test_every_other_move_is_refused_with_what_is_possible(state, move):
    allowed = {
        ("scheduled", "start"),
        ("running", "pause"),
        ("paused", "resume"),
        ("running", "end"),
        ("paused", "end"),
        ("scheduled", "end"),
    }
    if (state, move) in allowed:
        assert next_state(state, move) in STATES
    else:
        with pytest.raises(DrillStateError, match=f"A {state} drill cannot {move}"):
            next_state(state, move)


def test_extend():
    check_extend("running", 15)
    with pytest.raises(DrillStateError, match="cannot be extended"):
        check_extend("ended", 15)
    with pytest.raises(DrillStateError, match="positive"):
        check_extend("running", 0)


def test_a_console_does_not_wait_for_the_scheduler_to_start_or_end_a_drill():
    from drills.workflow import state_seen

    assert state_seen("scheduled", started=False, over=False) == "scheduled"
    assert state_seen("scheduled", started=True, over=False) == "running"
    assert state_seen("scheduled", started=True, over=True) == "ended"
    assert state_seen("running", started=True, over=True) == "ended"
    assert state_seen("paused", started=True, over=True) == "paused"  # a paused clock stops
    assert state_seen("ended", started=True, over=False) == "ended"
