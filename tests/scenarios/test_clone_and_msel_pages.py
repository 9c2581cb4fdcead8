"""Cloning a scenario and importing a master scenario events list, through the service and
the pages."""

import io
import re

import pytest
import yaml
from sqlmodel import func, select

from core import db as core_db
from core.models import AuditEvent
from scenarios.authoring import service
from scenarios.format import reader, writer
from scenarios.models import Scenario, ScenarioVersion
from tests.conftest import csrf_from, login
from tests.scenarios.examples import minimal

MSEL = (
    "\ufeffOffset (min);Scenario time;Method;Sender;Subject;Message;To;Expected action\n"
    "0;Day 1 06:40;e-mail;NOC lead;Billing servers encrypted;Files end in .lockbit;all;"
    "Open an incident and ask for the ransom note\n"
    "T+45;Day 1 07:25;phone call;Regulator;Regulator asks for a report;"
    "When will we have your notification?;sector-telecom, gov;Notify within 24 hours\n"
    "1:30;Day 1 08:10;press;Journalist;Media asks;Is this an attack?;;\n"
)


def count(session, table):
    return session.exec(select(func.count()).select_from(table)).one()


def as_yaml(document) -> str:
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)


@pytest.fixture
def trainer(client, users):
    login(client, users["trainer"].email)
    return {"X-CSRFToken": csrf_from(client, "/")}


def _publish_minimal(app):
    with app.app_context():
        s = core_db.session()
        version = service.import_text(s, as_yaml(minimal()), publish=True)
        s.commit()
        return version.scenario_id


# --- clone -------------------------------------------------------------------------------------


def test_clone_has_its_own_history_and_unique_ids(app, session, users):
    _publish_minimal(app)
    with app.app_context():
        s = core_db.session()
        source = service.by_slug(s, "test-scenario")
        changed = minimal()
        changed["title"] = "Test scenario, second draft"
        service.save_draft(s, source, changed)  # version 2, a draft: the clone starts from it
        first = service.clone(s, source, "Copy of Test scenario", actor=users["trainer"])
        second = service.clone(s, source, "Copy of Test scenario")
        s.commit()
        assert first.document["id"] == "test-scenario-copy"
        assert second.document["id"] == "test-scenario-copy-2"
        clone = service.by_slug(s, "test-scenario-copy")
        history = service.versions(s, clone)
        assert [(v.number, v.state) for v in history] == [(1, "draft")]
        assert history[0].document == {
            **changed,
            "id": "test-scenario-copy",
            "title": "Copy of Test scenario",
        }
        assert [v.number for v in service.versions(s, source)] == [2, 1]  # untouched
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "scenario.cloned")).first()
    assert event.actor_id == users["trainer"].id and event.object_id == str(clone.id)
    assert event.details == {"source": "test-scenario", "source_version": 2}


def test_clone_button_for_trainers_only(app, client, users, session):
    _publish_minimal(app)
    login(client, users["trainer"].email)
    page = client.get("/scenarios/test-scenario").get_data(as_text=True)
    assert 'action="/scenarios/test-scenario/clone"' in page
    assert client.post("/scenarios/test-scenario/clone").status_code == 400  # no CSRF token
    response = client.post(
        "/scenarios/test-scenario/clone",
        data={"csrf_token": csrf_from(client, "/scenarios/test-scenario")},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/scenarios/test-scenario-copy")
    page = client.get("/scenarios/test-scenario-copy").get_data(as_text=True)
    assert "Copy of Test scenario" in page and "Version 2" not in page
    client.post("/logout", data={"csrf_token": csrf_from(client, "/")})
    login(client, users["participant"].email)
    token = csrf_from(client, "/")
    assert (
        client.post("/scenarios/test-scenario/clone", data={"csrf_token": token}).status_code == 403
    )
    assert count(session, Scenario) == 2


# --- master scenario events list ---------------------------------------------------------------


def _preview(client, text, title="Nightfall", as_file=True):
    data = {"title": title, "csrf_token": csrf_from(client, "/scenarios/import/msel")}
    if as_file:
        data["file"] = (io.BytesIO(text.encode("utf-8")), "msel.csv")
    else:
        data["text"] = text
    return client.post(
        "/scenarios/import/msel/preview", data=data, content_type="multipart/form-data"
    )


def _hidden(page: str, name: str) -> str:
    import html

    match = re.search(rf'name="{name}" type="hidden" value="([^"]*)"', page) or re.search(
        rf'id="{name}" name="{name}" type="hidden" value="([^"]*)"', page
    )
    return html.unescape(match[1])


def test_library_links_to_the_msel_import(client, trainer):
    page = client.get("/scenarios/").get_data(as_text=True)
    assert 'href="/scenarios/import/msel"' in page
    assert "Import a master scenario events list (CSV)" in page
    assert client.get("/scenarios/import/msel").status_code == 200


def test_preview_shows_the_mapping_and_stores_nothing(client, trainer, session):
    events = count(session, AuditEvent)
    response = _preview(client, MSEL)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<td>Scenario time</td>\n      <td>Story time</td>" in page
    assert "<td>Expected action</td>\n      <td>Expected response</td>" in page
    assert "semicolon" in page and "Create the draft" in page
    assert '+90 min <span class="muted">(1:30)</span>' in page  # understood, beside as written
    assert "+0 min</td>" in page and 'phone <span class="muted">(phone call)</span>' in page
    assert "sector-telecom, gov" in page
    assert _hidden(page, "csv") == MSEL.removeprefix("\ufeff")
    assert count(session, Scenario) == 0 and count(session, AuditEvent) == events
    pasted = _preview(client, MSEL, as_file=False)
    assert pasted.status_code == 200 and "Create the draft" in pasted.get_data(as_text=True)
    assert count(session, Scenario) == 0


def test_a_bad_row_is_refused_with_its_number_and_nothing_is_stored(client, trainer, session):
    bad = MSEL + "soon;;pigeon;;;Nothing;;\n"
    events = count(session, AuditEvent)
    page = _preview(client, bad).get_data(as_text=True)
    assert "Row 5: no title" in page
    assert "Row 5: offset &#39;soon&#39; is not minutes" in page
    assert "Row 5: unknown channel &#39;pigeon&#39;: write one of email, phone, news" in page
    assert "Create the draft" not in page
    # Sent anyway (an old tab, a crafted form): read again on the server and refused.
    response = client.post(
        "/scenarios/import/msel/create",
        data={
            "title": "Nightfall",
            "summary": "",
            "csv": bad,
            "csrf_token": csrf_from(client, "/scenarios/import/msel"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "Nothing was created" in response.get_data(as_text=True)
    assert count(session, Scenario) == 0 and count(session, ScenarioVersion) == 0
    assert count(session, AuditEvent) == events


def test_upload_problems_are_explained(client, trainer):
    latin = _preview_raw(client, "Titre;Canal\nÉvénement;mail\n".encode("latin-1"))
    assert latin.status_code == 400 and "not UTF-8" in latin.get_data(as_text=True)
    empty = client.post(
        "/scenarios/import/msel/preview",
        data={
            "title": "X",
            "text": "  ",
            "csrf_token": csrf_from(client, "/scenarios/import/msel"),
        },
        content_type="multipart/form-data",
    )
    assert empty.status_code == 400 and "Choose a CSV file" in empty.get_data(as_text=True)


def _preview_raw(client, raw: bytes):
    return client.post(
        "/scenarios/import/msel/preview",
        data={
            "title": "X",
            "file": (io.BytesIO(raw), "msel.csv"),
            "csrf_token": csrf_from(client, "/scenarios/import/msel"),
        },
        content_type="multipart/form-data",
    )


def test_create_the_draft_from_the_preview_and_round_trip(app, client, trainer, session, users):
    page = _preview(client, MSEL, title="Exercise Nightfall").get_data(as_text=True)
    response = client.post(
        "/scenarios/import/msel/create",
        data={
            "title": _hidden(page, "title"),
            "summary": _hidden(page, "summary"),
            "csv": _hidden(page, "csv"),
            "csrf_token": _hidden(page, "csrf_token"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/scenarios/exercise-nightfall")
    scenario = session.exec(select(Scenario)).one()
    version = session.exec(select(ScenarioVersion)).one()
    assert (scenario.slug, version.number, version.state) == ("exercise-nightfall", 1, "draft")
    assert scenario.created_by_id == users["trainer"].id
    document = version.document
    assert document["title"] == "Exercise Nightfall"
    assert [(i["id"], i["offset_minutes"], i["channel"]) for i in document["injects"]] == [
        ("I01", 0, "email"),
        ("I02", 45, "phone"),
        ("I03", 90, "news"),
    ]
    assert document["injects"][1]["audience"] == {"tags": ["sector-telecom", "gov"]}
    assert document["injects"][1]["story_time"] == "Day 1 07:25"
    assert document["injects"][1]["responses"][0]["criteria"] == ["Notify within 24 hours"]
    query = (
        select(AuditEvent).where(AuditEvent.action.startswith("scenario.")).order_by(AuditEvent.id)
    )
    assert [e.action for e in session.exec(query)] == ["scenario.created", "scenario.imported_msel"]
    # The draft shows what it still lacks, and exports to a file that imports the same.
    shown = client.get("/scenarios/exercise-nightfall").get_data(as_text=True)
    assert "a scenario needs at least one objective" in shown
    exported = client.get("/scenarios/exercise-nightfall/export.yaml").get_data(as_text=True)
    assert yaml.safe_load(exported) == document
    assert writer.to_document(reader.read(yaml.safe_load(exported))[0]) == yaml.safe_load(exported)
    with app.app_context():  # once it has an objective, the export imports as the same scenario
        s = core_db.session()

        def add_objective(doc):
            doc["objectives"] = [
                {"id": "O1", "text": "Contain.", "capability": "Respond", "gci_pillar": "TEC"}
            ]
            for inject in doc["injects"]:
                inject["objectives"] = ["O1"]
                for response in inject["responses"]:
                    response["objectives"] = ["O1"]

        edited = service.edit(s, service.by_slug(s, "exercise-nightfall"), add_objective)
        again = service.import_text(s, service.export_text(edited), as_new=True)
        assert again.document == {**edited.document, "id": "exercise-nightfall-2"}
        s.rollback()
    # The same title again gets a free id.
    client.post(
        "/scenarios/import/msel/create",
        data={
            "title": "Exercise Nightfall",
            "summary": "",
            "csv": MSEL,
            "csrf_token": _hidden(page, "csrf_token"),
        },
        content_type="multipart/form-data",
    )
    assert service.by_slug(session, "exercise-nightfall-2") is not None


def test_only_trainers_and_admins_import(client, users, session):
    login(client, users["participant"].email)
    assert client.get("/scenarios/import/msel").status_code == 403
    token = csrf_from(client, "/")
    response = client.post(
        "/scenarios/import/msel/create",
        data={"title": "X", "csv": MSEL, "csrf_token": token},
        content_type="multipart/form-data",
    )
    assert response.status_code == 403 and count(session, Scenario) == 0


def test_the_api_clones_and_imports_a_spreadsheet_with_a_preview(app, client, users, session):
    from core import accounts
    from core.models import User

    with app.app_context():  # a bearer token: no CSRF needed
        s = core_db.session()
        _row, token = accounts.create_token(s, s.get(User, users["trainer"].id), "api test")
        s.commit()
    trainer = {"Authorization": f"Bearer {token}"}
    client.post(
        "/api/v1/scenarios/import", json={"text": yaml.safe_dump(minimal())}, headers=trainer
    )
    copy = client.post("/api/v1/scenarios/test-scenario/clone", json={}, headers=trainer)
    assert copy.status_code == 201
    assert copy.get_json()["slug"] == "test-scenario-copy"
    assert copy.get_json()["document"]["title"] == "Copy of Test scenario"

    csv_text = (
        "Offset;Channel;Title;Body;Expected response\n0;e-mail;Alert;An alert fired.;Triage it\n"
    )
    preview = client.post(
        "/api/v1/scenarios/import/msel",
        json={"csv": csv_text, "title": "From the sheet", "preview": True},
        headers=trainer,
    )
    assert preview.status_code == 200
    understood = {c["header"]: c["field"] for c in preview.get_json()["columns"]}
    assert understood["Channel"] == "channel" and understood["Expected response"]
    assert preview.get_json()["rows"][0]["channel"] == "email"
    assert service.by_slug(session, "from-the-sheet") is None  # a preview stores nothing
    bad = client.post(
        "/api/v1/scenarios/import/msel",
        json={"csv": csv_text + "soon;pigeon;;x;y\n", "title": "Bad sheet"},
        headers=trainer,
    )
    assert bad.status_code == 422 and "row 3" in bad.get_json()["detail"]
    made = client.post(
        "/api/v1/scenarios/import/msel",
        json={"csv": csv_text, "title": "From the sheet"},
        headers=trainer,
    )
    assert made.status_code == 201 and made.get_json()["state"] == "draft"
    assert [i["channel"] for i in made.get_json()["document"]["injects"]] == ["email"]
