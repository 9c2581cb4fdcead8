"""Each demo role signs in and finds its own navigation; every page visited has no console
error and passes axe-core's WCAG 2.1 A and AA rules."""

from __future__ import annotations

import pytest

from tests.browser.pages import check_page, sign_in

# The navigation each demo role must see, and the entries it must not see.
NAVIGATION = {
    "admin": [
        "GCI results",
        "Countries",
        "GCI workspaces",
        "GCI cycles",
        "GCI review",
        "Scenarios",
        "Drills",
        "Users",
        "Audit log",
        "Outbox",
    ],
    # Any role may observe a drill, so everyone signed in has the drill list.
    "analyst": ["GCI results", "Countries", "GCI workspaces", "GCI cycles", "GCI review", "Drills"],
    "focal.point": ["GCI results", "Countries", "My country", "Questionnaire", "Drills"],
    "trainer": ["GCI results", "Countries", "Scenarios", "Drills"],
    "evaluator": ["GCI results", "Countries", "Drills"],
    "participant": ["GCI results", "Countries", "Drills"],
}
ALL_ENTRIES = {
    "GCI results",
    "Outbox",
    "Countries",
    "My country",
    "Questionnaire",
    "GCI workspaces",
    "GCI review",
    "Scenarios",
    "Drills",
    "Users",
    "Audit log",
}


def nav_labels(page) -> list[str]:
    return page.locator("nav[aria-label='Main'] a").all_inner_texts()


def test_anonymous_pages(page, tmp_path_factory):
    shots = tmp_path_factory.mktemp("shots")
    for path in ("/", "/login", "/countries", "/countries?region=CIS", "/no-such-page"):
        status = page.goto(path).status
        name = path.strip("/").replace("/", "_").replace("?", "_") or "home"
        check_page(page, shots, name, status=status)
    assert nav_labels(page) == ["GCI results", "Countries"]


@pytest.mark.parametrize("local", list(NAVIGATION))
def test_each_role_signs_in_and_sees_its_navigation(page, local, tmp_path_factory):
    shots = tmp_path_factory.mktemp(f"shots-{local}")
    sign_in(page, local)
    assert page.get_by_text("Signed in as").is_visible()
    labels = nav_labels(page)
    assert labels == NAVIGATION[local]
    assert not (ALL_ENTRIES - set(NAVIGATION[local])) & set(labels)
    check_page(page, shots, "home")
    for label in labels:  # every page the menu offers opens and is accessible
        page.locator("nav[aria-label='Main']").get_by_role("link", name=label).click()
        assert page.locator("h1").count() == 1, page.url
        check_page(page, shots, label.replace(" ", "_"))
    page.goto("/account")
    check_page(page, shots, "account")
    page.get_by_role("button", name="Sign out").click()
    assert page.get_by_text("You are signed out.").is_visible()


def test_wrong_password_shows_the_error(page):
    sign_in(page, "admin", "not-the-password")
    error = page.locator("#password-error")
    assert error.inner_text() == "The e-mail or the password is not correct."
    assert page.get_by_label("Password", exact=True).get_attribute("aria-invalid") == "true"
    check_page(page, status=400)


def test_participant_cannot_open_another_teams_page(page):
    sign_in(page, "participant")
    page.goto("/drills/")
    links = page.locator("main a[href*='/drills/teams/']")
    assert "EG-CERT" not in links.all_inner_texts()  # only the participant's own teams
    own = page.get_by_role("link", name="KE-CIRT/CC").get_attribute("href")
    other_id = int(own.rsplit("/", 1)[1]) + 1
    response = page.goto(f"/drills/teams/{other_id}")
    assert response.status == 404  # another team's page looks like no page at all
    check_page(page, status=404)


def test_arabic_is_laid_out_right_to_left(page):
    page.goto("/")
    page.get_by_label("Language").select_option("ar")
    page.get_by_role("button", name="Change").click()
    html = page.locator("html")
    assert html.get_attribute("dir") == "rtl" and html.get_attribute("lang") == "ar"
    assert page.locator("a.skip-link").inner_text() != "Skip to main content"  # translated
    check_page(page)


def test_home_page_weighs_under_100_kb(page):
    sizes = []
    page.on("response", lambda response: sizes.append(len(response.body())))
    page.goto("/", wait_until="networkidle")
    assert sizes and sum(sizes) < 100 * 1024, sizes


def test_skip_link_moves_focus_to_main(page):
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
