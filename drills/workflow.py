"""The drill's life: scheduled -> running <-> paused -> ended. Pure: which move is allowed
from which state, with a message a trainer can act on when it is not."""

from __future__ import annotations

STATES = ("scheduled", "running", "paused", "ended")
MOVES = {
    ("scheduled", "start"): "running",
    ("running", "pause"): "paused",
    ("paused", "resume"): "running",
    ("running", "end"): "ended",
    ("paused", "end"): "ended",
    ("scheduled", "end"): "ended",  # called off before it started
}
EXTENDABLE = frozenset({"scheduled", "running", "paused"})


class DrillStateError(ValueError):
    """A move the drill's state does not allow; the message says what is possible."""


def next_state(state: str, move: str) -> str:
    if (state, move) in MOVES:
        return MOVES[(state, move)]
    possible = sorted(m for (s, m) in MOVES if s == state)
    hint = f"; possible now: {', '.join(possible)}" if possible else ""
    raise DrillStateError(f"A {state} drill cannot {move}{hint}.")


def check_extend(state: str, minutes: int) -> None:
    if state not in EXTENDABLE:
        raise DrillStateError(f"An {state} drill cannot be extended.")
    if minutes <= 0:
        raise DrillStateError("Extend by a positive number of minutes.")
