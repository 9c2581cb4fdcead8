"""The master scenario events list reader: headers, offsets, channels, rows, the document."""

import pytest

from core import tables
from scenarios.format import model, reader, writer
from scenarios.msel import sheet as msel
from scenarios.msel import words

SHEET = (
    "Offset (min),Story time,Channel,From,Title,Body,Audience,Expected response,Notes\n"
    "0,Day 1 08:00,E-mail,NOC lead,Servers encrypted,Billing is down.,all,Open an incident,x\n"
    '1:30,Day 1 09:30,SIEM alert,SOC,Beaconing,"Host 10.0.0.5 calls out,\nevery 60 s",'
    '"sector-health; gov",,\n'
    "T+100,,press,Journalist,Media asks,Is the outage an attack?,,Prepare a holding statement,\n"
)


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Offset (min)", "offset"),
        ("Time", "offset"),
        ("T+", "offset"),
        ("Story time", "story_time"),
        ("Scenario time", "story_time"),
        ("Channel", "channel"),
        ("Method", "channel"),
        ("From", "sender"),
        ("Sender", "sender"),
        ("Title", "title"),
        ("Subject", "title"),
        ("Inject", "title"),
        ("Body", "body"),
        ("Description", "body"),
        ("Message", "body"),
        ("Audience", "audience"),
        ("To", "audience"),
        ("Expected response", "expected"),
        ("EXPECTED ACTION", "expected"),
        (" Expected player action ", "expected"),
        ("Notes", None),
        ("Inject No.", None),
    ],
)
def test_tolerant_header_names(header, field):
    assert words.header_field(header) == field


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("90", 90),
        ("1:30", 90),
        ("01:30", 90),
        ("01:30:00", 90),
        ("T+90", 90),
        ("t + 90", 90),
        ("+90 min", 90),
        ("90 minutes", 90),
        ("1h30", 90),
        ("2 h", 120),
        ("0", 0),
        ("T+1:30", 90),
    ],
)
def test_offsets(text, minutes):
    assert words.parse_offset(text) == minutes


@pytest.mark.parametrize("text", ["", "soon", "-10", "T-10", "1:75", "1.5", "90 sec"])
def test_offsets_that_are_not_minutes(text):
    assert words.parse_offset(text) is None


@pytest.mark.parametrize(
    ("word", "channel"),
    [
        ("e-mail", "email"),
        ("Mail", "email"),
        ("phone call", "phone"),
        ("Call", "phone"),
        ("media", "news"),
        ("Press", "news"),
        ("Social Media", "social"),
        ("twitter", "social"),
        ("SOC", "soc_alert"),
        ("SIEM alert", "soc_alert"),
        ("soc_alert", "soc_alert"),
        ("Helpdesk", "ticket"),
        ("partner CERT", "partner_cirt"),
        ("partner_cirt", "partner_cirt"),
        ("Regulator letter", "regulator"),
        ("pigeon", None),
    ],
)
def test_channel_synonyms(word, channel):
    assert words.channel_of(word) == channel


def test_every_channel_is_known_by_its_own_name():
    assert all(words.channel_of(c) == c for c in model.CHANNELS)


def test_a_sheet_is_read_column_by_column_and_row_by_row():
    sheet = msel.read(SHEET)
    assert sheet.delimiter == "," and sheet.errors == []
    assert [(c.header, c.field) for c in sheet.columns][-2:] == [
        ("Expected response", "expected"),
        ("Notes", None),
    ]
    assert [r.number for r in sheet.rows] == [2, 3, 4]  # the quoted line break is one row
    first, second, third = sheet.rows
    assert (first.offset, first.channel, first.audience) == (0, "email", None)
    assert (second.offset, second.channel, second.audience) == (
        90,
        "soc_alert",
        ("sector-health", "gov"),
    )
    assert second.cells["body"] == "Host 10.0.0.5 calls out,\nevery 60 s"
    as_sent_back = msel.read(SHEET.replace("\n", "\r\n"))  # how a browser posts a field
    assert [r.cells for r in as_sent_back.rows] == [r.cells for r in sheet.rows]
    assert (third.offset, third.channel, third.audience) == (100, "news", None)


def test_semicolon_csv_with_a_byte_order_mark():
    raw = (
        "Time;Method;Subject;Message;To\n"
        "10;Phone call;Regulator calls;Where is the report?;CIRT, gov\n"
    )
    sheet = msel.read(tables.decode(("\ufeff" + raw).encode("utf-8")))
    assert sheet.delimiter == ";" and sheet.errors == []
    assert sheet.columns[0].header == "Time" and sheet.columns[0].field == "offset"
    row = sheet.rows[0]
    assert (row.offset, row.channel, row.cells["title"], row.audience) == (
        10,
        "phone",
        "Regulator calls",
        ("cirt", "gov"),
    )
    with pytest.raises(tables.TableError):
        tables.decode("Titre;Corps\nÉvénement;é\n".encode("latin-1"))


def test_bad_rows_are_reported_with_their_row_number():
    text = SHEET + "soon,,pigeon,,,,,,\n\n,,,,,,,,\nT+5,,mail,,Fine,Body,,,\n"
    sheet = msel.read(text)
    messages = [str(p) for p in sheet.errors]
    assert "row 5: no title" in messages
    assert "row 5: offset 'soon' is not minutes (write 90, 1:30, T+90 or +90 min)" in messages
    assert (
        "row 5: unknown channel 'pigeon': write one of email, phone, news, social, soc_alert, "
        "ticket, partner_cirt, regulator" in messages
    )
    assert all(p.row == 5 for p in sheet.errors)  # blank rows are skipped, numbers stay true
    assert sheet.rows[-1].number == 8 and not sheet.rows[-1].has_errors
    with pytest.raises(ValueError, match="row 5"):
        msel.to_document(sheet, slug="x-y", title="X", summary="S", prompt="P")


def test_excel_separator_line():
    sheet = msel.read("sep=;\r\nT+;Subject;Channel\r\n5;Call;phone\r\n")
    assert (sheet.delimiter, sheet.header_row, sheet.errors) == (";", 2, [])
    assert sheet.rows[0].offset == 5


def test_a_title_row_above_the_headers_is_skipped():
    sheet = msel.read(
        "Exercise NIGHTFALL MSEL,,\nT+,Inject,Method\n5,Call from the minister,phone\n"
    )
    assert sheet.header_row == 2 and sheet.errors == []
    assert sheet.rows[0].number == 3 and sheet.rows[0].cells["title"] == "Call from the minister"


def test_missing_columns_duplicates_and_limits():
    sheet = msel.read("Title,Body,Subject\nA,b,c\n")
    assert {str(p) for p in sheet.problems} == {"no column for offset", "no column for channel"}
    assert [c.duplicate for c in sheet.columns] == [False, False, True]
    assert sheet.rows[0].cells == {"title": "A", "body": "b"}
    big = msel.read("Offset,Channel,Title\n" + "1,email,x\n" * (msel.MAX_ROWS + 1))
    assert [str(p) for p in big.problems] == [
        f"{msel.MAX_ROWS + 1} rows; the limit is {msel.MAX_ROWS}"
    ]
    huge = msel.read("Offset,Channel,Title\n" + "1,email," + "x" * msel.MAX_CSV_BYTES + "\n")
    assert "larger than" in str(huge.problems[0]) and huge.rows == []
    assert [str(p) for p in msel.read("").errors] == [
        "no header row found: name the columns in the first row "
        "(for example Offset, Channel, Title)"
    ]
    long = msel.read("Offset,Channel,Title\n1,email," + "t" * 201 + "\n")
    assert str(long.errors[0]) == "row 2: the title is longer than 200 characters"


def test_the_document_is_a_scenario_draft_with_evaluator_responses():
    sheet = msel.read(SHEET)
    document = msel.to_document(
        sheet, slug="nightfall", title="Nightfall", summary="Imported.", prompt="What do you do?"
    )
    assert [i["id"] for i in document["injects"]] == ["I01", "I02", "I03"]
    assert document["duration_minutes"] == 150  # 30 minutes after the last inject, rounded
    first = document["injects"][0]
    assert first["responses"] == [
        {
            "id": "R1",
            "prompt": "What do you do?",
            "type": "free_text",
            "points": 10,
            "scoring": "evaluator",
            "criteria": ["Open an incident"],
            "objectives": [],
        }
    ]
    assert document["injects"][1]["audience"] == {"tags": ["sector-health", "gov"]}
    assert document["injects"][1]["responses"] == []
    scenario, problems = reader.read(document)
    errors = [str(p) for p in model.errors(problems)]
    assert errors == ["objectives: a scenario needs at least one objective"]
    assert writer.to_document(scenario) == document


def test_slug_for_titles():
    assert msel.slug_for("Exercise NIGHTFALL 2026: Día 1") == "exercise-nightfall-2026-dia-1"
    assert msel.slug_for("تمرين") == "msel-import"
