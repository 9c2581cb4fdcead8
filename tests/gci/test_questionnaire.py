"""Pure questionnaire rules (shown questions, progress, what is missing) and evidence files
judged by their content."""

import io
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gci.framework.validator import parse
from gci.questionnaire import filetypes as evidence
from gci.questionnaire import rules
from tests.gci.frameworks import small


def framework(**q1_extra):
    doc = small()
    doc["pillars"][0]["indicators"][0]["questions"][0].update(q1_extra)
    return parse(doc)


SMALL = framework(evidence_required_for_positive_answer=True)


def test_a_sub_question_shows_only_when_its_parent_calls_for_it():
    assert "q1a" not in rules.visible(SMALL, {})
    assert "q1a" not in rules.visible(SMALL, {"q1": "no"})
    assert "q1a" in rules.visible(SMALL, {"q1": "yes"})
    assert rules.counted(SMALL, {"q1": "no", "q1a": "yes"}) == {"q1": "no"}


@given(
    parent=st.sampled_from(["yes", "no", None]),
    sub=st.sampled_from(["yes", "no", None]),
)
def test_hidden_sub_answers_neither_count_nor_are_required(parent, sub):
    values = {code: v for code, v in {"q1": parent, "q1a": sub}.items() if v is not None}
    legal = rules.progress(SMALL, values).pillars["LEG"]
    shown = parent == "yes"
    # LEG: q1, q2, q3 always; q1a only while q1 is yes
    assert legal.total == 3 + shown
    assert legal.answered == (parent is not None) + (shown and sub is not None)
    missing = {m.code for m in rules.missing(SMALL, values, with_evidence={"q1"})}
    assert ("q1a" in missing) == (shown and sub is None)


def test_missing_lists_unanswered_questions_and_positive_answers_without_evidence():
    values = {"q1": "yes", "q1a": "no", "q2": "partial"}
    missing = rules.missing(SMALL, values, with_evidence=set())
    assert [(m.code, m.reason) for m in missing][:3] == [
        ("q1", "evidence"),
        ("q3", "unanswered"),
        ("q4", "unanswered"),
    ]
    assert missing[0].pillar == "LEG"
    # a negative answer needs no evidence; nor does one whose evidence is there
    assert rules.missing(SMALL, {"q1": "no"}, set())[0].code == "q2"
    assert "q1" not in {m.code for m in rules.missing(SMALL, values, {"q1"})}


def test_every_answer_type_is_checked():
    q = SMALL.questions
    rules.check_value(q["q4"], ["a", "c"])
    rules.check_value(q["q5"], 3.5)
    rules.check_value(q["q6"], "Some text")
    for code, bad in [("q1", "maybe"), ("q4", ["z"]), ("q5", "ten"), ("q6", 5), ("q6", "x" * 5001)]:
        with pytest.raises(ValueError):
            rules.check_value(q[code], bad)


def test_progress_percent():
    progress = rules.progress(SMALL, {"q8": "yes", "q9": "no"})
    assert progress.pillars["CAP"].percent == 100 and progress.pillars["CAP"].complete
    assert progress.pillars["COO"] == rules.Count(1, 2)
    assert progress.indicators["TEC.1.a"] == rules.Count(0, 1)


# --- evidence files ---------------------------------------------------------------------


def write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def office(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def content_types(main: str) -> str:
    return (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/main.xml" ContentType="{main}"/></Types>'
    )


OOXML = "application/vnd.openxmlformats-officedocument."


@pytest.mark.parametrize(
    ("data", "extension"),
    [
        (b"%PDF-1.7\n%%EOF\n", "pdf"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "png"),
        (b"\xff\xd8\xff\xe0" + b"\0" * 20, "jpg"),
        (
            office(
                {"[Content_Types].xml": content_types(OOXML + "wordprocessingml.document.main+xml")}
            ),
            "docx",
        ),
        (
            office({"[Content_Types].xml": content_types(OOXML + "spreadsheetml.sheet.main+xml")}),
            "xlsx",
        ),
        (
            office(
                {
                    "[Content_Types].xml": content_types(
                        OOXML + "presentationml.presentation.main+xml"
                    )
                }
            ),
            "pptx",
        ),
        (office({"mimetype": "application/vnd.oasis.opendocument.text"}), "odt"),
        (office({"mimetype": "application/vnd.oasis.opendocument.spreadsheet"}), "ods"),
    ],
)
def test_accepted_files_are_known_by_their_content(tmp_path, data, extension):
    assert evidence.sniff(write(tmp_path, "upload.bin", data)).extension == extension


@pytest.mark.parametrize(
    "data",
    [
        b"<html><script>alert(1)</script></html>",  # HTML, whatever the name says
        b"",
        b"MZ\x90\x00",  # a Windows program
        office({"readme.txt": "just a zip"}),
        office(
            {
                "[Content_Types].xml": content_types(
                    "application/vnd.ms-word.document.macroEnabled.main+xml"
                )
            }
        ),
        office({"mimetype": "application/vnd.oasis.opendocument.graphics"}),
        b"PK\x03\x04 not really a zip",
    ],
)
def test_other_files_are_refused(tmp_path, data):
    assert evidence.sniff(write(tmp_path, "report.pdf", data)) is None


def test_download_names_keep_no_path_and_take_the_real_extension():
    assert evidence.download_name("../../etc/passwd.pdf", evidence.PDF) == "passwd.pdf"
    assert evidence.download_name("C:\\Users\\x\\Loi n°1.docx", evidence.PNG) == "Loi_n1.png"
    assert evidence.download_name("....", evidence.PDF) == "evidence.pdf"


def test_only_http_and_https_links():
    assert evidence.check_url(" https://example.org/law ") == "https://example.org/law"
    for bad in [
        "javascript:alert(1)",
        "ftp://example.org/x",
        "/relative",
        "https://",
        "http://a b",
    ]:
        with pytest.raises(ValueError):
            evidence.check_url(bad)
