import io
import json

import pytest
import yaml
from sqlmodel import func, select

from core import db as core_db
from scenarios.authoring import service
from scenarios.models import Scenario, ScenarioVersion
from tests.conftest import csrf_from, login
from tests.scenarios.examples import minimal

PROBLEM = "application/problem+json"


def as_yaml(document) -> str:
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)


def count(session, model):
    return session.exec(select(func.count()).select_from(model)).one()


@pytest.fixture
def trainer(client, users):
    login(client, users["trainer"].email)
    return {"X-CSRFToken": csrf_from(client, "/")}


def test_import_export_round_trip_and_as_new(app, session):
    with app.app_context():
        s = core_db.session()
        first = service.import_text(s, as_yaml(minimal()))
        exported = service.export_text(first)
        again = service.import_text(s, exported, as_new=True)
        s.commit()
        assert again.document == {**first.document, "id": "test-scenario-2"}
        from_json = service.export_text(first, "json")
        assert json.loads(from_json) == first.document
    assert [x.slug for x in session.exec(select(Scenario).order_by(Scenario.id))] == [
        "test-scenario",
        "test-scenario-2",
    ]


def test_a_bad_file_is_refused_whole_with_lines(app, session):
    document = minimal()
    document["injects"][0]["channel"] = "pigeon"
    document["injects"][1]["surprise"] = True
    with app.app_context(), pytest.raises(service.ScenarioRefused) as caught:
        service.import_text(core_db.session(), as_yaml(document))
    text = "\n".join(caught.value.problems)
    assert "injects[0].channel: 'pigeon' is not one of" in text
    assert "injects[1].surprise: unknown field 'surprise'" in text
    assert all(p.startswith("line ") for p in caught.value.problems)
    assert count(session, Scenario) == 0 and count(session, ScenarioVersion) == 0


def test_malformed_and_oversized_files_are_refused(app):
    with app.app_context():
        with pytest.raises(service.ScenarioRefused, match="not valid YAML or JSON"):
            service.import_text(core_db.session(), "title: [unclosed\n")
        with pytest.raises(service.ScenarioRefused, match="larger than 5 MB"):
            service.import_text(core_db.session(), "x" * (5 * 1024 * 1024 + 1))


def test_publishing_freezes_and_an_edit_makes_a_new_draft(app, session):
    with app.app_context():
        s = core_db.session()
        draft = service.import_text(s, as_yaml(minimal()))
        scenario = s.get(Scenario, draft.scenario_id)
        published = service.publish_draft(s, scenario)
        assert published.state == "published"
        with pytest.raises(service.ScenarioRefused, match="published already"):
            service.publish_draft(s, scenario)
        changed = minimal()
        changed["title"] = "Changed"
        new = service.save_draft(s, scenario, changed)
        s.commit()
        assert (new.number, new.state) == (2, "draft")
        assert s.get(ScenarioVersion, published.id).document["title"] == "Test scenario"


def test_a_draft_with_errors_cannot_be_published(app):
    document = minimal()
    with app.app_context():
        s = core_db.session()
        draft = service.import_text(s, as_yaml(document))
        scenario = s.get(Scenario, draft.scenario_id)
        document["injects"][0]["objectives"] = []
        service.save_draft(s, scenario, document)
        with pytest.raises(service.ScenarioRefused, match="served by no inject"):
            service.publish_draft(s, scenario)


def test_api_import_validate_draft_conflict_and_publish(client, trainer):
    made = client.post(
        "/api/v1/scenarios/import", json={"text": as_yaml(minimal())}, headers=trainer
    )
    assert made.status_code == 201 and made.json["state"] == "draft"
    revision = made.json["revision"]
    document = made.json["document"]
    document["title"] = "Tab one"
    saved = client.put(
        "/api/v1/scenarios/test-scenario/draft",
        json={"document": document, "revision": revision},
        headers=trainer,
    )
    assert saved.status_code == 200 and saved.json["revision"] == "1.2"  # version 1, revision 2
    assert revision == "1.1"
    document["title"] = "Tab two, stale"
    stale = client.put(
        "/api/v1/scenarios/test-scenario/draft",
        json={"document": document, "revision": revision},
        headers=trainer,
    )
    assert stale.status_code == 409 and stale.mimetype == PROBLEM
    assert stale.json["current"]["document"]["title"] == "Tab one"  # both versions at hand

    broken = dict(document, injects=[])
    problems = client.post(
        "/api/v1/scenarios/validate", json={"document": broken}, headers=trainer
    ).json
    assert any(p["place"] == "injects" and "at least one inject" in p["message"] for p in problems)
    published = client.post("/api/v1/scenarios/test-scenario/publish", headers=trainer)
    assert published.status_code == 200 and published.json["state"] == "published"
    exported = client.get("/api/v1/scenarios/test-scenario/export?format=json")
    assert exported.status_code == 200 and exported.json["title"] == "Tab one"
    bad = client.post("/api/v1/scenarios/import", json={"text": "injects: 5\n"}, headers=trainer)
    assert bad.status_code == 422 and "injects: must be a list" in bad.json["detail"]


def test_only_trainers_and_admins_see_scenarios(app, client, users, trainer):
    client.post("/api/v1/scenarios/import", json={"text": as_yaml(minimal())}, headers=trainer)
    for role in ("participant", "evaluator", "focal_point", "analyst"):
        other = app.test_client()
        login(other, users[role].email)
        assert other.get("/api/v1/scenarios/test-scenario").status_code == 403
        assert other.get("/scenarios/test-scenario").status_code == 403
        assert other.get("/scenarios/test-scenario/export.yaml").status_code == 403


def test_markdown_with_a_script_is_rendered_inert(client, trainer):
    document = minimal()
    document["injects"][0]["body"] = (
        "Hello <script>alert('x')</script> **bold** <img src=x onerror=alert(1)> "
        "[link](javascript:alert(2))"
    )
    client.post("/api/v1/scenarios/import", json={"text": as_yaml(document)}, headers=trainer)
    page = client.get("/scenarios/test-scenario").get_data(as_text=True)
    assert "<strong>bold</strong>" in page
    assert "<script>alert" not in page and "onerror" not in page
    assert "javascript:" not in page


def test_library_page_filters_and_import_form(client, trainer):
    client.post("/api/v1/scenarios/import", json={"text": as_yaml(minimal())}, headers=trainer)
    page = client.get("/scenarios/?capability=Detect").get_data(as_text=True)
    assert "Test scenario" in page
    page = client.get("/scenarios/?capability=Recover").get_data(as_text=True)
    assert "No scenario matches." in page
    document = minimal()
    document["injects"][0]["artifacts"][0]["content"] = "x" * (300 * 1024)
    response = client.post(
        "/scenarios/import",
        data={
            "file": (io.BytesIO(as_yaml(document).encode()), "big.yaml"),
            "csrf_token": csrf_from(client, "/scenarios/"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "the limit is 256 KB" in response.get_data(as_text=True)
    response = client.post(
        "/scenarios/import",
        data={
            "file": (io.BytesIO(b"x"), "evil.exe"),
            "csrf_token": csrf_from(client, "/scenarios/"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302  # refused with a message, nothing stored


def test_a_huge_number_of_injects_is_refused(app):
    document = minimal()
    base = document["injects"][0]
    document["injects"] = [dict(base, id=f"I{n}") for n in range(1001)]
    with app.app_context(), pytest.raises(service.ScenarioRefused, match="limit is 1000"):
        service.import_text(core_db.session(), json.dumps(document))


def test_two_editors_of_a_published_version_cannot_overwrite_each_other(app):
    with app.app_context():
        s = core_db.session()
        draft = service.import_text(s, as_yaml(minimal()), publish=True)
        scenario = s.get(Scenario, draft.scenario_id)
        loaded = service.token(service.latest(s, scenario))  # both opened version 1
        assert loaded == "1.1"

        def retitle(title):
            return lambda d: d.update(title=title)

        first = service.edit(s, scenario, retitle("First"), expected=loaded)
        assert (first.number, first.state) == (2, "draft")
        with pytest.raises(service.StaleDraft):
            service.edit(s, scenario, retitle("Second"), expected=loaded)
        assert service.latest(s, scenario).document["title"] == "First"


def test_scenario_errors_are_domain_errors_answered_by_the_one_handler(client, trainer):
    from core.domain import DomainError
    from scenarios.authoring.editing import EditError, FieldErrors
    from scenarios.format.yamlines import FormatError

    for error, status in (
        (service.ScenarioRefused, 422),
        (service.ScenarioNotFound, 404),
        (service.StaleDraft, 409),
        (EditError, 404),
        (FieldErrors, 400),
        (FormatError, 422),
    ):
        assert issubclass(error, DomainError) and error.status == status
    missing = client.get("/api/v1/scenarios/no-such-scenario")
    assert missing.status_code == 404 and missing.mimetype == PROBLEM
    assert missing.get_json()["detail"] == "No scenario no-such-scenario."
    assert client.get("/scenarios/no-such-scenario").status_code == 404
    refused = client.post(
        "/api/v1/scenarios/import", json={"text": "injects: 3\n"}, headers=trainer
    )
    assert refused.status_code == 422 and refused.mimetype == PROBLEM
    assert "injects: must be a list" in " ".join(refused.get_json()["problems"])
