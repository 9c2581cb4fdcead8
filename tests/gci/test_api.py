import pytest
from sqlmodel import func, select

from core import db as core_db
from core.models import Country
from gci.cycles import service as cycles
from gci.models import Answer, FrameworkVersion, Snapshot
from gci.results import snapshots
from gci.results.labels import PLACEHOLDER_NOTICE
from tests.conftest import csrf_from, login
from tests.gci.frameworks import small

PROBLEM = "application/problem+json"


def headers(client):
    return {"X-CSRFToken": csrf_from(client, "/")}


def test_public_scores_carry_the_placeholder_notice(client, cycle):
    body = client.get("/api/v1/gci/cycles/T-2026/scores").json
    assert body["notice"] == PLACEHOLDER_NOTICE
    assert [(r["iso3"], r["overall"], r["rank"]) for r in body["results"]] == [
        ("EGY", 40.0, 1),
        ("KEN", 20.0, 2),
    ]
    arab = client.get("/api/v1/gci/cycles/T-2026/scores?region=Arab+States").json["results"]
    assert [r["iso3"] for r in arab] == ["EGY"]
    assert client.get("/api/v1/gci/cycles/T-2026/scores?group=sids").json["results"] == []


def test_country_detail_explains_only_to_its_own_people(app, client, cycle, users):
    public = client.get("/api/v1/gci/cycles/T-2026/scores/KEN").json
    assert public["result"]["overall"] == 20 and public["items"] is None
    login(client, users["focal_point"].email)  # Kenya's focal point
    own = client.get("/api/v1/gci/cycles/T-2026/scores/KEN").json
    assert own["provisional_overall"] == pytest.approx(40)
    assert {i["code"]: i["state"] for i in own["items"]}["q9"] == "awaiting_acceptance"
    assert own["what_would_move"][0]["gain"] == pytest.approx(20)
    other = client.get("/api/v1/gci/cycles/T-2026/scores/EGY").json
    assert other["items"] is None and other["what_would_move"] is None


def test_what_if_answers_without_saving_and_names_bad_codes(client, cycle, users, session):
    login(client, users["focal_point"].email)
    response = client.post(
        "/api/v1/gci/cycles/T-2026/what-if",
        json={"answers": {"q8": "yes", "q5": 5}},
        headers=headers(client),
    )
    assert response.status_code == 200
    assert response.json["overall"] == 22.5 and response.json["notice"] == PLACEHOLDER_NOTICE
    bad = client.post(
        "/api/v1/gci/cycles/T-2026/what-if",
        json={"answers": {"NOPE.1": "yes", "q8": "maybe"}},
        headers=headers(client),
    )
    assert bad.status_code == 422 and bad.mimetype == PROBLEM
    assert "NOPE.1: no such question" in bad.json["detail"]
    assert "q8: 'maybe' is not possible" in bad.json["detail"]
    assert session.exec(select(func.count()).select_from(Answer)).one() == 4


def test_what_if_is_for_staff_and_focal_points(client, cycle, users):
    anonymous = client.post(
        "/api/v1/gci/cycles/T-2026/what-if", json={"answers": {}}, headers=headers(client)
    )
    assert anonymous.status_code == 401
    login(client, users["trainer"].email)
    assert (
        client.post(
            "/api/v1/gci/cycles/T-2026/what-if", json={"answers": {}}, headers=headers(client)
        ).status_code
        == 403
    )


def test_admin_recomputes_publishes_and_compares(client, cycle, users, session):
    login(client, users["admin"].email)
    created = client.post("/api/v1/gci/cycles/T-2026/snapshots", headers=headers(client))
    assert created.status_code == 201 and created.json["published_at"] is None
    new_id = created.json["id"]
    analyst_view = client.get(f"/api/v1/gci/cycles/T-2026/scores?snapshot={new_id}")
    assert analyst_view.status_code == 200
    diff = client.get(f"/api/v1/gci/snapshots/{cycle['snapshot'].id}/diff/{new_id}").json
    assert diff == []  # nothing changed in between
    published = client.post(f"/api/v1/gci/snapshots/{new_id}/publish", headers=headers(client))
    assert published.status_code == 200 and published.json["published_at"]
    again = client.post(f"/api/v1/gci/snapshots/{new_id}/publish", headers=headers(client))
    assert again.status_code == 409 and "published already" in again.json["detail"]


def test_unpublished_snapshots_are_staff_only(client, cycle, users):
    snapshot_id = cycle["snapshot"].id
    response = client.get(f"/api/v1/gci/cycles/T-2026/scores?snapshot={snapshot_id}")
    assert response.status_code == 403


def test_admin_edits_a_frozen_framework_into_a_new_version(app, client, cycle, users, session):
    login(client, users["admin"].email)
    version_id = cycle["version"].id
    url = f"/api/v1/gci/frameworks/{version_id}/nodes/q8"
    edited = client.patch(
        url, json={"weight": 2, "text": "Better wording?"}, headers=headers(client)
    )
    assert edited.status_code == 200 and edited.json["version"] == 2
    assert session.get(FrameworkVersion, version_id).document == small() | {
        "placeholder_weights": True
    }
    bad = client.patch(
        f"/api/v1/gci/frameworks/{edited.json['id']}/nodes/q8",
        json={"weight": -1},
        headers=headers(client),
    )
    assert bad.status_code == 422 and "weight" in bad.json["errors"]["json"]
    unknown = client.patch(url, json={"answer_type": "text"}, headers=headers(client))
    assert unknown.status_code == 422 and "answer_type" in unknown.json["errors"]["json"]
    analyst = app.test_client()
    login(analyst, users["analyst"].email)
    assert analyst.patch(url, json={"weight": 2}, headers=headers(analyst)).status_code == 403


def test_clone_into_a_new_cycle(client, cycle, users):
    login(client, users["admin"].email)
    url = f"/api/v1/gci/frameworks/{cycle['version'].id}/clone"
    made = client.post(
        url,
        json={"cycle_code": "T-2027", "name": "Test 2027", "year": 2027},
        headers=headers(client),
    )
    assert made.status_code == 201 and made.json["frozen"] is False
    framework = client.get("/api/v1/gci/cycles/T-2027/framework").json
    assert framework["document"]["code"] == "T-2027"
    dup = client.post(
        url, json={"cycle_code": "T-2027", "name": "x", "year": 2027}, headers=headers(client)
    )
    assert dup.status_code == 409


def test_unknown_cycle_and_country_are_404_problems(client, cycle):
    assert client.get("/api/v1/gci/cycles/NOPE/scores").status_code == 404
    missing = client.get("/api/v1/gci/cycles/T-2026/scores/FRA")
    assert missing.status_code == 404 and "France has no result" in missing.json["detail"]


def test_a_tiers_only_cycle_hides_ranks_from_the_public(app, client, users):
    with app.app_context():
        session = core_db.session()
        doc = small()
        doc["publish_ranks"] = False
        cycles.load_framework(session, doc, cycle_code="T-2024", year=2024)
        cycle = cycles.cycle_by_code(session, "T-2024")
        kenya = session.exec(select(Country).where(Country.iso3 == "KEN")).one()
        session.add(
            Answer(
                cycle_id=cycle.id,
                country_id=kenya.id,
                question_code="q8",
                value={"v": "yes"},
                accepted=True,
            )
        )
        snapshots.publish(session, snapshots.recompute(session, cycle))
        session.commit()
    public = client.get("/api/v1/gci/cycles/T-2024/scores").json
    assert public["ranks_published"] is False and public["results"][0]["rank"] is None
    assert public["results"][0]["tier_name"] == "Evolving"
    login(client, users["analyst"].email)
    assert client.get("/api/v1/gci/cycles/T-2024/scores").json["results"][0]["rank"] == 1


def test_openapi_lists_the_gci_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert "/api/v1/gci/cycles/{code}/what-if" in paths
    assert "/api/v1/gci/frameworks/{framework_id}/nodes/{code}" in paths


def test_snapshots_are_never_changed_by_a_recompute(client, cycle, users, session):
    before = session.get(Snapshot, cycle["snapshot"].id).published_at
    login(client, users["admin"].email)
    client.post("/api/v1/gci/cycles/T-2026/snapshots", headers=headers(client))
    session.expire_all()
    assert session.get(Snapshot, cycle["snapshot"].id).published_at == before
    body = client.get(f"/api/v1/gci/cycles/T-2026/scores?snapshot={cycle['snapshot'].id}").json
    assert [r["overall"] for r in body["results"]] == [40.0, 20.0]


def test_snapshots_of_two_cycles_cannot_be_compared(app, client, cycle, users):
    """The GciError propagates to the one handler: 422 with its message, as problem+json for
    the API and as an error page (it was a 400 there, mapped by hand)."""
    with app.app_context():
        session = core_db.session()
        cycles.load_framework(session, small(), cycle_code="T-2027", year=2027)
        other = snapshots.recompute(session, cycles.cycle_by_code(session, "T-2027"))
        session.commit()
        other_id = other.id
    login(client, users["analyst"].email)
    url = f"/snapshots/{cycle['snapshot'].id}/diff/{other_id}"
    api = client.get("/api/v1/gci" + url)
    assert api.status_code == 422 and api.mimetype == PROBLEM
    assert "same cycle" in api.json["detail"]
    page = client.get("/gci" + url)
    assert page.status_code == 422 and "same cycle" in page.get_data(as_text=True)
