"""The scenarios that ship: each is valid, long enough, and round-trips exactly."""

import json

import pytest
import yaml

from scenarios.authoring import service
from scenarios.format import model, reader, writer, yamlines

FILES = sorted(service.LIBRARY.glob("*.yaml"))


def test_the_library_has_the_five_national_cirt_scenarios():
    assert {f.stem for f in FILES} >= {
        "ransomware-telecom",
        "ddos-election",
        "phishing-ministry",
        "supply-chain-update",
        "health-data-leak",
    }


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_a_library_scenario_is_valid_and_substantial(path):
    scenario, problems = service.parse_text(path.read_text(encoding="utf-8"))
    assert model.errors(problems) == []
    assert scenario.id == path.stem
    assert len(scenario.injects) >= 8
    assert 120 <= scenario.duration_minutes <= 180
    assert scenario.objectives and all(i.body.strip() for i in scenario.injects)
    assert any(i.condition for i in scenario.injects), "no branching"
    assert any(r.scoring == "auto" for i in scenario.injects for r in i.responses)
    assert any(r.scoring == "evaluator" for i in scenario.injects for r in i.responses)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_export_then_import_gives_the_same_scenario(path):
    scenario, _ = service.parse_text(path.read_text(encoding="utf-8"))
    document = writer.to_document(scenario)
    for text in (
        yaml.safe_dump(document, sort_keys=False, allow_unicode=True),
        json.dumps(document, ensure_ascii=False),
    ):
        data, lines = yamlines.load(text)
        again, problems = reader.read(data, lines)
        assert model.errors(problems) == [] and again == scenario
