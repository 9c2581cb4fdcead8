"""A trainer imports a master scenario events list: preview, then the draft; then clones it."""

from __future__ import annotations

from tests.browser.pages import check_page, sign_in

MSEL = (
    "Exercise NIGHTFALL - MSEL v3;;;;;\n"
    "T+;Story time;Method;From;Inject;Description;Expected player action\n"
    '0;Day 1 06:40;E-mail;NOC lead;Billing servers encrypted;"Files end in .lockbit;\n'
    'the note names a leak site";Open an incident\n'
    "1:30;Day 1 08:10;Press;Journalist;Media asks;Is this an attack?;Hold a statement\n"
)


def test_trainer_previews_imports_and_clones_an_msel(page, tmp_path):
    sign_in(page, "trainer")
    sheet = tmp_path / "nightfall.csv"
    sheet.write_bytes(("\ufeff" + MSEL).encode("utf-8"))
    page.goto("/scenarios/")
    page.get_by_role("link", name="Import a master scenario events list (CSV)").click()
    check_page(page)
    page.get_by_label("Scenario title").fill("Nightfall from the MSEL")
    page.get_by_label("CSV file").set_input_files(str(sheet))
    page.get_by_role("button", name="Preview").click()
    assert page.locator("h1").inner_text() == "Preview of the import"
    check_page(page)
    assert page.locator("table.msel tbody tr").count() == 2
    assert page.locator("table.msel tbody th").all_inner_texts() == [
        "3",
        "4",
    ]  # as the sheet numbers rows
    page.get_by_role("button", name="Create the draft").click()
    assert "with 2 injects" in page.locator(".flash-success").inner_text()
    assert page.locator("h1").inner_text() == "Nightfall from the MSEL"
    check_page(page)
    body = page.locator("#inject-I01 .body").inner_text()
    assert "Files end in .lockbit;" in body and "leak site" in body
    page.get_by_role("button", name="Clone").click()
    assert page.locator("h1").inner_text() == "Copy of Nightfall from the MSEL"
    assert page.url.endswith("/scenarios/nightfall-from-the-msel-copy")
    check_page(page)
