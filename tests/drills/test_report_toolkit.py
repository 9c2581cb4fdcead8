"""The report toolkit pieces that moved from the drill reports into core: the quartiles of
the box plot (statistics.quantiles, "inclusive") equal the interpolation the report drew
before, and the one right-to-left paragraph takes its base direction as a parameter."""

import random

from hypothesis import given
from hypothesis import strategies as st
from reportlab.lib.styles import ParagraphStyle

from core import charts, pdf


def interpolated(values):
    """The quartiles as drills/reports.py computed them before the move."""
    ordered = sorted(values)

    def at(q):
        position = (len(ordered) - 1) * q
        low = int(position)
        high = min(low + 1, len(ordered) - 1)
        return ordered[low] + (ordered[high] - ordered[low]) * (position - low)

    return at(0.25), at(0.5), at(0.75)


@given(st.lists(st.floats(0, 10_000, allow_nan=False), min_size=1, max_size=60))
def test_the_quartiles_are_the_interpolated_ones(values):
    for mine, theirs in zip(charts.quartiles(values), interpolated(values), strict=True):
        assert abs(mine - theirs) <= 1e-9 * max(1.0, abs(theirs))


def test_the_quartiles_of_random_samples_and_one_value():
    rng = random.Random(13)
    for _ in range(200):
        values = [rng.uniform(0, 90) for _ in range(rng.randint(2, 40))]
        assert all(
            abs(a - b) < 1e-9
            for a, b in zip(charts.quartiles(values), interpolated(values), strict=True)
        )
    assert charts.quartiles([7.0]) == (7.0, 7.0, 7.0)


def test_the_box_plot_describes_each_row():
    chart = charts.distribution([("I1", [1.0, 2.0, 3.0, 4.0, 5.0], 2.0), ("I2", [], None)])
    assert "I1: min 1.0, median 3.0, max 5.0, n=5, team 2.0" in chart.desc
    assert "I2: n=0" in chart.desc


def test_the_paragraph_orders_each_line_by_its_base_direction():
    style = ParagraphStyle("t", fontName="Helvetica", fontSize=10)
    text = "Respond (فريق مصر)"
    mixed = pdf.BidiParagraph(text, style, base_dir=None)._lines(500)
    right_to_left = pdf.BidiParagraph(text, style)._lines(500)
    assert mixed == [pdf.visual(text, base_dir=None)]
    assert right_to_left == [pdf.visual(text)]
    assert mixed[0].startswith("Respond") and mixed != right_to_left
