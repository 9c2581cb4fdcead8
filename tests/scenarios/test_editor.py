"""The trainer's editor, through its pages: create, add, validate, fix, publish, preview."""

from sqlmodel import select

from scenarios.models import ScenarioVersion
from tests.conftest import csrf_from, login


def post(client, url, data):
    form_page = client.get(url)
    assert form_page.status_code == 200, url
    html = form_page.get_data(as_text=True)
    import re

    revision = re.search(r'name="revision" type="hidden" value="([0-9.]*)"', html)
    fields = {"csrf_token": csrf_from(client, url), **data}
    if revision and "revision" not in data:
        fields["revision"] = revision.group(1)
    return client.post(url, data=fields)


def create(client):
    return post(
        client,
        "/scenarios/new",
        {
            "slug": "water-utility",
            "title": "Water utility intrusion",
            "summary": "SCADA alarms.",
            "duration_minutes": "90",
            "difficulty": "introductory",
            "tlp": "GREEN",
            "tags": "Water, ICS",
            "languages": "en",
        },
    )


def inject_fields(**fields):
    """An inject form's fields: a plain e-mail inject I1, with `fields` over it."""
    return {
        "id": "I1",
        "offset_minutes": "0",
        "title": "T",
        "channel": "email",
        "body": "B",
        "condition_is": "",
        **fields,
    }


def modbus_response(**fields):
    """Response R1 of the build test: the protocol, exact, with a decay; `fields` over it."""
    return {
        "id": "R1",
        "prompt": "Which protocol?",
        "type": "exact",
        "scoring": "auto",
        "answer": "modbus",
        "match": "case_insensitive",
        "points": "10",
        "decay_full": "10",
        "decay_floor": "0.5",
        **fields,
    }


def add_inject(client, **fields):
    return post(client, "/scenarios/water-utility/injects/new", inject_fields(**fields))


def test_a_trainer_builds_a_scenario_from_scratch(client, users, session):
    login(client, users["trainer"].email)
    assert create(client).status_code == 302
    page = client.get("/scenarios/water-utility").get_data(as_text=True)
    assert "a scenario needs at least one objective" in page  # a draft may have errors
    assert (
        post(
            client,
            "/scenarios/water-utility/objectives/new",
            {
                "id": "O1",
                "text": "Detect the intrusion.",
                "capability": "Detect",
                "gci_pillar": "TEC",
            },
        ).status_code
        == 302
    )
    added = add_inject(
        client, title="Pump alarm", channel="soc_alert", body="Pumps **cycling**.", objectives="O1"
    )
    assert added.status_code == 302
    response = post(
        client,
        "/scenarios/water-utility/injects/I1/responses/new",
        modbus_response(decay_zero="5", objectives=""),
    )
    assert response.status_code == 302
    page = client.get("/scenarios/water-utility").get_data(as_text=True)
    assert "zero_minutes: must come after full_minutes" in page
    assert "objective O1 is scored by no response" in page

    # the trainer fixes both problems in the response form, which shows them by the fields
    form = client.get("/scenarios/water-utility/injects/I1/responses/R1").get_data(as_text=True)
    assert "must come after full_minutes" in form
    assert (
        post(
            client,
            "/scenarios/water-utility/injects/I1/responses/R1",
            modbus_response(decay_zero="40", objectives="O1"),
        ).status_code
        == 302
    )
    page = client.get("/scenarios/water-utility").get_data(as_text=True)
    assert "must come after" not in page and "scored by no response" not in page

    published = client.post(
        "/scenarios/water-utility/publish",
        data={"csrf_token": csrf_from(client, "/scenarios/water-utility")},
    )
    assert published.status_code == 302
    version = session.exec(select(ScenarioVersion)).one()
    assert version.state == "published"
    assert version.document["tags"] == ["water", "ics"]
    exported = client.get("/scenarios/water-utility/export.yaml").get_data(as_text=True)
    assert "answer: modbus" in exported and "full_minutes: 10.0" in exported


def test_bad_numbers_are_named_next_to_their_field(client, users):
    login(client, users["trainer"].email)
    create(client)
    add_inject(client)
    response = post(
        client,
        "/scenarios/water-utility/injects/I1/responses/new",
        {
            "id": "R1",
            "prompt": "?",
            "type": "number",
            "scoring": "auto",
            "answer": "seventy",
            "points": "ten",
            "hints": "cheap hint without a cost",
        },
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "seventy is not a number" in html and "ten is not a number" in html
    assert "Write each hint as cost: text" in html


def test_a_stale_save_is_refused_and_shows_both_versions(app, client, users):
    login(client, users["trainer"].email)
    create(client)
    add_inject(client, title="First title")
    url = "/scenarios/water-utility/injects/I1"
    html = client.get(url).get_data(as_text=True)
    import re

    old_revision = re.search(r'name="revision" type="hidden" value="([0-9.]+)"', html).group(1)
    other = app.test_client()  # a second tab saves first
    login(other, users["admin"].email)
    post(other, url, inject_fields(title="Second tab's title"))
    stale = client.post(
        url,
        data={
            "csrf_token": csrf_from(client, url),
            "revision": old_revision,
            **inject_fields(title="First tab"),
        },
    )
    assert stale.status_code == 409
    html = stale.get_data(as_text=True)
    assert "someone saved this draft after you opened it" in html
    assert "Second tab&#39;s title" in html or "Second tab's title" in html  # stored values
    assert 'value="First tab"' in html  # and the user's own


def test_duplicate_delete_and_preview(client, users):
    login(client, users["trainer"].email)
    create(client)
    add_inject(client, title="Alarm")
    add_inject(
        client,
        id="I2",
        offset_minutes="60",
        title="Later news",
        channel="news",
        body="<script>alert(1)</script>Reporters call.",
        audience_tags="sector-water",
    )
    token = csrf_from(client, "/scenarios/water-utility")
    client.post("/scenarios/water-utility/injects/I1/duplicate", data={"csrf_token": token})
    assert "inject-I1-2" in client.get("/scenarios/water-utility").get_data(as_text=True)
    client.post("/scenarios/water-utility/injects/I1-2/delete", data={"csrf_token": token})
    assert "inject-I1-2" not in client.get("/scenarios/water-utility").get_data(as_text=True)
    early = client.get("/scenarios/water-utility/preview?minute=30").get_data(as_text=True)
    assert "Alarm" in early and "Later news" not in early
    other_team = client.get("/scenarios/water-utility/preview?minute=90&tags=sector-energy")
    assert "Later news" not in other_team.get_data(as_text=True)
    water = client.get("/scenarios/water-utility/preview?minute=90&tags=sector-water")
    html = water.get_data(as_text=True)
    assert "Later news" in html and "<script>alert(1)" not in html


def test_editing_is_for_trainers_and_admins_only(app, client, users):
    login(client, users["trainer"].email)
    create(client)
    for role in ("participant", "evaluator", "analyst"):
        other = app.test_client()
        login(other, users[role].email)
        assert other.get("/scenarios/water-utility/injects/new").status_code == 403
        assert other.get("/scenarios/water-utility/preview").status_code == 403
        assert other.get("/scenarios/new").status_code == 403


def test_versions_and_their_differences(client, users):
    login(client, users["trainer"].email)
    create(client)
    token = csrf_from(client, "/scenarios/water-utility")
    post(
        client,
        "/scenarios/water-utility/objectives/new",
        {"id": "O1", "text": "Detect.", "capability": "Detect", "gci_pillar": "TEC"},
    )
    post(
        client,
        "/scenarios/water-utility/injects/new",
        {
            "id": "I1",
            "offset_minutes": "0",
            "title": "Alarm",
            "channel": "email",
            "body": "B",
            "objectives": "O1",
        },
    )
    post(
        client,
        "/scenarios/water-utility/injects/I1/responses/new",
        {
            "id": "R1",
            "prompt": "Protocol?",
            "type": "exact",
            "scoring": "auto",
            "answer": "modbus",
            "points": "2,5",
            "objectives": "O1",
        },
    )
    client.post("/scenarios/water-utility/publish", data={"csrf_token": token})
    post(
        client,
        "/scenarios/water-utility/injects/I1",
        {
            "id": "I1",
            "offset_minutes": "15",
            "title": "Alarm",
            "channel": "email",
            "body": "B",
            "objectives": "O1",
        },
    )
    page = client.get("/scenarios/water-utility").get_data(as_text=True)
    assert "changes since version 1" in page
    diff = client.get("/scenarios/water-utility/versions/1/diff/2").get_data(as_text=True)
    assert "inject I1" in diff and "offset_minutes" in diff
    exported = client.get("/scenarios/water-utility/export.yaml").get_data(as_text=True)
    assert "points: 2.5" in exported  # a decimal comma is read as a point
