"""Every CSV the platform reads or writes goes through here: the byte-order mark, the
delimiter a spreadsheet chose, row numbers a person can find in their file, and the guard
that keeps a spreadsheet from running a cell as a formula."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

BOM = "\ufeff"
DELIMITERS = (",", ";", "\t")  # spreadsheets in many locales save with ';'
# A spreadsheet runs a cell starting with one of these as a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class TableError(ValueError):
    """The bytes are not a CSV file this module can read (not UTF-8, unbalanced quotes)."""


def decode(raw: bytes) -> str:
    """UTF-8 text with or without a byte-order mark; TableError otherwise."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TableError("not UTF-8 text") from error


def strip_bom(text: str) -> str:
    return text.removeprefix(BOM)


def delimiter_of(text: str) -> str:
    """Comma, semicolon or tab: whichever the first line that has any holds most, outside
    quotes (a comma inside a quoted cell does not count)."""
    for line in text.splitlines():
        unquoted = re.sub(r'"[^"]*"', "", line)
        counts = {d: unquoted.count(d) for d in DELIMITERS}
        if any(counts.values()):
            return max(counts, key=lambda d: counts[d])
    return ","


def records(text: str, delimiter: str | None = ",") -> list[list[str]]:
    """The rows of a CSV text as lists of cells; the delimiter is guessed when None."""
    text = strip_bom(text)
    chosen = delimiter_of(text) if delimiter is None else delimiter
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=chosen))
    except csv.Error as error:
        raise TableError(str(error)) from error


@dataclass(frozen=True)
class Row:
    """One data row: `line` is its line number in the file as a person counts (header = 1)."""

    line: int
    cells: dict[str, str]

    def get(self, column: str, default: str = "") -> str:
        return self.cells.get(column) or default


def dict_rows(text: str, delimiter: str | None = ",") -> tuple[list[str], list[Row]]:
    """The header (cells stripped) and every data row keyed by it, with its line number."""
    table = records(text, delimiter)
    if not table:
        return [], []
    columns = [cell.strip() for cell in table[0]]
    rows = [
        Row(line, dict(zip(columns, cells, strict=False)))
        for line, cells in enumerate(table[1:], start=2)
        if any(cell.strip() for cell in cells)
    ]
    return columns, rows


def safe_cell(value):
    """A cell a spreadsheet will not run as a formula: text starting with a formula sign gets
    a leading apostrophe (what Excel itself shows for text typed that way)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unsafe_cell(text: str) -> str:
    """The text `safe_cell` protected, as it was."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def write(
    columns: Sequence[str],
    rows: Iterable[Mapping[str, object]],
    *,
    unguarded: Iterable[str] = (),
) -> str:
    """A CSV text with a header row; every text cell guarded, except in `unguarded` columns
    (codes and numbers the platform itself wrote, where a leading '-' is a minus sign)."""
    plain = frozenset(unguarded)
    buffer = io.StringIO()
    # "\r\n" as the writer's line end makes it quote a cell holding a lone CR (with "\n" it
    # would not, and the file would break there); each record's own "\r\n" becomes "\n".
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\r\n",
                            extrasaction="ignore")  # fmt: skip
    lines = []

    def take() -> None:
        lines.append(buffer.getvalue().removesuffix("\r\n") + "\n")
        buffer.seek(0)
        buffer.truncate()

    writer.writeheader()
    take()
    for row in rows:
        writer.writerow({k: v if k in plain else safe_cell(v) for k, v in row.items()})
        take()
    return "".join(lines)
