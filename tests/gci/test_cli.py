import json

from sqlmodel import func, select

from gci.models import CountryResult, Cycle, FrameworkVersion
from tests.gci.frameworks import GCI_2024_FILE, small


def count(session, model):
    return session.exec(select(func.count()).select_from(model)).one()


def test_load_framework_then_reload_is_a_no_op(runner, session):
    result = runner.invoke(args=["gci", "load-framework", str(GCI_2024_FILE)])
    assert result.exit_code == 0, result.output
    assert (
        "Framework GCI-2024: 59 questions, stored as version 1 of cycle GCI-2024" in result.output
    )
    assert "placeholders" in result.output
    again = runner.invoke(args=["gci", "load-framework", str(GCI_2024_FILE)])
    assert "version 1" in again.output
    assert count(session, FrameworkVersion) == 1


def test_a_broken_framework_file_is_refused_with_every_problem(runner, session, tmp_path):
    document = small()
    legal = document["pillars"][0]["indicators"][0]["questions"]
    legal += [
        {"code": "q2", "text": "dup", "answer_type": "yes_no"},
        {"code": "x", "text": "?", "answer_type": "essay"},
        {"code": "c1", "text": "?", "answer_type": "yes_no", "parent": "c2"},
        {"code": "c2", "text": "?", "answer_type": "yes_no", "parent": "c1"},
    ]
    legal[0]["weight"] = -3
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(document))
    result = runner.invoke(args=["gci", "load-framework", str(path), "--year", "2026"])
    assert result.exit_code != 0
    for expected in (
        "nothing stored",
        "duplicate code q2",
        "unknown answer_type 'essay'",
        "form a cycle",
        "weight must not be negative",
    ):
        assert expected in result.output
    assert count(session, Cycle) == 0 and count(session, FrameworkVersion) == 0


def test_not_json_is_refused(runner, tmp_path):
    path = tmp_path / "x.json"
    path.write_text("{oops")
    result = runner.invoke(args=["gci", "load-framework", str(path)])
    assert result.exit_code != 0 and "not valid JSON" in result.output


def test_import_results_and_refuse_a_file_that_does_not_add_up(
    runner, session, countries, tmp_path
):
    good = tmp_path / "gci2020.csv"
    good.write_text("iso3,overall,rank\nUSA,100,1\nGBR,99.54,2\nSAU,99.54,2\nEST,99.48,3\n")
    result = runner.invoke(
        args=[
            "gci",
            "import-results",
            str(good),
            "--cycle",
            "GCI-2020",
            "--name",
            "GCI 2020",
            "--year",
            "2020",
        ]
    )
    assert result.exit_code == 0, result.output
    assert count(session, CountryResult) == 4
    bad = tmp_path / "bad.csv"
    bad.write_text("iso3,overall,rank\nUSA,100,1\nGBR,99.54,3\n")
    result = runner.invoke(
        args=[
            "gci",
            "import-results",
            str(bad),
            "--cycle",
            "GCI-2018",
            "--name",
            "GCI 2018",
            "--year",
            "2018",
        ]
    )
    assert result.exit_code != 0
    assert "line 3: GBR has rank 3, but its overall 99.54 ranks 2" in result.output
    assert count(session, Cycle) == 1


def test_recompute_and_publish_from_the_command_line(runner, session, countries):
    runner.invoke(args=["gci", "load-framework", str(GCI_2024_FILE)])
    result = runner.invoke(args=["gci", "recompute", "GCI-2024", "--publish"])
    assert result.exit_code == 0 and "published" in result.output
    assert runner.invoke(args=["gci", "recompute", "NOPE"]).exit_code != 0
