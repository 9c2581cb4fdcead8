"""What the browser tests do on a page: sign in as a demo person, check a page (no console
error, no axe-core WCAG 2.1 A/AA violation), and fill the GCI questionnaire."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

from core.demo import DEMO_PASSWORD, demo_email

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
axe = Axe()


def check_page(page, screenshot_dir=None, name=None, status=200):
    """No console errors, no axe violations; screenshot kept for a person to look at.

    An error page's own status is logged by Chromium as a console error: that one is expected.
    """
    results = axe.run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, f"{page.url}:\n{results.generate_snapshot()}"
    own_status = f"the server responded with a status of {status}"
    errors = [e for e in page.console_errors if status == 200 or own_status not in e]
    assert errors == [], f"{page.url}: {errors}"
    page.console_errors.clear()
    if screenshot_dir is not None:
        page.screenshot(path=str(screenshot_dir / f"{name}.png"), full_page=True)


def sign_in(page, local: str, password: str = DEMO_PASSWORD):
    page.goto("/login")
    page.get_by_label("E-mail").fill(demo_email(local))
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    assert "Too many attempts" not in page.content()


SAVED = "All answers are saved."


def question(page, code):
    return page.locator(f'fieldset[data-code="{code}"]')


def wait_saved(page):
    page.locator("#save-status").filter(has_text=SAVED).wait_for(timeout=10_000)


def answer_the_rest_no(page):
    """Answer "No" to every question shown that has no answer yet."""
    for fieldset in page.locator("fieldset.question:not([hidden])").all():
        if fieldset.locator("input[data-answer]:checked").count() == 0:
            fieldset.get_by_label("No", exact=True).check()
    wait_saved(page)
