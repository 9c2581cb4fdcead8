"""A team downloads the binary artifacts of injects that have reached it, and nothing else."""

import base64
from datetime import timedelta

import yaml

from core import db as core_db
from core.models import utcnow
from drills.models import Drill
from scenarios.authoring import service as scenarios
from tests.conftest import login
from tests.factories import PCAPNG, PNG
from tests.scenarios.examples import minimal

PNG_URL = "/drills/teams/{team}/injects/I1/artifacts/1"


def drill_with_artifacts(app, users, minutes_ago: float) -> None:
    document = minimal()
    for inject, name, kind, data in (
        ("I1", "screen.png", "image", PNG),
        ("I2", "c.pcapng", "pcap", PCAPNG),
    ):
        target = next(i for i in document["injects"] if i["id"] == inject)
        target.setdefault("artifacts", []).append(
            {
                "name": name,
                "kind": kind,
                "encoding": "base64",
                "content": base64.b64encode(data).decode(),
            }
        )
    with app.app_context():
        s = core_db.session()
        version = scenarios.import_text(s, yaml.safe_dump(document), publish=True)
        row = s.get(Drill, users["drill"].id)
        row.scenario_version_id = version.id
        row.starts_at = utcnow() - timedelta(minutes=minutes_ago)
        row.state = "running"
        s.add(row)
        s.commit()


def client_of(app, users, role):
    client = app.test_client()
    assert login(client, users[role].email).status_code == 302
    return client


def test_a_team_downloads_a_released_image_as_an_attachment(app, users):
    drill_with_artifacts(app, users, minutes_ago=5)
    team = users["team"].id
    client = client_of(app, users, "participant")
    page = client.get(f"/drills/teams/{team}").get_data(as_text=True)
    url = PNG_URL.format(team=team)
    assert f'<img src="{url}"' in page and "Download screen.png" in page
    assert "alert.log" in page and "<pre>2026-11-23T08:00:01Z" in page  # text stays text
    got = client.get(url)
    assert got.status_code == 200 and got.data == PNG
    assert got.mimetype == "image/png"
    assert got.headers["Content-Disposition"] == 'attachment; filename="screen.png"'
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in got.headers["Content-Security-Policy"]
    # a text artifact has no download, and a number past the end is no artifact
    assert client.get(f"/drills/teams/{team}/injects/I1/artifacts/0").status_code == 404
    assert client.get(f"/drills/teams/{team}/injects/I1/artifacts/2").status_code == 404


def test_another_team_gets_404(app, users):
    drill_with_artifacts(app, users, minutes_ago=5)
    other = client_of(app, users, "other_participant")
    assert other.get(PNG_URL.format(team=users["team"].id)).status_code == 404
    # its own team's copy is there
    assert other.get(PNG_URL.format(team=users["other_team"].id)).status_code == 200


def test_an_inject_not_yet_released_gets_404(app, users):
    drill_with_artifacts(app, users, minutes_ago=5)  # I2 comes at minute 30
    team = users["team"].id
    client = client_of(app, users, "participant")
    assert client.get(f"/drills/teams/{team}/injects/I2/artifacts/0").status_code == 404
    assert "c.pcapng" not in client.get(f"/drills/teams/{team}").get_data(as_text=True)


def test_a_released_capture_is_only_a_download(app, users):
    drill_with_artifacts(app, users, minutes_ago=35)  # I2 reached the team (no answer to I1)
    team = users["team"].id
    client = client_of(app, users, "participant")
    page = client.get(f"/drills/teams/{team}").get_data(as_text=True)
    url = f"/drills/teams/{team}/injects/I2/artifacts/0"
    assert f'href="{url}"' in page and f'<img src="{url}"' not in page
    got = client.get(url)
    assert got.status_code == 200 and got.data == PCAPNG
    assert got.mimetype == "application/x-pcapng"
    assert got.headers["Content-Disposition"] == 'attachment; filename="c.pcapng"'
