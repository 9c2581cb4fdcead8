"""Artifacts in the editor: upload a binary file onto an inject, list, download, delete; write
and edit text artifacts; export and import carry the bytes unchanged."""

import io
import re

import yaml
from sqlmodel import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from core import db as core_db
from core.models import AuditEvent
from scenarios.authoring import service
from scenarios.format import artifacts
from tests.conftest import csrf_from, login
from tests.factories import JPEG, PCAP_LE, PDF, PNG
from tests.scenarios.examples import minimal

PAGE = "/scenarios/test-scenario/injects/I1/artifacts"


def trainer_with_scenario(app, client, users):
    with app.app_context():
        s = core_db.session()
        service.import_text(s, yaml.safe_dump(minimal()))
        s.commit()
    assert login(client, users["trainer"].email).status_code == 302


def upload(client, data: bytes, filename: str, name: str = ""):
    html = client.get(PAGE).get_data(as_text=True)
    revision = re.search(r'name="revision" type="hidden" value="([0-9.]*)"', html).group(1)
    boundary, body = encode_multipart(  # in memory: the test client would spool a big body
        {  # to a temporary file it never closes
            "csrf_token": csrf_from(client, PAGE),
            "revision": revision,
            "name": name,
            "file": FileStorage(io.BytesIO(data), filename),
        }
    )
    return client.post(PAGE, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def stored_artifacts(app) -> list[dict]:
    with app.app_context():
        s = core_db.session()
        document = service.latest(s, service.by_slug(s, "test-scenario")).document
        return document["injects"][0].get("artifacts", [])


def test_a_trainer_uploads_lists_downloads_and_deletes(app, client, users, session):
    trainer_with_scenario(app, client, users)
    done = upload(client, PNG, "console.PNG", name="EDR console")
    assert done.status_code == 302
    assert upload(client, PCAP_LE, "beacon.pcap").status_code == 302
    stored = stored_artifacts(app)
    assert [a["name"] for a in stored] == ["alert.log", "EDR console", "beacon.pcap"]
    assert stored[1] | {"content": ""} == {
        "name": "EDR console",
        "kind": "image",
        "media_type": "image/png",
        "encoding": "base64",
        "content": "",
    }
    assert artifacts.decode(stored[1]["content"]) == PNG
    assert stored[2]["kind"] == "pcap"
    page = client.get(PAGE).get_data(as_text=True)
    assert "EDR console" in page and "application/vnd.tcpdump.pcap" in page
    got = client.get(f"{PAGE}/1/download")
    assert got.status_code == 200 and got.data == PNG
    assert got.headers["Content-Disposition"] == 'attachment; filename="EDR_console.png"'
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get(f"{PAGE}/0/download").status_code == 404  # text: nothing to download
    events = session.exec(
        select(AuditEvent).where(AuditEvent.action == "scenario.artifact_added")
    ).all()
    assert len(events) == 2
    # deleting needs the CSRF token, then removes exactly that one
    assert client.post(f"{PAGE}/1/delete").status_code == 400
    deleted = client.post(f"{PAGE}/1/delete", data={"csrf_token": csrf_from(client, PAGE)})
    assert deleted.status_code == 302
    assert [a["name"] for a in stored_artifacts(app)] == ["alert.log", "beacon.pcap"]
    assert (
        client.post(f"{PAGE}/7/delete", data={"csrf_token": csrf_from(client, PAGE)}).status_code
        == 404
    )


def test_a_file_of_the_wrong_type_or_too_big_is_refused_and_nothing_is_stored(app, client, users):
    trainer_with_scenario(app, client, users)
    refused = upload(client, b"<html><script>alert(1)</script></html>", "photo.png")
    assert refused.status_code == 400
    assert "judged by its content, not by its name" in refused.get_data(as_text=True)
    too_big = upload(client, PNG + b"\x00" * artifacts.MAX_BINARY_BYTES, "big.png")
    assert too_big.status_code == 400
    assert "larger than 2 MB" in too_big.get_data(as_text=True)
    assert [a["name"] for a in stored_artifacts(app)] == ["alert.log"]
    no_token = client.post(PAGE, data={"file": (io.BytesIO(PNG), "a.png")})
    assert no_token.status_code == 400
    assert [a["name"] for a in stored_artifacts(app)] == ["alert.log"]


def test_text_artifacts_are_written_and_edited_in_a_textarea(app, client, users):
    trainer_with_scenario(app, client, users)
    form = client.get(f"{PAGE}/text").get_data(as_text=True)
    assert "<textarea" in form
    token = csrf_from(client, f"{PAGE}/text")
    added = client.post(
        f"{PAGE}/text",
        data={
            "csrf_token": token,
            "name": "iocs.txt",
            "kind": "ioc_list",
            "content": "203.0.113.7",
        },
    )
    assert added.status_code == 302
    assert stored_artifacts(app)[1] == {
        "name": "iocs.txt",
        "kind": "ioc_list",
        "media_type": "text/plain",
        "content": "203.0.113.7",
    }
    edit = client.get(f"{PAGE}/0").get_data(as_text=True)
    assert "2026-11-23T08:00:01Z sshd[77]" in edit
    changed = client.post(
        f"{PAGE}/0",
        data={
            "csrf_token": csrf_from(client, f"{PAGE}/0"),
            "name": "alert.log",
            "kind": "log",
            "content": "line one\nline two",
        },
    )
    assert changed.status_code == 302
    assert stored_artifacts(app)[0]["content"] == "line one\nline two"
    upload(client, PDF, "advisory.pdf")
    assert client.get(f"{PAGE}/2").status_code == 404  # a binary one is not edited as text


def test_export_then_import_gives_the_same_bytes(app, client, users):
    trainer_with_scenario(app, client, users)
    upload(client, JPEG, "phish.jpg")
    upload(client, PDF, "advisory.pdf")
    for fmt in ("yaml", "json"):
        exported = client.get(f"/scenarios/test-scenario/export.{fmt}").get_data(as_text=True)
        scenario, problems = service.parse_text(exported)
        assert [p for p in problems if p.severity == "error"] == []
        data = [a.data() for a in scenario.injects[0].artifacts]
        assert data[1:] == [JPEG, PDF]
        with app.app_context():
            s = core_db.session()
            version = service.latest(s, service.by_slug(s, "test-scenario"))
            assert service.read_version(version)[0] == scenario
