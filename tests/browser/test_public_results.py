"""The public results pages in a real browser: no console error (the CSP would log a blocked
inline style of the SVG charts), axe-core's WCAG 2.1 AA rules, in English and in Arabic."""

from __future__ import annotations

import pytest

from tests.browser.pages import check_page

PAGES = [
    ("ranking", "/results/?region=Africa"),
    ("profile", "/results/countries/KEN"),
    ("region", "/results/regions/africa"),
    ("tiers", "/results/tiers"),
]


@pytest.mark.parametrize("locale", ["en-GB", "ar"])
def test_public_pages_pass_axe_and_show_their_charts(browser, live_server, tmp_path, locale):
    context = browser.new_context(base_url=live_server, locale=locale)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    try:
        for name, path in PAGES:
            page.goto(path)
            check_page(page, tmp_path, f"{name}-{locale}")
        page.goto("/results/countries/KEN")
        charts = page.locator("svg.chart[role=img]")
        assert charts.count() == 2
        box = charts.first.bounding_box()
        assert box["width"] > 200 and box["height"] > 150  # drawn, not collapsed
        # sorting by a column header works without JavaScript
        page.goto("/results/")
        page.get_by_role(
            "link", name="Overall" if locale == "en-GB" else "الدرجة الإجمالية"
        ).click()
        assert "sort=overall" in page.url
    finally:
        context.close()
