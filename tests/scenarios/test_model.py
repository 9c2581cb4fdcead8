import pytest
from hypothesis import given
from hypothesis import strategies as st

from scenarios.format import yamlines
from scenarios.format.model import Decay, Hint, Response, errors
from scenarios.format.reader import read
from scenarios.format.writer import to_document
from scenarios.play import rubric
from tests.scenarios.examples import minimal


def messages(document) -> list[str]:
    _scenario, problems = read(document)
    return [str(p) for p in problems if p.severity == "error"]


def test_a_valid_scenario_reads_without_errors_and_round_trips():
    scenario, problems = read(minimal())
    assert errors(problems) == []
    assert scenario.total_points == 20
    assert scenario.inject("I2").condition.response == "I1.R1"
    again, _ = read(to_document(scenario))
    assert again == scenario


@pytest.mark.parametrize(
    ("breakage", "expected"),
    [
        (lambda d: d.update(colour="red"), "colour: unknown field 'colour'"),
        (
            lambda d: d["injects"][0].update(offset_minutes=120),
            "injects[0].offset_minutes: 120 is outside the scenario's 120 minutes",
        ),
        (lambda d: d["injects"][1].update(id="I1"), "injects[1].id: duplicate inject id 'I1'"),
        (lambda d: d["objectives"][1].update(id="O1"), "duplicate objective id 'O1'"),
        (
            lambda d: d["injects"][0]["responses"].append(dict(d["injects"][0]["responses"][0])),
            "duplicate response id 'R1'",
        ),
        (lambda d: d["injects"][0].update(objectives=["O9"]), "no objective 'O9'"),
        (lambda d: d["injects"][1]["condition"].update(response="I1.R7"), "no response 'I1.R7'"),
        (lambda d: d["injects"][0].update(body=""), "injects[0].body: must not be empty"),
        (lambda d: d["injects"][0].update(channel="pigeon"), "'pigeon' is not one of"),
        (lambda d: d["objectives"][0].update(capability="Defend"), "'Defend' is not one of"),
        (lambda d: d["injects"][0].update(objectives=[]), "objective O1 is served by no inject"),
        (
            lambda d: d["injects"][0]["responses"][0].update(objectives=[]),
            "objective O1 is scored by no response",
        ),
        (
            lambda d: d["injects"][0]["responses"][0].pop("answer"),
            "an automatically scored exact response needs its answer",
        ),
        (
            lambda d: d["injects"][0]["responses"][0].update(match="regex", answer="203.("),
            "is not a valid regular expression",
        ),
        (
            lambda d: d["injects"][1]["responses"][0].update(criteria=[]),
            "evaluator scoring needs criteria",
        ),
        (
            lambda d: d["injects"][1]["responses"][0].update(scoring="auto"),
            "free text cannot be checked automatically",
        ),
        (
            lambda d: d["injects"][0]["responses"][0]["decay"].update(floor=1.5),
            "floor: must be between 0 and 1",
        ),
        (
            lambda d: d["injects"][0]["responses"][0]["decay"].update(zero_minutes=5),
            "zero_minutes: must come after full_minutes",
        ),
        (
            lambda d: d["injects"][0]["responses"][0]["hints"].append({"text": "x", "cost": 9}),
            "the hints together cost more than the response is worth",
        ),
        (
            lambda d: d["injects"][0]["artifacts"][0].update(content="x" * (257 * 1024)),
            "the limit is 256 KB",
        ),
        (lambda d: d.update(injects=[d["injects"][0]] * 1001), "the limit is 1000"),
        (
            lambda d: (
                d["injects"][1].update(offset_minutes=0)
                or d["injects"][0].update(offset_minutes=10)
            ),
            "a condition looks back, not forward",
        ),
        (lambda d: d.update(format="other/2"), "format: must be 'cyberready-scenario/1'"),
        (lambda d: d.update(id="Bad Id"), "use lowercase letters, digits and dashes"),
        (
            lambda d: d["injects"][0].update(audience={"teams": ["x"]}),
            "must be all, or {tags: [some, tags]}",
        ),
    ],
)
def test_every_rule_has_a_failing_example(breakage, expected):
    document = minimal()
    breakage(document)
    found = messages(document)
    assert any(expected in m for m in found), found


def test_branching_cycles_are_named():
    document = minimal()
    first, second = document["injects"]
    second["offset_minutes"] = 0
    first["condition"] = {"response": "I2.R2", "is": "correct"}
    assert any(
        "branching forms a cycle: I1 -> I2 -> I1" in m
        or "branching forms a cycle: I2 -> I1 -> I2" in m
        for m in messages(document)
    )
    document = minimal()
    document["injects"][1]["condition"] = {"response": "I2.R2", "is": "correct"}
    assert any("branching forms a cycle: I2 -> I2" in m for m in messages(document))


def test_problems_carry_the_line_of_the_file():
    text = (
        "format: cyberready-scenario/1\n"
        "id: x1\n"
        "title: T\n"
        "summary: S\n"
        "duration_minutes: 60\n"
        "difficulty: hard\n"
        "tlp: GREEN\n"
    )
    data, lines = yamlines.load(text)
    _s, problems = read(data, lines)
    difficulty = next(p for p in problems if p.path == ("difficulty",))
    assert difficulty.line == 6 and str(difficulty).startswith("line 6, difficulty:")


def test_malformed_yaml_names_its_line():
    with pytest.raises(yamlines.FormatError) as caught:
        yamlines.load("id: a\ninjects: [\n  - x: 1\n")
    assert "not valid YAML or JSON" in caught.value.problems[0]
    assert caught.value.problems[0].startswith("line ")


def test_a_warning_does_not_block():
    document = minimal()
    document["injects"][1]["responses"] = []
    document["injects"][1]["objectives"] = ["O2"]
    document["injects"][0]["responses"][0]["objectives"] = ["O1", "O2"]
    scenario, problems = read(document)
    assert errors(problems) == []
    assert any(p.severity == "warning" and "no expected response" in p.message for p in problems)


# --- rubric ------------------------------------------------------------------------------

EXACT = Response("R", "?", "exact", 10, "auto", answer="LockBit", match="case_insensitive")


def test_automatic_checks_for_every_type():
    assert rubric.is_correct(EXACT, " lockbit ") is True
    assert rubric.is_correct(EXACT, "Conti") is False
    regex = Response("R", "?", "exact", 10, "auto", answer=r"CVE-2026-\d{4,}", match="regex")
    assert rubric.is_correct(regex, "CVE-2026-12345") and not rubric.is_correct(regex, "CVE-1")
    exact = Response("R", "?", "exact", 10, "auto", answer="Abc")
    assert rubric.is_correct(exact, "Abc") and not rubric.is_correct(exact, "abc")
    many = Response(
        "R",
        "?",
        "multiple_choice",
        5,
        "auto",
        answer=["a", "c"],
        options=(("a", "A"), ("b", "B"), ("c", "C")),
    )
    assert rubric.is_correct(many, ["c", "a"]) and not rubric.is_correct(many, ["a"])
    one = Response(
        "R", "?", "single_choice", 5, "auto", answer="b", options=(("a", "A"), ("b", "B"))
    )
    assert rubric.is_correct(one, "b") and not rubric.is_correct(one, "a")
    number = Response("R", "?", "number", 5, "auto", answer=72, tolerance=2)
    assert rubric.is_correct(number, 70.5) and not rubric.is_correct(number, 75)
    assert rubric.is_correct(number, "72") is False
    evaluator = Response("R", "?", "free_text", 5, "evaluator", criteria=("x",))
    assert rubric.is_correct(evaluator, "anything") is None


def test_points_with_decay_and_hints():
    r = Response(
        "R",
        "?",
        "exact",
        10,
        "auto",
        answer="x",
        decay=Decay(10, 40, 0.5),
        hints=(Hint("h", 2), Hint("h2", 3)),
    )
    assert rubric.points(r, True, 5) == 10
    assert rubric.points(r, True, 25) == pytest.approx(7.5)
    assert rubric.points(r, True, 90) == 5
    assert rubric.points(r, True, 5, hints_opened=2) == 5
    assert rubric.points(r, False, 0) == 0


@given(
    full=st.floats(0, 100),
    span=st.floats(0.1, 500),
    floor=st.floats(0, 1),
    t1=st.floats(0, 1000),
    t2=st.floats(0, 1000),
)
def test_decay_never_raises_points_and_never_falls_below_the_floor(full, span, floor, t1, t2):
    r = Response("R", "?", "exact", 10, "auto", answer="x", decay=Decay(full, full + span, floor))
    early, late = sorted((t1, t2))
    assert rubric.points(r, True, late) <= rubric.points(r, True, early) + 1e-9
    assert rubric.points(r, True, late) >= 10 * floor - 1e-9
