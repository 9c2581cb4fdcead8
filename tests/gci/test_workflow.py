"""The questionnaire's state machine: every (state, action, role) by table, and random walks."""

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gci.questionnaire import workflow
from gci.questionnaire.workflow import WorkflowError, advance

ROLES = ["focal_point", "analyst", "admin", "trainer"]

HAPPY_PATH = [
    ("draft", "submit", "focal_point", "submitted"),
    ("submitted", "start_review", "analyst", "in_review"),
    ("in_review", "request_clarification", "analyst", "clarification_requested"),
    ("clarification_requested", "resubmit", "focal_point", "resubmitted"),
    ("resubmitted", "start_review", "admin", "in_review"),
    ("in_review", "validate", "analyst", "validated"),
    ("validated", "approve", "focal_point", "approved"),
    ("approved", "publish", "admin", "published"),
]


@pytest.mark.parametrize(("state", "action", "role", "target"), HAPPY_PATH)
def test_the_path_from_draft_to_published(state, action, role, target):
    assert advance(state, action, role) == target


def test_every_state_action_and_role():
    allowed = {(s, a, r): t for s, a, r, t in HAPPY_PATH}
    allowed[("in_review", "validate", "admin")] = "validated"
    allowed[("submitted", "start_review", "admin")] = "in_review"
    allowed[("resubmitted", "start_review", "analyst")] = "in_review"
    allowed[("in_review", "request_clarification", "admin")] = "clarification_requested"
    allowed[("draft", "submit_research", "analyst")] = "submitted"
    allowed[("draft", "submit_research", "admin")] = "submitted"
    for state in workflow.STATES:
        for action in workflow.ACTIONS:
            for role in ROLES:
                key = (state, action, role)
                if key in allowed:
                    assert advance(*key) == allowed[key], key
                    continue
                with pytest.raises(WorkflowError) as refused:
                    advance(*key)
                error = refused.value
                possible = [m.action for m in workflow.moves_from(state, role)]
                assert list(error.possible) == possible, key
                message = str(error)
                if possible:
                    assert "From here you can: " + possible[0].replace("_", " ") in message
                else:
                    assert "There is nothing you can do to it now." in message


def test_a_refusal_names_who_may_and_what_is_possible():
    with pytest.raises(WorkflowError) as refused:
        advance("submitted", "submit", "focal_point")
    assert str(refused.value) == (
        "A questionnaire that is submitted cannot be submitted. "
        "There is nothing you can do to it now."
    )
    with pytest.raises(WorkflowError) as refused:
        advance("in_review", "validate", "focal_point")
    assert str(refused.value).startswith("Only admin or analyst may do that.")
    with pytest.raises(WorkflowError) as refused:
        advance("in_review", "approve", "analyst")
    assert "From here you can: request clarification, validate." in str(refused.value)


def test_unknown_states_and_actions_are_refused():
    with pytest.raises(WorkflowError, match="Unknown state"):
        advance("lost", "submit", "focal_point")
    with pytest.raises(WorkflowError, match="Unknown action"):
        advance("draft", "shred", "admin")


def test_only_draft_and_clarification_are_editable():
    assert [s for s in workflow.STATES if workflow.editable(s)] == [
        "draft",
        "clarification_requested",
    ]


steps = st.lists(st.tuples(st.sampled_from(workflow.ACTIONS), st.sampled_from(ROLES)), max_size=40)


@given(steps)
def test_random_walks_follow_the_moves(walk):
    state, seen = "draft", ["draft"]
    for action, role in walk:
        try:
            after = advance(state, action, role)
        except WorkflowError:
            continue
        move = next(m for m in workflow.MOVES if m.source == state and m.action == action)
        assert role in move.roles and after == move.target
        state = after
        seen.append(state)
    assert state in workflow.STATES
    if "published" in seen:  # published only ever follows the country's approval
        assert seen[seen.index("published") - 1] == "approved"
        assert seen[-1] == "published"  # and nothing leaves it


@given(st.lists(st.sampled_from(workflow.ACTIONS), max_size=20))
def test_a_focal_point_alone_gets_no_further_than_submitted(actions):
    state = "draft"
    for action in actions:
        with contextlib.suppress(WorkflowError):
            state = advance(state, action, "focal_point")
    assert state in ("draft", "submitted")
