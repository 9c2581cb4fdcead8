"""A trainer browses the library, opens a scenario, exports it and imports the export."""

from __future__ import annotations

from tests.browser.pages import check_page, sign_in


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


def fill(page, values: dict):
    for label, value in values.items():
        field = page.get_by_label(label, exact=True)
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


def test_trainer_writes_a_scenario_from_scratch(page, tmp_path):
    sign_in(page, "trainer")
    page.goto("/scenarios/")
    page.get_by_role("link", name="New scenario").click()
    check_page(page)
    fill(
        page,
        {
            "Id (lowercase letters, digits, dashes)": "port-ransomware",
            "Title": "Ransomware at the port authority",
            "Summary": "Cranes stop.",
            "Duration (minutes)": "120",
            "Difficulty": "introductory",
        },
    )
    page.get_by_role("button", name="Save").click()
    assert "a scenario needs at least one objective" in page.content()
    check_page(page)

    page.get_by_role("link", name="Add an objective").click()
    fill(
        page,
        {
            "Id": "O1",
            "Objective": "Contain the ransomware.",
            "Capability (NIST CSF 2.0)": "Respond",
        },
    )
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Add an inject").click()
    fill(
        page,
        {
            "Id": "I1",
            "Offset from the start (minutes)": "0",
            "Title": "Cranes stop",
            "Channel": "phone",
            "Body (Markdown)": "The harbour master calls.",
            "Objectives served (ids, comma-separated)": "O1",
        },
    )
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Add a response I1").click()
    check_page(page)
    fill(
        page,
        {
            "Id": "R1",
            "Prompt": "Which file extension do the encrypted files have?",
            "Answer type": "exact",
            "Scoring": "auto",
            "Expected answer (choices: option keys, comma-separated)": ".locked",
            "Points": "10",
            "Full points for (minutes after release)": "15",
            "Down to the floor at (minutes)": "10",
            "Floor (share of the points, 0 to 1)": "0.5",
            "Objectives scored (ids, comma-separated)": "O1",
        },
    )
    page.get_by_role("button", name="Save").click()
    problems = page.locator("#inject-I1 ul.problems").inner_text()
    assert "zero_minutes: must come after full_minutes" in problems  # beside the inject

    page.get_by_role("link", name="Edit I1.R1").click()
    assert "must come after full_minutes" in page.locator(".field.has-error").inner_text()
    check_page(page)
    fill(page, {"Down to the floor at (minutes)": "45"})
    page.get_by_role("button", name="Save").click()
    assert page.locator("#inject-I1 ul.problems").count() == 0
    page.get_by_role("button", name="Publish version 1").click()
    assert "Version 1 is published" in page.locator(".flash-success").inner_text()
    check_page(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Export YAML").click()
    exported = tmp_path / "export.yaml"
    download.value.save_as(exported)
    page.goto("/scenarios/")
    page.get_by_label("Scenario file (YAML or JSON)").set_input_files(str(exported))
    page.get_by_label("Import as a new scenario even if its id exists").check()
    page.get_by_role("button", name="Import").click()
    assert "port-ransomware-2" in page.locator(".flash-success").inner_text()

    page.get_by_role("link", name="Preview").click()
    check_page(page)
    assert page.locator(".timeline .inject h2").all_inner_texts() == ["+0 min Cranes stop"]
    assert ".locked" not in page.content()  # a team never sees the expected answer


def test_the_editor_saves_while_typing_and_two_tabs_lose_nothing(page, browser, live_server):
    sign_in(page, "trainer")
    page.goto("/scenarios/")
    page.locator("main table a").first.click()
    scenario_url = page.url
    page.get_by_role("link", name="Edit I01", exact=True).click()
    edit_url = page.url
    check_page(page)

    other = page.context.new_page()  # a second tab on the same inject
    other.goto(edit_url)

    page.get_by_label("Title", exact=True).fill("Renamed while typing")
    status = page.locator("[data-autosave-status]")
    status.filter(has_text="Draft saved at").wait_for(timeout=10_000)
    page.goto(scenario_url)
    assert "Renamed while typing" in page.locator("#inject-I01 h3").inner_text()

    other.get_by_label("Title", exact=True).fill("The other tab's title")
    other.locator("[data-autosave-status]").filter(
        has_text="someone else saved this draft"
    ).wait_for(timeout=10_000)
    other.get_by_role("button", name="Save").click()
    warning = other.locator(".flash-warning").inner_text()
    assert "Renamed while typing" in warning  # what is stored now ...
    assert other.get_by_label("Title", exact=True).input_value() == "The other tab's title"
    other.close()
