"""The pure scoring rules: automatic verdicts with decay and hints, resubmission, branching
answers, the trainer's overrides and the scoreboard."""

from drills import scoring
from drills.scoring import Attempt, Override, ScoredResponse
from scenarios.format.model import Decay, Hint, Response

EXACT = Response(
    id="R1",
    prompt="Which IP?",
    type="exact",
    points=10,
    scoring="auto",
    answer="203.0.113.7",
    decay=Decay(full_minutes=10, zero_minutes=40, floor=0.5),
    hints=(Hint("Read the log.", 2), Hint("Look at sshd.", 3)),
    objectives=("O1", "O2"),
    attempts=2,
)


def test_a_right_answer_in_time_earns_every_point():
    verdict = scoring.auto_verdict(EXACT, " 203.0.113.7 ", 5, 0)
    assert (verdict.correct, verdict.points) == (True, 10)
    assert verdict.rule == "auto: exact (exact)"


def test_decay_and_hints_come_off_and_say_so():
    verdict = scoring.auto_verdict(EXACT, "203.0.113.7", 25, 2)
    # halfway between 10 and 40 minutes: x0.75 of 10 = 7.5, minus 2 + 3 for the hints
    assert verdict.points == 2.5
    assert "x0.75" in verdict.rule and "hints -5" in verdict.rule


def test_a_wrong_answer_earns_nothing():
    verdict = scoring.auto_verdict(EXACT, "198.51.100.1", 1, 0)
    assert (verdict.correct, verdict.points) == (False, 0)


def test_an_evaluator_decides_free_text():
    free = Response(id="R2", prompt="Tell", type="free_text", points=5, scoring="evaluator")
    assert scoring.auto_verdict(free, "anything", 1, 0) == scoring.Verdict(None, None, "evaluator")
    assert scoring.evaluator_correct(free, 2.5) and not scoring.evaluator_correct(free, 2)


def test_resubmission_while_the_rubric_allows():
    wrong = Attempt(1, False, 0.0, 3, 3)
    assert scoring.may_submit(EXACT, []) is None
    assert scoring.may_submit(EXACT, [wrong]) is None  # two attempts allowed
    assert scoring.may_submit(EXACT, [wrong, Attempt(2, False, 0.0, 4, 4)]) == "exhausted"
    assert scoring.may_submit(EXACT, [Attempt(1, True, 10.0, 3, 3)]) == "right"
    assert scoring.may_submit(EXACT, [Attempt(1, None, None, 3, None)]) == "waiting"


def test_branching_sees_an_evaluator_verdict_from_when_it_was_given():
    answers = scoring.team_answers({"I1.R1": [Attempt(1, True, 4.0, 10, 25)]})
    assert answers["I1.R1"][0].minute == 25 and answers["I1.R1"][0].correct


def test_overrides_hold_and_release_per_team_and_for_all():
    minutes = {"I1": 0.0, "I2": 30.0, "I3": None}
    overrides = [
        Override("I2", None, "hold", 20, order=1),  # held for everyone before it arrived
        Override("I3", 7, "release", 12, order=2),  # released by hand to team 7 only
        Override("I2", 7, "release", 40, order=3),  # then released to team 7
        Override("I1", None, "hold", 5, order=4),  # too late: I1 is already out
    ]
    assert scoring.apply_overrides(minutes, overrides, team_id=7) == {
        "I1": 0.0,
        "I2": 40,
        "I3": 12,
    }
    assert scoring.apply_overrides(minutes, overrides, team_id=8) == {
        "I1": 0.0,
        "I2": None,
        "I3": None,
    }


def test_the_scoreboard_ranks_ties_together_and_can_be_frozen():
    teams = [(1, "Alpha", "AFR"), (2, "Bravo", "EUR"), (3, "Charlie", "AFR")]
    scored = [
        ScoredResponse(1, "I1", EXACT, (Attempt(1, True, 10.0, 4, 4),), release_minute=0),
        ScoredResponse(2, "I1", EXACT, (Attempt(1, False, 0.0, 2, 2),), release_minute=0),
        ScoredResponse(2, "I1", EXACT, (Attempt(2, True, 10.0, 50, 50),), release_minute=0),
    ]
    board = scoring.scoreboard(teams, scored)
    assert [(rank, s.name, s.total) for rank, s in board] == [
        (1, "Alpha", 10.0),
        (1, "Bravo", 10.0),
        (3, "Charlie", 0.0),
    ]
    alpha = board[0][1]
    assert alpha.by_objective == {"O1": 5.0, "O2": 5.0}
    assert alpha.median_response_minutes == 4
    frozen = scoring.scoreboard(teams, scored, until_minute=30)
    assert [(s.name, s.total) for _rank, s in frozen] == [
        ("Alpha", 10.0),
        ("Bravo", 0.0),
        ("Charlie", 0.0),
    ]
