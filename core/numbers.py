"""Numbers as people type them: "1,022", "1 022", "1.022,5" in French, "١٠٢٢", "1022.0".

A comma or a point is a decimal separator or a thousands separator depending on who types
it. `read` takes the reader's language into account only when the text itself allows both
readings; when the language does not settle it either, the text is ambiguous and nothing is
guessed: the caller asks the person to write it again. Pure: no Flask, no session.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from babel.numbers import get_decimal_symbol, get_group_symbol

MAX_CHARS = 64  # longer than any number a form asks for
# Spaces people (and spreadsheets, and CLDR's French and Russian formats) put between groups.
SPACES = {" ", "\u00a0", "\u202f", "\u2009", "\u2007", "'", "\u2019"}
MINUSES = {"-", "\u2212", "\u2012", "\u2013", "\ufe63", "\uff0d"}
INVISIBLE = {"\u200e", "\u200f", "\u061c", "\u2066", "\u2067", "\u2068", "\u2069", "\u202a",
             "\u202b", "\u202c", "\u202d", "\u202e", "\ufeff"}  # fmt: skip
ARABIC_DECIMAL, ARABIC_GROUP = "\u066b", "\u066c"
GROUPED = r"\d{{1,3}}(?:{sep}\d{{3}})*"  # 1,022,000: groups of three after the first


@dataclass(frozen=True)
class Reading:
    """`value` when the text is one number; else `readings` (two values: ambiguous) or
    `problem` ("empty", "not_a_number", "too_long")."""

    text: str
    value: Decimal | None = None
    readings: tuple[Decimal, ...] = ()
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.value is not None


def read(text: str, locale: str = "en") -> Reading:
    """The number `text` stands for, read as a person writing in `locale` means it."""
    if len(text) > MAX_CHARS:
        return Reading(text, problem="too_long")
    clean = _normalise(text)
    if not clean:
        return Reading(text, problem="empty")
    sign = ""
    if clean[0] in "+-":
        sign, clean = ("-" if clean[0] == "-" else ""), clean[1:]
    if not re.fullmatch(r"[\d.,\s]*\d[\d.,\s]*", clean):
        return Reading(text, problem="not_a_number")
    candidates = _candidates(clean, locale)
    values = tuple(
        dict.fromkeys(v for v in (_decimal(sign + c) for c in candidates) if v is not None)
    )
    if len(values) == 1:
        return Reading(text, value=values[0])
    if len(values) > 1:
        return Reading(text, readings=values)
    return Reading(text, problem="not_a_number")


def _normalise(text: str) -> str:
    out = []
    for char in text.strip():
        if char in INVISIBLE:
            continue
        if char in SPACES or char.isspace():
            out.append(" ")
        elif char in MINUSES:
            out.append("-")
        elif char == ARABIC_DECIMAL:
            out.append(".")
        elif char == ARABIC_GROUP or char == "\u060c":  # Arabic comma
            out.append(",")
        elif char.isdigit():
            out.append(str(unicodedata.digit(char)))
        else:
            out.append(char)
    return "".join(out).strip()


def _candidates(text: str, locale: str) -> list[str]:
    """Every plain reading ("1022.5") the text allows, most likely first."""
    if " " in text:
        # Spaces group thousands; a comma or a point after them is the decimal separator.
        match = re.fullmatch(r"([\d ]+?)(?:[.,](\d+))?", text)
        if not match or not _grouped(match[1].strip(), " "):
            return []
        whole, fraction = match[1].strip().replace(" ", ""), match[2]
        return [whole + ("." + fraction if fraction else "")]
    commas, points = text.count(","), text.count(".")
    if commas and points:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        group = "." if decimal == "," else ","
        whole, fraction = text.rsplit(decimal, 1)
        if group in fraction or not _grouped(whole, group) or not fraction.isdigit():
            return []
        return [whole.replace(group, "") + "." + fraction]
    if not commas and not points:
        return [text]
    sep = "," if commas else "."
    if text.count(sep) > 1:  # only thousands are written twice
        return [text.replace(sep, "")] if _grouped(text, sep) else []
    whole, fraction = text.split(sep)
    as_decimal = whole + "." + fraction if fraction.isdigit() else None
    as_group = text.replace(sep, "") if _grouped(text, sep) and whole != "0" else None
    if as_decimal and as_group:
        if sep == get_decimal_symbol(locale):
            return [as_decimal]
        if sep == _group_symbol(locale):
            return [as_group]
        return [as_group, as_decimal]  # ambiguous: the language does not say
    return [c for c in (as_decimal, as_group) if c]


def _grouped(text: str, sep: str) -> bool:
    return re.fullmatch(GROUPED.format(sep=re.escape(sep)), text) is not None


def _group_symbol(locale: str) -> str:
    symbol = get_group_symbol(locale)
    return " " if symbol in SPACES or symbol.isspace() else symbol


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None
