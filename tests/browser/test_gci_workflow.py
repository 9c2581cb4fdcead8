"""The whole GCI workflow in Chromium, one person per browser context: the demo focal point
(Kenya, open cycle GCI-2025) answers every pillar and submits; the analyst asks about one
answer; the focal point replies, changes it and resubmits; the analyst accepts and validates;
the country approves; the admin computes and publishes the cycle's results; an anonymous
visitor finds Kenya in the public ranking and its profile, and downloads the profile PDF and
the open data CSV with the figures the focal point's what-if promised. axe on every page.

Publishing changes what every public page shows, so this test has a server and a database of
its own rather than the session's shared one."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import person_page, serve
from tests.browser.pages import answer_the_rest_no, check_page, question, wait_saved
from tests.browser.pages import sign_in as submit_sign_in

PILLARS = (
    "Legal measures",
    "Technical measures",
    "Organizational measures",
    "Capacity development measures",
    "Cooperation measures",
)
KENYA = "GCI 2025 (demo, open for answers) questionnaire: Kenya"


@pytest.fixture(scope="module")
def own_server(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("gci-workflow")
    with serve(workdir, f"sqlite:///{workdir / 'live.sqlite'}") as base:
        yield base


@pytest.fixture
def person(browser, own_server):
    contexts = []
    yield lambda: person_page(browser, own_server, contexts)
    for context in contexts:
        context.close()


# Every click that loads a page is followed by a wait for something only the new page has,
# so that no assertion (or axe) reads the page being left.


def sign_in(page, local: str):
    submit_sign_in(page, local)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def flashed(page, text: str) -> str:
    """The success message that says `text`, once the page that shows it has loaded."""
    message = page.locator(".flash-success").filter(has_text=text)
    expect(message).to_have_count(1)
    return message.inner_text()


def heading(page, text: str):
    expect(page.locator("h1")).to_contain_text(text)


def move(page, button: str, state: str):
    """Press a workflow button on the questionnaire's overview; the flash names the state."""
    page.get_by_role("button", name=button, exact=True).click()
    flashed(page, f"now {state}")
    check_page(page)


def open_overview(page):
    page.get_by_role("link", name=KENYA).click()
    heading(page, KENYA)


def open_pillar(page, name: str):
    page.locator("nav.pillar-nav").get_by_role("link", name=name).click()
    expect(page.locator("h1")).to_have_text(name)
    check_page(page)


def yes_with_a_link(page, code: str, url: str, description: str):
    """A positive answer and the web page that proves it."""
    question(page, code).get_by_label("Yes", exact=True).check()
    wait_saved(page)
    target = question(page, code)
    target.locator("summary").click()
    target.get_by_label("or a web address").fill(url)
    target.get_by_label("Description").fill(description)
    target.get_by_role("button", name="Add evidence").click()
    flashed(page, f"Evidence added to {code}.")
    expect(question(page, code).get_by_role("link", name=url)).to_have_count(1)


def whatif(page) -> str:
    return page.locator("[data-whatif-overall]").first.inner_text()


def test_a_questionnaire_from_draft_to_published_results(person):
    focal, analyst, admin, visitor = person(), person(), person(), person()

    # --- the focal point answers every pillar and submits ------------------------------
    sign_in(focal, "focal.point")
    focal.get_by_role("navigation", name="Main").get_by_role("link", name="Questionnaire").click()
    heading(focal, KENYA)
    check_page(focal)
    open_pillar(focal, "Legal measures")
    yes_with_a_link(
        focal, "LEG.3.2", "https://example.org/ke/computer-misuse-act", "Computer Misuse Act"
    )
    answer_the_rest_no(focal)
    for pillar in PILLARS[1:]:
        open_pillar(focal, pillar)
        answer_the_rest_no(focal)
    check_page(focal)
    submitted_whatif = whatif(focal)
    assert float(submitted_whatif) > 0
    focal.get_by_role("link", name="Check what is missing").click()
    heading(focal, "What is missing")
    assert "Every question shown is answered" in focal.content()
    check_page(focal)
    focal.get_by_role("button", name="Submit the questionnaire").click()
    flashed(focal, "now submitted")
    check_page(focal)

    # --- the analyst asks about one answer ---------------------------------------------
    sign_in(analyst, "analyst")
    analyst.get_by_role("navigation", name="Main").get_by_role("link", name="GCI review").click()
    heading(analyst, "Questionnaires waiting for review")
    check_page(analyst)
    queue = analyst.get_by_role("row").filter(has=analyst.get_by_role("link", name="Kenya"))
    assert "submitted" in queue.inner_text()
    queue.get_by_role("link", name="Kenya").click()
    heading(analyst, KENYA)
    check_page(analyst)
    move(analyst, "Start the review", "in review")
    open_pillar(analyst, "Legal measures")
    asked = question(analyst, "LEG.3.3")
    asked.get_by_text("Ask about LEG.3.3").click()
    asked.get_by_label("What is unclear").fill("Is the 2018 cybercrime law not in force?")
    asked.get_by_role("button", name="Ask for clarification").click()
    flashed(analyst, "Question about LEG.3.3 noted")
    check_page(analyst)
    open_overview(analyst)
    analyst.get_by_label("What needs clarifying").fill("One question on the legal pillar.")
    move(analyst, "Ask for clarification", "clarification requested")

    # --- the focal point sees the question, replies, changes the answer, resubmits ------
    focal.reload()
    asked = focal.locator("section.asked")
    assert "One question on the legal pillar." in asked.inner_text()
    assert "Is the 2018 cybercrime law not in force? — no reply yet" in asked.inner_text()
    check_page(focal)
    asked.get_by_role("link", name="LEG.3.3").click()
    expect(focal.locator("h1")).to_have_text("Legal measures")
    assert "Read-only" not in focal.locator("#save-status").inner_text()
    thread = question(focal, "LEG.3.3").locator(".thread")
    assert "Is the 2018 cybercrime law not in force?" in thread.inner_text()
    question(focal, "LEG.3.3").get_by_label("Your reply to the analyst").fill(
        "It is: the Computer Misuse and Cybercrimes Act, 2018. Corrected."
    )
    question(focal, "LEG.3.3").get_by_role("button", name="Send the reply").click()
    flashed(focal, "Reply sent.")
    yes_with_a_link(
        focal, "LEG.3.3", "https://example.org/ke/cybercrimes-act-2018", "Cybercrimes Act 2018"
    )
    expected = whatif(focal)
    assert float(expected) > float(submitted_whatif)
    check_page(focal)
    open_overview(focal)
    expect(asked).to_contain_text("Is the 2018 cybercrime law not in force? — replied")
    move(focal, "Resubmit the questionnaire", "resubmitted")

    # --- the analyst accepts the changed answer and validates ---------------------------
    analyst.reload()
    move(analyst, "Start the review", "in review")
    open_pillar(analyst, "Legal measures")
    question(analyst, "LEG.3.3").get_by_role("button", name="Accept LEG.3.3").click()
    flashed(analyst, "LEG.3.3 accepted.")
    assert "Accepted by an analyst." in question(analyst, "LEG.3.3").inner_text()
    open_overview(analyst)
    assert "Validating accepts every shown answer" in analyst.content()
    move(analyst, "Validate", "validated")

    # --- the country approves ------------------------------------------------------------
    focal.reload()
    move(focal, "Approve for publication", "approved by the country")

    # --- the admin computes and publishes the cycle's results -----------------------------
    sign_in(admin, "admin")
    admin.goto(focal.url)
    check_page(admin)
    assert "Mark as published" not in admin.content()
    admin.get_by_role("link", name="compute and publish a snapshot").click()
    heading(admin, "(GCI-2025)")
    check_page(admin)
    admin.get_by_role("button", name="Compute a new snapshot").click()
    computed = re.search(r"Snapshot (\d+) computed", flashed(admin, "computed"))
    assert computed
    results = admin.get_by_role("row").filter(has=admin.get_by_role("link", name="Kenya"))
    assert expected in results.inner_text()
    admin.get_by_role("button", name=f"Publish {computed[1]}", exact=True).click()
    flashed(admin, "is published")
    flashed(admin, "Published with it, as their countries approved them: Kenya.")
    check_page(admin)
    admin.goto(focal.url)
    assert "published" in admin.locator(".state").inner_text()

    # --- an anonymous visitor reads and downloads the new figures ------------------------
    visitor.goto("/results/")
    check_page(visitor)
    assert "GCI 2025" in visitor.content()
    kenya = visitor.get_by_role("row").filter(has=visitor.get_by_role("link", name="Kenya"))
    assert expected in kenya.inner_text()
    kenya.get_by_role("link", name="Kenya").click()
    expect(visitor.locator("h1")).to_have_text("Kenya")
    check_page(visitor)
    assert expected in visitor.locator("dl").first.inner_text()
    with visitor.expect_download() as pdf:
        visitor.get_by_role("link", name="Download the profile (PDF)").click()
    text = "".join(p.extract_text() for p in PdfReader(pdf.value.path()).pages)
    assert "Kenya" in text and expected in text
    visitor.goto("/results/")
    with visitor.expect_download() as data:
        visitor.get_by_role("link", name="CSV", exact=True).click()
    rows = list(csv.DictReader(io.StringIO(data.value.path().read_text(encoding="utf-8"))))
    assert [(r["iso3"], r["cycle"]) for r in rows] == [("KEN", "GCI-2025")]
    assert f"{float(rows[0]['overall']):.2f}" == expected
