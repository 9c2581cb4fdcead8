"""A trainer browses the library, opens a scenario, exports it and imports the export."""

from __future__ import annotations

from tests.browser.test_shell import check_page, sign_in


def test_trainer_exports_and_reimports_a_library_scenario(page, tmp_path):
    sign_in(page, "trainer")
    page.goto("/scenarios/")
    check_page(page)
    first = page.locator("main table a").first
    title = first.inner_text()
    first.click()
    assert page.locator("h1").inner_text() == title
    assert page.locator(".banner").inner_text().startswith("EXERCISE")
    check_page(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Export YAML").click()
    exported = tmp_path / download.value.suggested_filename
    download.value.save_as(exported)
    assert exported.read_text().startswith("format: cyberready-scenario/1")

    page.goto("/scenarios/")
    page.get_by_label("Scenario file (YAML or JSON)").set_input_files(str(exported))
    page.get_by_label("Import as a new scenario even if its id exists").check()
    page.get_by_role("button", name="Import").click()
    assert "(draft)" in page.locator(".flash-success").inner_text()
    assert page.locator("h1").inner_text() == title
    check_page(page)


def test_a_broken_file_is_refused_with_its_lines(page, tmp_path):
    sign_in(page, "trainer")
    broken = tmp_path / "broken.yaml"
    broken.write_text("format: cyberready-scenario/1\nid: x1\ntitle: T\ninjects: 5\n")
    page.goto("/scenarios/")
    page.get_by_label("Scenario file (YAML or JSON)").set_input_files(str(broken))
    page.get_by_role("button", name="Import").click()
    assert page.locator("h1").inner_text() == "Import refused"
    problems = page.locator("ul.problems li").all_inner_texts()
    assert any(p.startswith("line 4, injects: must be a list") for p in problems), problems
    check_page(page, status=422)
