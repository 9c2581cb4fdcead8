from scenarios.authoring.diff import Change, difference
from tests.scenarios.examples import minimal


def test_no_change_no_difference():
    assert difference(minimal(), minimal()) == []


def test_changes_are_named_by_place_and_field():
    old, new = minimal(), minimal()
    new["title"] = "New title"
    new["objectives"].append(
        {"id": "O3", "text": "x", "capability": "Recover", "gci_pillar": "ORG"}
    )
    new["injects"][0]["offset_minutes"] = 5
    new["injects"][0]["responses"][0]["points"] = 20
    del new["injects"][1]
    assert difference(old, new) == [
        Change("facts", "changed", ("title",)),
        Change("objective O3", "added"),
        Change("inject I1", "changed", ("offset_minutes",)),
        Change("inject I2", "removed"),
        Change("response I1: R1", "changed", ("points",)),
    ]
