"""Layout pieces of the after-action report PDF (drills/reports/writer.py): the rating colours
and labels, chunks of wide tables and charts, charts side by side, headings kept with their
charts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from flask_babel import gettext as _
from reportlab.graphics.shapes import Drawing
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Table,
    TableStyle,
)

from core import charts

HEATMAP_TEAMS = 30  # rows per heat map; maps that fit side by side share a row


HEATMAP_OBJECTIVES = 14  # columns per heat map and per ratings table


BAR_TEAMS = 25  # bars per chart


DISTRIBUTION_INJECTS = 24  # injects per distribution chart


TEAM_TIMELINE_LIMIT = 600  # per-team timeline rows in a drill report; beyond: team reports


LABEL_CHARS = 28


RATING_COLOURS = {"P": "#2166ac", "S": "#92c5de", "M": "#f4a582", "U": "#b2182b"}


def rating_meanings() -> dict[str, str]:
    return {
        "P": _("Performed without challenges"),
        "S": _("Performed with some challenges"),
        "M": _("Performed with major challenges"),
        "U": _("Unable to be performed"),
    }


def element_labels() -> dict[str, str]:
    return {
        "planning": _("Planning"),
        "organisation": _("Organisation"),
        "equipment": _("Equipment"),
        "training": _("Training"),
        "exercise": _("Exercise"),
    }


def chunks(items: Sequence, size: int) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _is_heading(flowable: Flowable) -> bool:
    style = getattr(flowable, "style", None)
    return bool(style) and style.name.split("-")[0] in ("h1", "h2")


def keep_headings_with_charts(story: list[Flowable]) -> list[Flowable]:
    """A heading, its short introduction and the chart under it go on the same page."""
    glued: list[Flowable] = []
    i = 0
    while i < len(story):
        if _is_heading(story[i]):
            j = i + 1
            while j < len(story) and j - i <= 2 and not isinstance(story[j], Drawing | Table):
                j += 1
            if j < len(story) and isinstance(story[j], Drawing | ChartGrid):
                glued.append(KeepTogether(story[i : j + 1]))
                i = j + 1
                continue
        glued.append(story[i])
        i += 1
    return glued


def even_chunks(items: Sequence, most: int) -> Iterable[Sequence]:
    """At most `most` per chunk, the chunks as even as can be (30 -> 15 + 15, not 24 + 6)."""
    count = max(1, -(-len(items) // most))
    return chunks(items, max(1, -(-len(items) // count)))


class ChartGrid(Table):
    """Charts side by side: a chart, for keep_headings_with_charts."""


def side_by_side(drawings: Sequence[Flowable], width: float) -> list[Flowable]:
    """Charts in rows of as many as fit the width (a drawing never splits across pages)."""
    if not drawings:
        return []
    widest = max(d.width for d in drawings)
    per_row = max(1, int(width // (widest + 6)))
    if per_row == 1:
        return list(drawings)
    rows = [list(part) + [""] * (per_row - len(part)) for part in chunks(drawings, per_row)]
    grid = ChartGrid(rows, colWidths=[width / per_row] * per_row)
    grid.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    return [grid]


def aar_level(key: str) -> charts.Level:
    """A heat-map level whose legend is its letter (the meanings are written under it: the
    toolkit's one-line legend would run off the page with them)."""
    return charts.Level(key, key, key, RATING_COLOURS[key])


def unique_labels(labels: Sequence[str]) -> list[str]:
    """Chart rows are keyed by label: two teams of the same name get a number."""
    seen: dict[str, int] = {}
    result = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        result.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return result
