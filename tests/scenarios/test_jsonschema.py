import jsonschema
import pytest
import yaml

from scenarios.authoring import service
from scenarios.format.jsonschema import SCHEMA
from tests.scenarios.examples import minimal

VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def test_the_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("path", sorted(service.LIBRARY.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_library_scenario_fits_the_published_schema(path):
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert list(VALIDATOR.iter_errors(document)) == []


def test_the_schema_refuses_what_the_reader_refuses():
    assert VALIDATOR.is_valid(minimal())
    for breakage in (
        lambda d: d.update(colour="red"),
        lambda d: d["injects"][0].update(channel="pigeon"),
        lambda d: d["injects"][0]["responses"][0].update(type="essay"),
        lambda d: d["injects"][0]["responses"][0]["decay"].update(floor=2),
        lambda d: d.pop("objectives"),
    ):
        document = minimal()
        breakage(document)
        assert not VALIDATOR.is_valid(document)


def test_the_schema_is_served(client):
    response = client.get("/api/v1/scenarios/schema.json")
    assert response.status_code == 200 and response.json["title"].startswith("CyberReady")
