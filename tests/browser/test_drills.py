"""A participant's console receives a new inject without reloading the page."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import create_engine, text

from core.models import utcnow
from tests.browser.test_shell import check_page, sign_in


def test_a_new_inject_is_announced_without_a_reload(page, live_server, live_database_url):
    engine = create_engine(live_database_url)
    with engine.begin() as connection:  # the demo drill, running 10x fast, I02 due in ~6 s
        connection.execute(
            text("UPDATE drill SET state = 'running', compression = 10, starts_at = :start"),
            {"start": (utcnow() - timedelta(seconds=84)).strftime("%Y-%m-%d %H:%M:%S.%f")},
        )
    engine.dispose()
    sign_in(page, "participant")
    page.goto("/drills/")
    page.get_by_role("link", name="KE-CIRT/CC").click()
    assert page.locator("#injects li.inject").count() == 1
    check_page(page)
    notice = page.locator("[data-new-injects]")
    notice.wait_for(state="visible", timeout=15_000)
    assert page.locator("#injects li.inject").count() == 1  # nothing moved under the reader
    notice.get_by_role("link", name="Show it").click()
    page.locator("#inject-I02").wait_for()
    assert page.locator("#injects li.inject").count() == 2
    check_page(page)


def test_the_trainer_pauses_and_resumes_from_the_control_room(page):
    sign_in(page, "trainer")
    page.goto("/drills/")
    page.get_by_role("link", name="Regional Cyberdrill 2026 (demo)").click()
    check_page(page)
    page.get_by_role("button", name="Pause").click()
    assert "the drill is paused" in page.locator(".flash-success").inner_text()
    page.get_by_role("button", name="Pause").click()
    assert "cannot pause" in page.locator(".flash-error").inner_text()
    page.get_by_role("button", name="Resume").click()
    assert "the drill is running" in page.locator(".flash-success").inner_text()
    check_page(page)


def test_a_team_answers_in_the_console_and_its_draft_survives_a_reload(
    page, live_server, live_database_url
):
    engine = create_engine(live_database_url)
    with engine.begin() as connection:  # the demo drill, running, I01 has arrived
        connection.execute(
            text("UPDATE drill SET state = 'running', compression = 1, starts_at = :start"),
            {"start": (utcnow() - timedelta(minutes=3)).strftime("%Y-%m-%d %H:%M:%S.%f")},
        )
    engine.dispose()
    sign_in(page, "participant")
    page.goto("/drills/")
    page.get_by_role("link", name="KE-CIRT/CC").click()
    inject = page.locator("#inject-I01")
    first = inject.locator("section.response").first
    first.get_by_role("textbox").fill("Mirefall")
    first.locator("[data-autosave-status]").filter(has_text="Draft saved").wait_for()
    page.reload()
    first = page.locator("#inject-I01 section.response").first
    assert first.get_by_role("textbox").input_value() == "Mirefall"
    check_page(page)
    first.get_by_role("button", name="Submit the answer").click()
    assert "Right" in page.locator(".flash-success").inner_text()
    second = page.locator("#inject-I01 section.response").nth(1)
    second.get_by_role("radio").nth(1).check()
    second.get_by_role("button", name="Submit the answer").click()
    assert page.locator(".flash").count() == 1
    answered = page.locator("#inject-I01 .answered")
    assert answered.count() == 2
    page.get_by_role("button", name="Acknowledge").first.click()
    assert "Acknowledged at" in page.locator("#inject-I01").inner_text()
    check_page(page)
