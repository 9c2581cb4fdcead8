"""Charts shared by the GCI and the drills: reportlab.graphics Drawings that go into PDFs as
they are and into web pages as inline SVG (`to_svg`), so a chart looks the same on screen and
on paper, with no JavaScript.

    from core import charts
    drawing = charts.radar({"Legal": 45.0, "Technical": 80.0, "Cooperation": 60.0},
                           comparisons={"Region average": {...}}, title="Pillars")
    story.append(drawing)                  # in a PDF (a Drawing is a platypus Flowable)
    svg = charts.to_svg(drawing)           # in a Jinja page: {{ svg }} (Markup)

Every builder takes labels as they should be drawn; a PDF in a right-to-left language passes
labels through `core.pdf.Report.line` first (browsers shape and order the SVG text
themselves). Colours reach at least 4.5:1 against white, and no information is carried by
colour alone: values are written beside bars, comparison markers differ in shape, heat-map
cells carry their rating's short label.

Why this module is longer than 400 lines: one builder per chart kind (radar, bars, heat map,
box plot of a distribution) and the SVG output they share; each builder is one drawing, laid
out step by step.
"""

from __future__ import annotations

import copy
import math
import re
import secrets
import xml.etree.ElementTree as ET  # noqa: S405 - parses only SVG that renderSVG just wrote
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import quantiles

from markupsafe import Markup
from reportlab.graphics import renderSVG
from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, Rect, String
from reportlab.lib.attrmap import AttrMap, AttrMapValue
from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.validators import isString
from reportlab.pdfbase.pdfmetrics import stringWidth

INK = HexColor("#1a1a1a")
GRID = HexColor("#767676")  # 4.5:1 on white
PRIMARY = HexColor("#1f4e79")
# Comparison series: colour and marker shape differ, so they can be told apart in greyscale.
SERIES = (
    (HexColor("#a14a00"), "diamond"),
    (HexColor("#5b2a86"), "square"),
    (HexColor("#0b6e4f"), "triangle"),
)
PRIMARY_FILL = Color(PRIMARY.red, PRIMARY.green, PRIMARY.blue, alpha=0.25)
SVG_FONTS = "DejaVu Sans, Arial, Helvetica, sans-serif"
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
PROPERTY = re.compile(r"[a-z-]+")


def _fmt(value: float) -> str:
    return f"{value:.1f}"


def _summary(values: Mapping[str, float]) -> str:
    return "; ".join(f"{label}: {_fmt(v)}" for label, v in values.items())


class Chart(Drawing):
    """A Drawing that knows its title and a text description of its data (for to_svg)."""

    _attrMap = AttrMap(BASE=Drawing, title=AttrMapValue(isString), desc=AttrMapValue(isString))

    def __init__(self, width: float, height: float):
        super().__init__(width, height)
        self.title, self.desc = "", ""


def _describe(drawing: Chart, title: str, desc: str) -> Chart:
    drawing.title, drawing.desc = title, desc
    return drawing


def _marker(shape: str, x: float, y: float, size: float, color) -> Polygon | Rect:
    h = size / 2
    if shape == "square":
        return Rect(x - h, y - h, size, size, fillColor=color, strokeColor=white, strokeWidth=0.8)
    if shape == "triangle":
        points = [x - h, y - h, x + h, y - h, x, y + h]
    else:  # diamond
        points = [x, y + h, x + h, y, x, y - h, x - h, y]
    return Polygon(points, fillColor=color, strokeColor=white, strokeWidth=0.8)


def _legend(
    entries: Sequence[tuple[str, object]], x: float, y: float, font: str, size: float
) -> Group:
    """entries: (label, shape) where shape is "bar" or a marker shape with its colour."""
    group = Group()
    for label, (color, shape) in entries:
        if shape == "bar":
            group.add(Rect(x, y - 3, 12, 7, fillColor=color, strokeColor=None))
        elif shape == "line":
            group.add(Line(x, y + 0.5, x + 12, y + 0.5, strokeColor=color, strokeWidth=2))
        else:
            group.add(_marker(shape, x + 6, y + 0.5, 8, color))
        group.add(String(x + 16, y - 3, label, fontName=font, fontSize=size, fillColor=INK))
        x += 16 + stringWidth(label, font, size) + 14
    return group


def _text(x: float, y: float, text: str, font: str, size: float, anchor: str = "start", color=INK):
    return String(x, y, text, fontName=font, fontSize=size, fillColor=color, textAnchor=anchor)


def _row_label(label_width: float, middle: float, text: str, font: str, size: float) -> String:
    """A row's label, right-aligned before the plot and centred on the row's `middle`."""
    return _text(label_width - 6, middle - size / 3, text, font, size, "end")


def _share(value: float, top: float) -> float:
    """How much of a scale ending at `top` the value fills, from 0 to 1 (0 with no scale)."""
    return max(0.0, min(value / top, 1.0)) if top else 0.0


def _described(values: Mapping[str, float], series: Mapping[str, Mapping[str, float]]) -> str:
    """The chart's data as text: its values, then each comparison series."""
    desc = _summary(values)
    for name, others in series.items():
        desc += f". {name}: {_summary(others)}"
    return desc


# --- radar -------------------------------------------------------------------------------


def radar(
    values: Mapping[str, float],
    *,
    comparisons: Mapping[str, Mapping[str, float]] | None = None,
    title: str = "",
    series_label: str = "",
    width: float = 400,
    height: float = 270,
    unit: str = "",
    font: str = "Helvetica",
    font_size: float = 8,
) -> Drawing:
    """A spider chart of values on a fixed 0-100 scale (reportlab's SpiderChart scales to
    the largest value, which would make a weak country look complete). `comparisons`:
    {series name: {label: value}} drawn as dashed outlines with markers; `unit` follows
    each value in the axis labels ("%")."""
    comparisons = comparisons or {}
    labels = list(values)
    drawing = Chart(width, height)
    legend_height = 16 if (comparisons or series_label) else 0
    cx, cy = width / 2, (height - legend_height) / 2
    radius = min(width / 2 - 110, (height - legend_height) / 2 - 30)
    count = max(len(labels), 3)

    def point(i: int, value: float) -> tuple[float, float]:
        angle = math.pi / 2 - 2 * math.pi * i / count
        r = radius * max(0.0, min(value, 100.0)) / 100
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    _radar_rings(drawing, point, count, font, font_size)
    for i, label in enumerate(labels):
        x, y = point(i, 100)
        drawing.add(Line(cx, cy, x, y, strokeColor=GRID, strokeWidth=0.6))
        _radar_label(drawing, point(i, 110), (cx, cy), label, f"{_fmt(values[label])}{unit}",
                     font, font_size)  # fmt: skip
    data_points = [c for i, label in enumerate(labels) for c in point(i, values[label])]
    drawing.add(Polygon(data_points, fillColor=PRIMARY_FILL, strokeColor=PRIMARY, strokeWidth=2))
    for i, label in enumerate(labels):
        x, y = point(i, values[label])
        drawing.add(Circle(x, y, 2.5, fillColor=PRIMARY, strokeColor=white, strokeWidth=0.5))
    entries = [(series_label, (PRIMARY, "bar"))] if series_label else []
    for (name, series), (color, shape) in zip(comparisons.items(), SERIES, strict=False):
        outline = [c for i, label in enumerate(labels) for c in point(i, series.get(label, 0))]
        drawing.add(
            Polygon(outline, fillColor=None, strokeColor=color, strokeWidth=1.2,
                    strokeDashArray=[3, 2])
        )  # fmt: skip
        for i, label in enumerate(labels):
            if label in series:
                drawing.add(_marker(shape, *point(i, series[label]), 6, color))
        entries.append((name, (color, shape)))
    if entries:
        drawing.add(_legend(entries, 6, height - 10, font, font_size))  # legends on top
    return _describe(drawing, title, _described(values, comparisons))


def _radar_rings(drawing: Drawing, point, count: int, font: str, font_size: float) -> None:
    for ring in (20, 40, 60, 80, 100):  # the 100 ring is labelled by the axis labels' place
        ring_points = [c for i in range(count) for c in point(i, ring)]
        width = 0.6 if ring < 100 else 1
        drawing.add(Polygon(ring_points, fillColor=None, strokeColor=GRID, strokeWidth=width))
        if ring < 100:
            x, y = point(0, ring)
            drawing.add(_text(x + 3, y - 3, str(ring), font, font_size - 1, color=GRID))


def _radar_label(drawing, at, centre, label: str, value: str, font: str, font_size: float):
    """An axis' label beyond its end, and its value on a line of its own (a number beside
    Arabic text would be reordered by the bidi rules)."""
    (lx, ly), (cx, cy) = at, centre
    anchor = "middle" if abs(lx - cx) < 5 else ("start" if lx > cx else "end")
    lx += {"start": 4, "end": -4}.get(anchor, 0)
    if ly > cy + 5:  # above the centre: both lines above the axis' end
        label_y = ly + font_size + 2
    elif ly < cy - 5:  # below: both lines below it
        label_y = ly - font_size + 2
    else:
        label_y = ly + 1
    for text, y in ((label, label_y), (value, label_y - font_size - 1)):
        drawing.add(_text(lx, y, text, font, font_size, anchor))


# --- bars --------------------------------------------------------------------------------


def bars(
    values: Mapping[str, float],
    *,
    maximum: float | Mapping[str, float] = 100,
    markers: Mapping[str, Mapping[str, float]] | None = None,
    horizontal: bool = True,
    title: str = "",
    series_label: str = "",
    width: float = 420,
    bar_size: float = 14,
    label_width: float = 120,
    font: str = "Helvetica",
    font_size: float = 8,
) -> Drawing:
    """One bar per label with its value written beside it; `maximum` is the scale's end, one
    for all bars or one per label (a pillar out of 20, say). `markers`: comparison series
    {series name: {label: value}}, drawn as shaped marks across each bar (country vs region
    average vs group average)."""
    markers = markers or {}
    legend_height = 20 if (markers or series_label) else 0

    def top(label: str) -> float:
        return maximum[label] if isinstance(maximum, Mapping) else maximum

    def marks(label: str):
        """(share, colour, shape) of each comparison series that has a value for the label."""
        for (_name, series), (color, shape) in zip(markers.items(), SERIES, strict=False):
            if label in series and top(label):
                yield _share(series[label], top(label)), color, shape

    entries = [(series_label, (PRIMARY, "bar"))] if series_label else []
    entries += [(name, style) for name, style in zip(markers, SERIES, strict=False)]
    lay_out = _horizontal_bars if horizontal else _vertical_bars
    drawing = lay_out(values, top, marks, legend_height, width, bar_size, label_width, font,
                      font_size)  # fmt: skip
    if entries:
        drawing.add(_legend(entries, 6, drawing.height - 10, font, font_size))
    return _describe(drawing, title, _described(values, markers))


def _horizontal_bars(values, top, marks, legend_height, width, bar_size, label_width, font, size):
    step = bar_size + 10
    height = len(values) * step + 6 + legend_height
    drawing = Chart(width, height)
    span = width - label_width - 46
    for i, label in enumerate(values):
        y = height - legend_height - (i + 1) * step
        middle = y + bar_size / 2
        drawing.add(_row_label(label_width, middle, label, font, size))
        drawing.add(
            Rect(label_width, y, span, bar_size, fillColor=None, strokeColor=GRID, strokeWidth=0.5)
        )
        share = _share(values[label], top(label))
        drawing.add(
            Rect(label_width, y, span * share, bar_size, fillColor=PRIMARY, strokeColor=None)
        )
        drawing.add(_text(label_width + span + 4, middle - size / 3, _fmt(values[label]), font,
                          size))  # fmt: skip
        for mark_share, color, shape in marks(label):
            drawing.add(_marker(shape, label_width + span * mark_share, middle, 9, color))
    return drawing


def _vertical_bars(values, top, marks, legend_height, width, bar_size, _label_width, font, size):
    height = 200 + legend_height
    drawing = Chart(width, height)
    base, plot = 24, height - legend_height - 40
    column = (width - 20) / max(len(values), 1)
    for i, label in enumerate(values):
        x = 10 + i * column + (column - bar_size) / 2
        share = _share(values[label], top(label))
        drawing.add(
            Rect(x, base, bar_size, plot, fillColor=None, strokeColor=GRID, strokeWidth=0.5)
        )
        drawing.add(Rect(x, base, bar_size, plot * share, fillColor=PRIMARY, strokeColor=None))
        centre = x + bar_size / 2
        drawing.add(_text(centre, base + plot + 4, _fmt(values[label]), font, size, "middle"))
        drawing.add(_text(centre, base - size - 4, label, font, size, "middle"))
        for mark_share, color, shape in marks(label):
            drawing.add(_marker(shape, centre, base + plot * mark_share, 9, color))
    return drawing


# --- heat map ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Level:
    """One rating of a heat map: its key, the short text written in the cell, the legend's
    label and the cell colour (the text colour follows from it)."""

    key: str
    short: str
    label: str
    color: str


# A sequential palette from weak (light) to strong (dark), each with readable text on it.
DEFAULT_LEVELS = (
    Level("1", "1", "1", "#fde0c5"),
    Level("2", "2", "2", "#f7b58a"),
    Level("3", "3", "3", "#ef8a62"),
    Level("4", "4", "4", "#b2182b"),
    Level("5", "5", "5", "#67001f"),
)


def _luminance(color) -> float:
    """WCAG relative luminance."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(color.red) + 0.7152 * channel(color.green) + 0.0722 * channel(color.blue)
    )


def contrast(a, b) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _text_on(color) -> Color:
    return INK if contrast(color, INK) >= contrast(color, white) else white


def heatmap(
    rows: Sequence[str],
    columns: Sequence[str],
    ratings: Mapping[tuple[str, str], str | None],
    *,
    levels: Sequence[Level] = DEFAULT_LEVELS,
    title: str = "",
    missing_label: str = "–",
    cell: float = 26,
    label_width: float = 140,
    font: str = "Helvetica",
    font_size: float = 8,
) -> Drawing:
    """A grid of rows x columns; each cell shows its rating's colour and short text (a cell
    without a rating is white with `missing_label`). The legend lists every level."""
    by_key = {level.key: level for level in levels}
    header = 40
    legend_rows = 1
    width = label_width + cell * len(columns) + 10
    height = header + cell * len(rows) + 14 * legend_rows + 12
    drawing = Chart(width, height)
    for j, column in enumerate(columns):
        x = label_width + j * cell + cell / 2
        label = String(0, 0, column, fontName=font, fontSize=font_size, fillColor=INK)
        group = Group(label)
        group.translate(x - font_size / 3, height - header + 4)
        group.rotate(45)
        drawing.add(group)
    described = []
    for i, row in enumerate(rows):
        y = height - header - (i + 1) * cell
        drawing.add(_row_label(label_width, y + cell / 2, row, font, font_size))
        for j, column in enumerate(columns):
            level = by_key.get(ratings.get((row, column)) or "")
            _heat_cell(drawing, label_width + j * cell, y, cell, level, missing_label, font,
                       font_size)  # fmt: skip
            described.append(f"{row} / {column}: {level.label if level else missing_label}")
    _heat_legend(drawing, levels, font, font_size)
    return _describe(drawing, title, "; ".join(described))


def _heat_cell(drawing, x, y, cell, level: Level | None, missing_label, font, font_size) -> None:
    fill = HexColor(level.color) if level else white
    drawing.add(
        Rect(x, y, cell, cell, fillColor=fill, strokeColor=white if level else GRID, strokeWidth=1)
    )
    text = level.short if level else missing_label
    drawing.add(_text(x + cell / 2, y + cell / 2 - font_size / 3, text, font, font_size, "middle",
                      _text_on(fill)))  # fmt: skip


def _heat_legend(drawing, levels: Sequence[Level], font: str, font_size: float) -> None:
    x = 6
    for level in levels:
        drawing.add(
            Rect(x, 4, 10, 10, fillColor=HexColor(level.color), strokeColor=GRID, strokeWidth=0.3)
        )
        text = f"{level.short} {level.label}" if level.label != level.short else level.short
        drawing.add(_text(x + 13, 6, text, font, font_size))
        x += 13 + stringWidth(text, font, font_size) + 12


# --- distribution ------------------------------------------------------------------------


def quartiles(values: Sequence[float]) -> tuple[float, float, float]:
    """First quartile, median and third quartile, interpolated between the values (the
    "inclusive" method: the smallest and largest values are the 0th and 4th quartile)."""
    if len(values) == 1:
        return values[0], values[0], values[0]  # statistics.quantiles wants two (Python < 3.13)
    q1, mid, q3 = quantiles(values, n=4, method="inclusive")
    return q1, mid, q3


def distribution(
    entries: Sequence[tuple[str, Sequence[float], float | None]],
    *,
    width: float = 480,
    font: str = "Helvetica",
    font_size: float = 8,
    title: str = "",
) -> Chart:
    """A box plot per row: the line from min to max, the box from the first to the third
    quartile, a mark at the median, n written at the end, and a dot at `own` (one team's
    value) when given. Rows without values say so."""
    step, label_width, axis = 16, 60, 20
    height = len(entries) * step + axis + 8
    drawing = Chart(width, height)
    span = width - label_width - 50
    top = max((max(v) for _label, v, _own in entries if v), default=0.0)
    scale_end = _nice(top)
    for tick in range(0, 5):
        value = scale_end * tick / 4
        x = label_width + span * tick / 4
        drawing.add(Line(x, axis, x, height - 4, strokeColor=GRID, strokeWidth=0.3))
        drawing.add(
            String(x, axis - 10, f"{value:g}", fontName=font, fontSize=font_size - 1,
                   fillColor=INK, textAnchor="middle")
        )  # fmt: skip
    described = []
    for i, (label, values, own) in enumerate(entries):
        y = height - 4 - (i + 1) * step + step / 2
        drawing.add(_row_label(label_width, y, label, font, font_size))
        if not values:
            drawing.add(_text(label_width + 4, y - font_size / 3, "n=0", font, font_size,
                              color=GRID))  # fmt: skip
            described.append(f"{label}: n=0")
            continue

        def x_of(v: float) -> float:
            return label_width + span * (v / scale_end if scale_end else 0)

        _box(drawing, x_of, y, values)
        drawing.add(_text(label_width + span + 6, y - font_size / 3, f"n={len(values)}", font,
                          font_size))  # fmt: skip
        if own is not None:
            drawing.add(Circle(x_of(own), y, 3.2, fillColor=INK, strokeColor=white))
        _low, mid, _high = quartiles(values)
        described.append(
            f"{label}: min {min(values):.1f}, median {mid:.1f}, max {max(values):.1f}, "
            f"n={len(values)}" + (f", team {own:.1f}" if own is not None else "")
        )
    drawing.add(Rect(0, 0, 0.1, 0.1, fillColor=white, strokeColor=None))  # keeps the origin
    drawing.title, drawing.desc = title, "; ".join(described)
    return drawing


def _box(drawing: Drawing, x_of, y: float, values: Sequence[float]) -> None:
    """One row's box plot: a line from min to max, the quartiles' box, the median's mark."""
    low, high = min(values), max(values)
    q1, mid, q3 = quartiles(values)
    drawing.add(Line(x_of(low), y, x_of(high), y, strokeColor=PRIMARY, strokeWidth=1))
    for end in (low, high):
        drawing.add(Line(x_of(end), y - 3, x_of(end), y + 3, strokeColor=PRIMARY))
    drawing.add(
        Rect(x_of(q1), y - 5, max(x_of(q3) - x_of(q1), 1), 10,
             fillColor=PRIMARY_FILL, strokeColor=PRIMARY, strokeWidth=0.8)
    )  # fmt: skip
    drawing.add(Line(x_of(mid), y - 6, x_of(mid), y + 6, strokeColor=HexColor("#a14a00"),
                     strokeWidth=2.2))  # fmt: skip


def _nice(value: float) -> float:
    """A round end for an axis at or above `value` (at least 1)."""
    if value <= 1:
        return 1.0
    for step in (1, 2, 5, 10, 15, 20, 30, 60, 90, 120, 180, 240, 360, 480, 720, 1440):
        if value <= step * 4:
            return float(step * 4)
    return float(int(value) + 1)


# --- SVG ---------------------------------------------------------------------------------


def _browser_anchored(drawing: Drawing) -> Drawing:
    """A copy whose centred and right-aligned texts say so with text-anchor. renderSVG would
    shift them by their width in the PDF font, which is not the width the browser draws
    (nor right for Arabic, which Helvetica lacks)."""
    copied = copy.deepcopy(drawing)

    def walk(node):
        for child in getattr(node, "contents", []):
            if isinstance(child, String) and child.textAnchor in ("middle", "end"):
                child._svgAttrs = {"text-anchor": child.textAnchor}
                child.textAnchor = "start"
            walk(child)

    walk(copied)
    return copied


ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)


def to_svg(drawing: Drawing, title: str | None = None, desc: str | None = None) -> Markup:
    """The drawing as an SVG element to inline in a page: role="img" with a <title> and
    <desc> (the data as text, for screen readers), ids unique on the page, and every
    `style="…"` attribute that renderSVG writes turned into presentation attributes, which
    the site's CSP (style-src 'self', no inline styles) allows."""
    title = title if title is not None else getattr(drawing, "title", "") or ""
    desc = desc if desc is not None else getattr(drawing, "desc", "") or ""
    root = ET.fromstring(renderSVG.drawToString(_browser_anchored(drawing)))  # noqa: S314
    prefix = "chart-" + secrets.token_hex(4)
    for element in root.iter():
        style = element.attrib.pop("style", None)
        if style:
            for declaration in style.split(";"):
                name, _, value = declaration.partition(":")
                name, value = name.strip(), value.strip()
                if not PROPERTY.fullmatch(name):  # skips empty ones and a stray "rotate(…)"
                    continue
                element.set(name, value)
        if "font-family" in element.attrib:
            element.set("font-family", SVG_FONTS)
        if "id" in element.attrib:
            element.set("id", f"{prefix}-{element.get('id')}")
        for name, value in list(element.attrib.items()):
            if "url(#" in value:
                element.set(name, value.replace("url(#", f"url(#{prefix}-"))
    # renderSVG writes an empty title and desc of its own: replace them with ours.
    for tag in ("title", "desc"):
        for old in root.findall(f"{{{SVG_NS}}}{tag}"):
            root.remove(old)
    desc_element = ET.Element(f"{{{SVG_NS}}}desc", id=f"{prefix}-desc")
    desc_element.text = desc
    root.insert(0, desc_element)
    title_element = ET.Element(f"{{{SVG_NS}}}title", id=f"{prefix}-title")
    title_element.text = title
    root.insert(0, title_element)
    root.set("role", "img")
    root.set("aria-labelledby", f"{prefix}-title {prefix}-desc")
    root.set("class", "chart")
    # Anchors are geometric: an RTL page must not flip "end" to the left. Arabic runs are
    # still drawn right to left inside each label.
    root.set("direction", "ltr")
    for name in ("version", "preserveAspectRatio"):
        root.attrib.pop(name, None)
    return Markup(ET.tostring(root, encoding="unicode"))  # noqa: S704 - escaped by ElementTree
