"""The questionnaire's workflow as a pure state machine: which move leads from which state to
which, and who may make it. No Flask, no database.

    draft -> submitted -> in_review -> clarification_requested -> resubmitted -> in_review
                                    -> validated -> approved (by the country) -> published

A refused move raises WorkflowError whose message says what is possible from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.domain import DomainError

STATES = (
    "draft",
    "submitted",
    "in_review",
    "clarification_requested",
    "resubmitted",
    "validated",
    "approved",
    "published",
)
# The focal point may change answers and evidence only in these states.
EDITABLE_STATES = frozenset({"draft", "clarification_requested"})

FOCAL_POINT = "focal_point"
ANALYST = "analyst"
ADMIN = "admin"
STAFF = frozenset({ANALYST, ADMIN})


@dataclass(frozen=True)
class Move:
    action: str
    source: str
    target: str
    roles: frozenset[str]


MOVES = (
    Move("submit", "draft", "submitted", frozenset({FOCAL_POINT})),
    # analysts hand in what they filled from public sources (secondary research)
    Move("submit_research", "draft", "submitted", STAFF),
    Move("start_review", "submitted", "in_review", STAFF),
    Move("start_review", "resubmitted", "in_review", STAFF),
    Move("request_clarification", "in_review", "clarification_requested", STAFF),
    Move("resubmit", "clarification_requested", "resubmitted", frozenset({FOCAL_POINT})),
    Move("validate", "in_review", "validated", STAFF),
    Move("approve", "validated", "approved", frozenset({FOCAL_POINT})),
    Move("publish", "approved", "published", frozenset({ADMIN})),
)
ACTIONS = tuple(dict.fromkeys(m.action for m in MOVES))
# Moves that hand the questionnaire in: the completeness check must pass first.
HAND_IN = frozenset({"submit", "submit_research", "resubmit"})


class WorkflowError(DomainError):
    """A move that is not possible; the message names the moves that are. `state`, `action`
    and `possible` (the actions the person may take instead) let a page say it in any
    language."""

    status = 409

    def __init__(self, message: str, state: str, action: str, possible: tuple[str, ...] = ()):
        super().__init__(message)
        self.state, self.action, self.possible = state, action, possible

    def problem_fields(self) -> dict:
        return {"state": self.state, "action": self.action, "possible": list(self.possible)}


def moves_from(state: str, role: str | None = None) -> list[Move]:
    """The moves possible from `state`, for `role` if given."""
    return [m for m in MOVES if m.source == state and (role is None or role in m.roles)]


def editable(state: str) -> bool:
    return state in EDITABLE_STATES


def advance(state: str, action: str, role: str) -> str:
    """The state after `action` taken by someone with `role`, or WorkflowError saying why not
    and what is possible instead."""
    if state not in STATES:
        raise WorkflowError(f"Unknown state {state!r}.", state, action)
    if action not in ACTIONS:
        raise WorkflowError(
            f"Unknown action {action!r}; the actions are {', '.join(ACTIONS)}.", state, action
        )
    possible = tuple(m.action for m in moves_from(state, role))
    for move in moves_from(state):
        if move.action == action and role in move.roles:
            return move.target
    if possible:
        hint = f"From here you can: {', '.join(a.replace('_', ' ') for a in possible)}."
    else:
        hint = "There is nothing you can do to it now."
    others = [m for m in moves_from(state) if m.action == action]
    if others:
        why = f"Only {' or '.join(sorted(others[0].roles))} may do that."
    else:
        why = f"A questionnaire that is {label(state)} cannot be {PAST[action]}."
    raise WorkflowError(f"{why} {hint}", state, action, possible)


def label(state: str) -> str:
    return state.replace("_", " ")


PAST = {
    "submit": "submitted",
    "submit_research": "submitted as secondary research",
    "start_review": "taken into review",
    "request_clarification": "sent back for clarification",
    "resubmit": "resubmitted",
    "validate": "validated",
    "approve": "approved",
    "publish": "published",
}
