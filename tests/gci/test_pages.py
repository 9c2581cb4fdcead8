from sqlmodel import select

from gci.models import FrameworkVersion, Snapshot
from tests.conftest import csrf_from, login


def test_admin_sees_the_cycle_tree_snapshots_and_results(client, cycle, users):
    login(client, users["admin"].email)
    page = client.get("/gci/cycles/T-2026").get_data(as_text=True)
    assert "Computed with placeholder weights" in page
    assert 'id="node-q1a"' in page and "when q1 is yes" in page
    assert "Egypt" in page and "40.00" in page
    assert "Compute a new snapshot" in page


def test_recompute_and_publish_through_the_page(client, cycle, users, session):
    login(client, users["admin"].email)
    token = csrf_from(client, "/gci/cycles/T-2026")
    response = client.post("/gci/cycles/T-2026/recompute", data={"csrf_token": token})
    assert response.status_code == 302
    newest = session.exec(select(Snapshot).order_by(Snapshot.id.desc())).first()
    assert newest.published_at is None
    page = client.get("/gci/cycles/T-2026").get_data(as_text=True)
    assert f"Changes since {cycle['snapshot'].id}" in page
    client.post(f"/gci/snapshots/{newest.id}/publish", data={"csrf_token": token})
    session.expire_all()
    assert session.get(Snapshot, newest.id).published_at is not None
    diff = client.get(f"/gci/snapshots/{cycle['snapshot'].id}/diff/{newest.id}")
    assert "published score or tier differs between these snapshots" in diff.get_data(as_text=True)


def test_editing_a_node_shows_every_problem_and_saves_nothing(client, cycle, users, session):
    login(client, users["admin"].email)
    url = f"/gci/frameworks/{cycle['version'].id}/nodes/LEG.1"
    form = {"label": "", "weight": "-1", "csrf_token": csrf_from(client, url)}
    response = client.post(url, data=form)
    assert response.status_code == 400
    assert session.exec(select(FrameworkVersion)).all()[-1].version == 1
    form.update(label="Cybercrime law", weight="2")
    response = client.post(url, data=form)
    assert response.status_code == 302
    versions = session.exec(select(FrameworkVersion).order_by(FrameworkVersion.id)).all()
    assert [v.version for v in versions] == [1, 2]  # v1 was frozen by publishing
    assert versions[1].document["pillars"][0]["indicators"][0]["name"] == "Cybercrime law"


def test_an_edit_that_empties_a_pillar_is_refused_with_the_reason(client, cycle, users):
    login(client, users["admin"].email)
    url = f"/gci/frameworks/{cycle['version'].id}/nodes/q8"
    response = client.post(
        url, data={"label": "Q", "weight": "0", "csrf_token": csrf_from(client, url)}
    )
    assert response.status_code == 400
    assert "pillar CAP: cannot reach its maximum" in response.get_data(as_text=True)


def test_focal_point_sees_why_and_what_would_move(client, cycle, users):
    login(client, users["focal_point"].email)
    page = client.get("/gci/countries/KEN").get_data(as_text=True)
    assert "20.00 / 100" in page and "What would raise the score most" in page
    assert "Provisional" in page
    assert client.get("/gci/cycles/T-2026").status_code == 403
