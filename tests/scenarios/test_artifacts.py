"""Binary artifacts in the scenario document: type judged by content, size limit, round trip."""

import json

import pytest
import yaml

from scenarios.format import artifacts, yamlines
from scenarios.format.model import errors
from scenarios.format.reader import read
from scenarios.format.writer import to_document
from tests.factories import JPEG, PCAP_BE, PCAP_LE, PCAP_NANO, PCAPNG, PCAPNG_BE, PDF, PNG
from tests.scenarios.examples import minimal


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (PNG, artifacts.PNG),
        (JPEG, artifacts.JPEG),
        (PDF, artifacts.PDF),
        (PCAP_LE, artifacts.PCAP),
        (PCAP_BE, artifacts.PCAP),
        (PCAP_NANO, artifacts.PCAP),
        (PCAPNG, artifacts.PCAPNG),
        (PCAPNG_BE, artifacts.PCAPNG),
        (b"<svg onload=alert(1)>", None),
        (b"<html><script>alert(1)</script>", None),
        (b"MZ\x90\x00", None),
        (b"", None),
    ],
)
def test_the_type_is_told_by_the_content(data, expected):
    assert artifacts.sniff(data) == expected


def with_artifact(**fields) -> dict:
    document = minimal()
    document["injects"][0]["artifacts"].append(fields)
    return document


def binary(name, kind, data, media_type=None) -> dict:
    fields = {"name": name, "kind": kind, "encoding": "base64", "content": artifacts.encode(data)}
    if media_type:
        fields["media_type"] = media_type
    return fields


def test_binary_artifacts_round_trip_exactly_through_yaml_and_json():
    document = minimal()
    document["injects"][0]["artifacts"] += [
        binary("screen.png", "image", PNG, "image/png"),
        binary("phish.jpg", "image", JPEG),
        binary("advisory.pdf", "document", PDF),
        binary("beacon.pcap", "pcap", PCAP_NANO),
        binary("beacon.pcapng", "pcap", PCAPNG),
    ]
    scenario, problems = read(document)
    assert errors(problems) == []
    stored = scenario.injects[0].artifacts
    assert [a.media_type for a in stored[1:]] == [
        artifacts.PNG,
        artifacts.JPEG,
        artifacts.PDF,
        artifacts.PCAP,
        artifacts.PCAPNG,
    ]
    assert stored[1].data() == PNG and stored[1].is_inline_image
    assert stored[3].data() == PDF and not stored[3].is_inline_image
    assert stored[0].data() == stored[0].content.encode() and not stored[0].is_binary
    exported = to_document(scenario)
    assert exported["injects"][0]["artifacts"][4]["encoding"] == "base64"
    assert "encoding" not in exported["injects"][0]["artifacts"][0]
    as_yaml = yaml.safe_dump(exported, sort_keys=False, allow_unicode=True, width=100)
    for text in (as_yaml, json.dumps(exported)):
        loaded, lines = yamlines.load(text)
        assert read(loaded, lines)[0] == scenario
    again, problems = read(to_document(scenario))
    assert again == scenario and errors(problems) == []


@pytest.mark.parametrize(
    ("fields", "place", "message"),
    [
        (
            binary("screen.png", "image", b"<svg onload=alert(1)></svg>"),
            "injects[0].artifacts[1].content",
            "is not a PNG, JPEG, PDF, pcap or pcapng file",
        ),
        (
            binary("report.pdf", "document", PNG, "application/pdf"),
            "injects[0].artifacts[1].media_type",
            "says application/pdf but the content is image/png",
        ),
        (
            binary("capture.pcap", "image", PCAP_LE),
            "injects[0].artifacts[1].kind",
            "image cannot hold application/vnd.tcpdump.pcap",
        ),
        (
            binary("x.png", "log", PNG),
            "injects[0].artifacts[1].kind",
            "log cannot hold image/png",
        ),
        (
            {"name": "x", "kind": "image", "encoding": "base64", "content": "not base64!"},
            "injects[0].artifacts[1].content",
            "is not valid base64",
        ),
        (
            {"name": "x", "kind": "image", "media_type": "image/png", "content": "hello"},
            "injects[0].artifacts[1].media_type",
            "image/png needs encoding: base64",
        ),
        (
            {"name": "x", "kind": "log", "encoding": "gzip", "content": "hello"},
            "injects[0].artifacts[1].encoding",
            "'gzip' is not one of text, base64",
        ),
    ],
)
def test_a_wrong_artifact_is_refused_with_its_place(fields, place, message):
    _scenario, problems = read(with_artifact(**fields))
    found = [str(p) for p in errors(problems)]
    assert any(p.startswith(place) and message in p for p in found), found


def test_an_oversized_binary_artifact_is_refused():
    big = PNG + b"\x00" * artifacts.MAX_BINARY_BYTES
    _scenario, problems = read(with_artifact(**binary("huge.png", "image", big)))
    found = [str(p) for p in errors(problems)]
    assert any(
        p.startswith("injects[0].artifacts[1].content") and "the limit is 2 MB" in p for p in found
    ), found
    just_fits = PNG + b"\x00" * (artifacts.MAX_BINARY_BYTES - len(PNG))
    _scenario, problems = read(with_artifact(**binary("fits.png", "image", just_fits)))
    assert errors(problems) == []


def test_download_names_are_plain_and_carry_the_real_extension():
    assert artifacts.download_name("screen shot.png", artifacts.PNG) == "screen_shot.png"
    assert artifacts.download_name("evil.html", artifacts.PNG) == "evil.png"
    assert artifacts.download_name('a"b\r\n.pdf', artifacts.PDF) == "a_b_.pdf"
    assert artifacts.download_name("../..", artifacts.PCAPNG) == "artifact.pcapng"


def test_the_json_schema_knows_the_encoding_field():
    import jsonschema

    from scenarios.format.jsonschema import SCHEMA

    validator = jsonschema.Draft202012Validator(SCHEMA)
    assert validator.is_valid(with_artifact(**binary("s.png", "image", PNG)))
    assert not validator.is_valid(
        with_artifact(**binary("s.png", "image", PNG) | {"encoding": "hex"})
    )
