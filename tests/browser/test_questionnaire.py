"""The demo focal point (Kenya) fills the open GCI questionnaire across all pillars: a
sub-question appears and disappears, evidence is uploaded, the connection drops and an answer
waits in the browser until it returns, two tabs disagree and one chooses, and the
questionnaire is submitted and becomes read-only."""

from __future__ import annotations

from tests.browser.pages import answer_the_rest_no, check_page, question, sign_in, wait_saved


def test_focal_point_fills_and_submits_the_questionnaire(page, tmp_path):
    sign_in(page, "focal.point")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Questionnaire").click()
    assert "questionnaire: Kenya" in page.locator("h1").inner_text()
    assert "Score of these answers if accepted" in page.content()
    check_page(page)

    page.get_by_role("link", name="Legal measures").click()
    check_page(page)
    # a sub-question appears with a "yes" and disappears with a "no", live and for the server
    subs = question(page, "LEG.1.1.a")
    assert subs.is_hidden()
    question(page, "LEG.1.1").get_by_label("Yes", exact=True).check()
    subs.wait_for(state="visible")
    question(page, "LEG.1.1").get_by_label("No", exact=True).check()
    subs.wait_for(state="hidden")
    wait_saved(page)
    page.reload()
    assert question(page, "LEG.1.1").get_by_label("No", exact=True).is_checked()
    assert subs.is_hidden()

    # a "yes" that needs evidence: upload a PDF for it
    question(page, "LEG.3.1").get_by_label("Yes", exact=True).check()
    question(page, "LEG.3.1.a").wait_for(state="visible")
    wait_saved(page)
    law = tmp_path / "data-protection-act.pdf"
    law.write_bytes(b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n")
    target = question(page, "LEG.3.1")
    target.locator("summary").click()
    target.get_by_label("File (").set_input_files(str(law))
    target.get_by_label("Description").fill("Data Protection Act, 2019, sections 1-5")
    target.get_by_role("button", name="Add evidence").click()
    assert "Evidence added to LEG.3.1." in page.locator(".flash-success").inner_text()
    assert question(page, "LEG.3.1").get_by_role("link", name="data-protection-act.pdf").count()

    # the connection drops: the answer waits in the browser, and is sent when it returns
    page.context.set_offline(True)
    question(page, "LEG.3.2").get_by_label("No", exact=True).check()
    status = page.locator("#save-status")
    status.filter(has_text="Not saved yet").wait_for(timeout=10_000)
    assert "wait in this browser" in status.inner_text()
    assert "Not saved yet" in question(page, "LEG.3.2").locator("[data-status]").inner_text()
    page.context.set_offline(False)
    wait_saved(page)
    # the failed attempt is logged by the browser; nothing else may be
    assert {e for e in page.console_errors} <= {
        "Failed to load resource: net::ERR_INTERNET_DISCONNECTED"
    }
    page.console_errors.clear()
    page.reload()
    assert question(page, "LEG.3.2").get_by_label("No", exact=True).is_checked()

    # two tabs: the second one saves over a stale version and chooses what to keep
    other = page.context.new_page()
    other.goto(page.url)
    question(page, "LEG.3.3").get_by_label("No", exact=True).check()
    wait_saved(page)
    question(other, "LEG.3.3").get_by_label("Yes", exact=True).check()
    conflict = question(other, "LEG.3.3").locator("[data-conflict]")
    conflict.wait_for(state="visible", timeout=10_000)
    assert "Saved answer: No" in conflict.inner_text()
    assert "Your answer: Yes" in conflict.inner_text()
    conflict.get_by_role("button", name="Take theirs").click()
    assert question(other, "LEG.3.3").get_by_label("No", exact=True).is_checked()
    other.close()

    answer_the_rest_no(page)
    for pillar in ("Technical measures", "Organizational measures", "Capacity development"):
        page.locator("nav.pillar-nav").get_by_role("link", name=pillar).click()
        answer_the_rest_no(page)
    page.locator("nav.pillar-nav").get_by_role("link", name="Cooperation measures").click()
    answer_the_rest_no(page)
    check_page(page)

    page.get_by_role("link", name="Check what is missing").click()
    assert "Every question shown is answered" in page.content()
    check_page(page)
    page.get_by_role("button", name="Submit the questionnaire").click()
    assert "now submitted" in page.locator(".flash-success").inner_text()
    page.locator("nav.pillar-nav").get_by_role("link", name="Legal measures").click()
    assert "Read-only" in page.locator("#save-status").inner_text()
    assert question(page, "LEG.3.2").get_by_label("No", exact=True).is_disabled()
    check_page(page)
