"""Read a Master Scenario Events List (MSEL), the spreadsheet trainers already keep, saved as
CSV: one inject per row. Pure: no Flask, no database.

`read` tells how every column was understood (which field, or ignored), every row's parsed
values and every problem with its row number (as a spreadsheet shows it: the header is row 1
when it is the first line). `to_document` turns a sheet without errors into a scenario
document of the file format (scenarios/FORMAT.md), ready to be stored as a draft.

Messages are English templates marked with N_ (extracted for translation); the page
translates them with their parameters, str() gives the English text.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field

from core import tables
from scenarios.format import model
from scenarios.format.writer import new_document
from scenarios.msel.words import (
    EVERY_TEAM,
    REQUIRED,
    channel_of,
    header_field,
    normal,
    parse_offset,
)


def N_(message: str) -> str:
    """Marks a message for extraction; the page translates it."""
    return message


MAX_CSV_BYTES = 512 * 1024  # the create step sends the text back in a form field
MAX_ROWS = model.MAX_INJECTS
HEADER_SEARCH_ROWS = 10  # a title row or two above the headers is common in spreadsheets
RESPONSE_POINTS = 10


@dataclass(frozen=True)
class Problem:
    message: str  # an English template with %(name)s parameters
    params: dict = field(default_factory=dict)
    row: int | None = None
    severity: str = "error"  # error | warning

    def __str__(self) -> str:
        text = self.message % self.params
        return f"row {self.row}: {text}" if self.row else text


@dataclass(frozen=True)
class Column:
    index: int
    header: str
    field: str | None  # None: ignored
    duplicate: bool = False  # a second column for a field already read: ignored


@dataclass
class Row:
    number: int  # as the spreadsheet numbers it
    cells: dict[str, str]  # field -> the text of its cell, trimmed
    offset: int | None = None
    channel: str | None = None
    audience: tuple[str, ...] | None = None  # None: every team
    problems: list[Problem] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)


@dataclass
class Sheet:
    delimiter: str = ","
    header_row: int = 1
    columns: list[Column] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # about the whole file

    @property
    def errors(self) -> list[Problem]:
        every = [*self.problems, *(p for row in self.rows for p in row.problems)]
        return [p for p in every if p.severity == "error"]

    @property
    def fields(self) -> set[str]:
        return {c.field for c in self.columns if c.field and not c.duplicate}


def read(text: str) -> Sheet:
    """Every column's meaning, every row parsed, every problem. Nothing here raises."""
    # One line ending: a browser sends the text back with CRLF, Excel writes CRLF in cells.
    text = tables.strip_bom(text).replace("\r\n", "\n").replace("\r", "\n")
    sheet = Sheet()
    if len(text.encode()) > MAX_CSV_BYTES:
        sheet.problems.append(
            Problem(N_("the file is larger than %(kb)s KB"), {"kb": MAX_CSV_BYTES // 1024})
        )
        return sheet
    sheet.delimiter = tables.delimiter_of(text)
    try:
        records = tables.records(text, sheet.delimiter)
    except tables.TableError as error:
        sheet.problems.append(
            Problem(N_("this is not a readable CSV file (%(why)s)"), {"why": str(error)})
        )
        return sheet
    header_at = _header_index(records)
    if header_at is None:
        sheet.problems.append(
            Problem(
                N_(
                    "no header row found: name the columns in the first row "
                    "(for example Offset, Channel, Title)"
                )
            )
        )
        return sheet
    sheet.header_row = header_at + 1
    seen: set[str] = set()
    for index, header in enumerate(records[header_at]):
        f = header_field(header)
        sheet.columns.append(Column(index, header.strip(), f, duplicate=f in seen))
        if f:
            seen.add(f)
    for f in REQUIRED:
        if f not in seen:
            sheet.problems.append(Problem(N_("no column for %(field)s"), {"field": f}))
    data = [
        (header_at + 2 + n, record)
        for n, record in enumerate(records[header_at + 1 :])
        if any(cell.strip() for cell in record)
    ]
    if len(data) > MAX_ROWS:
        sheet.problems.append(
            Problem(N_("%(n)s rows; the limit is %(max)s"), {"n": len(data), "max": MAX_ROWS})
        )
        return sheet
    if not data:
        sheet.problems.append(Problem(N_("the file has no inject rows under its headers")))
    for number, record in data:
        sheet.rows.append(_row(sheet, number, record))
    return sheet


def _header_index(records: list[list[str]]) -> int | None:
    """The first row among the first few that names two known fields, else the first row
    that has any text."""
    for n, record in enumerate(records[:HEADER_SEARCH_ROWS]):
        if len({header_field(cell) for cell in record} - {None}) >= 2:
            return n
    return next((n for n, record in enumerate(records) if any(c.strip() for c in record)), None)


_LIMITS = {"title": 200, "sender": 200, "story_time": 60, "body": model.MAX_BODY_CHARS}


def _row(sheet: Sheet, number: int, record: list[str]) -> Row:
    cells = {}
    for column in sheet.columns:
        if column.field and not column.duplicate and column.index < len(record):
            cells[column.field] = record[column.index].strip()
    row = Row(number, cells)

    def problem(message, severity="error", **params):
        row.problems.append(Problem(message, params, number, severity))

    if "title" in sheet.fields and not cells.get("title"):
        problem(N_("no title"))
    if "offset" in sheet.fields:
        raw = cells.get("offset", "")
        row.offset = parse_offset(raw)
        if not raw:
            problem(N_("no offset"))
        elif row.offset is None:
            problem(
                N_("offset %(value)r is not minutes (write 90, 1:30, T+90 or +90 min)"),
                value=raw,
            )
    if "channel" in sheet.fields:
        raw = cells.get("channel", "")
        row.channel = channel_of(raw)
        if row.channel is None:
            known = ", ".join(model.CHANNELS)
            if raw:
                problem(
                    N_("unknown channel %(value)r: write one of %(known)s"), value=raw, known=known
                )
            else:
                problem(N_("no channel: write one of %(known)s"), known=known)
    audience = cells.get("audience", "")
    if normal(audience) not in EVERY_TEAM:
        row.audience = tuple(
            dict.fromkeys(t.strip().casefold() for t in re.split(r"[;,]", audience) if t.strip())
        )
    for name, limit in _LIMITS.items():
        if len(cells.get(name, "")) > limit:
            problem(N_("the %(field)s is longer than %(max)s characters"), field=name, max=limit)
    if "body" not in cells or not cells["body"]:
        problem(N_("no body: the editor will ask for one"), "warning")
    return row


def slug_for(title: str) -> str:
    """A scenario id from its title: ASCII letters and digits joined by dashes."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = "-".join(re.findall(r"[a-z0-9]+", ascii_title.lower()))[:70].strip("-")
    return slug if len(slug) >= 3 else "msel-import"


def to_document(sheet: Sheet, *, slug: str, title: str, summary: str, prompt: str) -> dict:
    """The scenario document of a sheet without errors: one inject per row (ids I01, I02 …
    in row order); an expected response becomes a free-text response that an evaluator
    scores with that text as the criterion. No objectives yet: the editor asks for them."""
    if sheet.errors:
        raise ValueError("the sheet has errors: " + "; ".join(map(str, sheet.errors[:5])))
    width = max(2, len(str(len(sheet.rows))))
    injects = []
    for n, row in enumerate(sheet.rows, start=1):
        inject = {
            "id": f"I{n:0{width}d}",
            "offset_minutes": row.offset,
            "story_time": row.cells.get("story_time", ""),
            "title": row.cells["title"],
            "channel": row.channel,
            "sender": row.cells.get("sender", ""),
            "body": row.cells.get("body", ""),
            "audience": "all" if not row.audience else {"tags": list(row.audience)},
            "objectives": [],
            "responses": [],
        }
        if row.cells.get("expected"):
            inject["responses"].append(
                {
                    "id": "R1",
                    "prompt": prompt,
                    "type": "free_text",
                    "points": RESPONSE_POINTS,
                    "scoring": "evaluator",
                    "criteria": [row.cells["expected"]],
                    "objectives": [],
                }
            )
        injects.append(inject)
    last = max((row.offset for row in sheet.rows), default=0)
    duration = max(60, math.ceil((last + 30) / 30) * 30)  # room after the last inject
    document = new_document(slug, title, summary, duration, "intermediate", "AMBER")
    document["banner"] = model.DEFAULT_BANNER  # as export writes it: the draft round-trips as is
    document["injects"] = injects
    return document
