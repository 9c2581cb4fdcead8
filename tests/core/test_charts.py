"""Charts: fixed scales, comparison markers, and SVG that a strict CSP page can inline."""

import re
import xml.etree.ElementTree as ET  # noqa: S405

import pytest
from reportlab.graphics.shapes import Polygon, String
from reportlab.lib.colors import HexColor, white

from core import charts

PILLARS = {
    "Legal": 45.0,
    "Technical": 80.0,
    "Organizational": 30.0,
    "Capacity": 60.0,
    "Cooperation": 10.0,
}
SVG = "{http://www.w3.org/2000/svg}"


def strings(drawing):
    out = []

    def walk(node):
        for child in getattr(node, "contents", []):
            if isinstance(child, String):
                out.append(child.text)
            walk(child)

    walk(drawing)
    return out


def test_radar_draws_on_a_fixed_0_to_100_scale():
    def polygons(drawing):
        return [s.points for s in drawing.contents if isinstance(s, Polygon)]

    weak = polygons(charts.radar({k: v / 4 for k, v in PILLARS.items()}))
    strong = polygons(charts.radar(PILLARS))
    rings, data = strong[:5], strong[5]  # rings at 20, 40, 60, 80, 100, then the data
    assert weak[:5] == rings  # the scale does not follow the data (SpiderChart's would)
    # Legal (45) is the top point: between the 40 and the 60 ring
    assert rings[1][1] < data[1] < rings[2][1]
    assert weak[5][1] < rings[0][1]  # 11.25 is inside the 20 ring
    assert "Legal 45.0" in strings(charts.radar(PILLARS))


def test_bars_write_their_values_and_comparison_markers_in_the_legend():
    drawing = charts.bars(
        {"Legal": 12.5, "Technical": 18.0},
        maximum=20,
        markers={"Region average": {"Legal": 10.0}, "LDC average": {"Legal": 4.0}},
        series_label="Kenya",
    )
    texts = strings(drawing)
    assert {"12.5", "18.0", "Kenya", "Region average", "LDC average"} <= set(texts)
    assert "Region average: Legal: 10.0" in drawing.desc
    vertical = charts.bars({"A": 1.0, "B": 2.0}, horizontal=False)
    assert {"A", "B", "1.0", "2.0"} <= set(strings(vertical))


def test_heatmap_cells_carry_text_and_legend_lists_every_level():
    levels = [charts.Level("g", "G", "good", "#1a9641"), charts.Level("p", "P", "poor", "#fde0c5")]
    drawing = charts.heatmap(
        ["Team A", "Team B"],
        ["Detect", "Report"],
        {("Team A", "Detect"): "g", ("Team B", "Report"): "p"},
        levels=levels,
        missing_label="n/a",
    )
    texts = strings(drawing)
    assert texts.count("G") == 1 and texts.count("P") == 1 and texts.count("n/a") == 2
    assert "G good" in texts and "P poor" in texts
    assert "Team A / Detect: good" in drawing.desc


@pytest.mark.parametrize("level", charts.DEFAULT_LEVELS)
def test_default_heatmap_colours_keep_text_readable(level):
    fill = HexColor(level.color)
    assert max(charts.contrast(fill, charts.INK), charts.contrast(fill, white)) >= 4.5


def test_chart_colours_reach_4_5_to_1_on_white():
    for color in [charts.PRIMARY, charts.GRID, charts.INK] + [c for c, _ in charts.SERIES]:
        assert charts.contrast(color, white) >= 4.5, color


def test_svg_is_accessible_and_has_no_inline_style():
    drawing = charts.radar(PILLARS, comparisons={"Region <average>": PILLARS}, title="Pillars & co")
    svg = str(charts.to_svg(drawing))
    assert "style=" not in svg and "<script" not in svg and "<!DOCTYPE" not in svg
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}title").text == "Pillars & co"
    assert "Legal: 45.0" in root.find(f"{SVG}desc").get("id") + root.find(f"{SVG}desc").text
    assert "Region &lt;average&gt;" in svg  # escaped, not markup
    # ids are unique per chart, so two charts on one page do not share a clip path
    other = str(charts.to_svg(charts.radar(PILLARS)))
    ids = set(re.findall(r'id="([^"]+)"', svg))
    assert ids and ids.isdisjoint(re.findall(r'id="([^"]+)"', other))
    for reference in re.findall(r"url\(#([^)]+)\)", svg):
        assert reference in ids
