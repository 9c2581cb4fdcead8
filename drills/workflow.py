"""The drill's life: scheduled -> running <-> paused -> ended. Pure: which move is allowed
from which state, with a message a trainer can act on when it is not."""

from __future__ import annotations

from core.domain import DomainError

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


class DrillStateError(DomainError):
    """A move the drill's state does not allow; the message says what is possible."""

    status = 409


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


# Setting up a drill. Once it has started, what shapes its clock or its teams' injects
# (scenario, start, time zone, compression, a team's tags) is part of the record and stays.
SETUP_STATES = frozenset({"scheduled", "running", "paused"})
FIXED_AFTER_START = frozenset({"scenario_version_id", "starts_at", "time_zone", "compression"})


def fixed_fields(state: str, changed: set[str]) -> set[str]:
    """Which of the changed drill settings may no longer change in this state."""
    if state == "scheduled":
        return set()
    if state not in SETUP_STATES:
        return set(changed)
    return set(changed) & FIXED_AFTER_START


def can_set_up(state: str) -> bool:
    """Teams, people and comchecks may still be added: not after the drill ended."""
    return state in SETUP_STATES


def can_remove_team(state: str) -> bool:
    """A team that may have received injects stays: its releases are part of the record."""
    return state == "scheduled"


def state_seen(state: str, started: bool, over: bool) -> str:
    """The state a console shows, from the clock as well as the stored state: the scheduler
    records the start and the end, but a team must not wait for it (nor see a drill run on
    past its end while the scheduler is down)."""
    if state == "scheduled" and started:
        state = "running"
    if state == "running" and over:
        return "ended"
    return state
