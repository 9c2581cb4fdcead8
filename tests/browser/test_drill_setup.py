"""A trainer sets a drill up in the browser (settings, teams from CSV with a refused row,
a participant, a contact check) and a participant confirms the demo drill's contact check;
every page passes axe and logs no console error."""

from __future__ import annotations

from core.demo import demo_email
from tests.browser.pages import check_page, sign_in


def test_a_trainer_sets_up_a_drill(page):
    sign_in(page, "trainer")
    page.goto("/drills/")
    page.get_by_role("link", name="New drill").click()
    check_page(page)
    page.get_by_label("Name").fill("Browser setup drill")
    page.get_by_label("Scenario (published version)").select_option(index=0)
    page.get_by_label("Starts at").fill("2027-01-15T09:00")
    page.locator("#time_zone").fill("Africa/Nairobi")
    page.get_by_label("Time compression").fill("4")
    page.get_by_role("button", name="Create the drill").click()
    assert "The drill is created" in page.locator(".flash-success").inner_text()
    check_page(page)

    rows = page.get_by_label("One team per line")
    rows.fill(
        'KEN,KE-CIRT,sector-telecom\nXXX,Nowhere,\nEGY,EG-CERT,"sector-telecom, region-north"'
    )
    page.get_by_role("button", name="Add these teams").click()
    assert "Row 2: 'XXX' is not a country code" in page.locator(".flashes").inner_text()
    check_page(page, status=422)
    rows.fill('KEN,KE-CIRT,sector-telecom\nEGY,EG-CERT,"sector-telecom, region-north"')
    page.get_by_role("button", name="Add these teams").click()
    assert "2 teams are added." in page.locator(".flash-success").inner_text()
    assert page.locator("table caption").inner_text() == "2 teams"

    page.get_by_role("link", name="EG-CERT").click()
    check_page(page)
    page.get_by_label("E-mail (someone without an account gets an invitation)").fill(
        demo_email("participant.eg")
    )
    page.get_by_role("button", name="Add the participant").click()
    assert "is in the team" in page.locator(".flash-success").inner_text()

    page.get_by_role("link", name="Evaluators and observers").click()
    check_page(page)
    page.get_by_role("link", name="Contact check").click()
    page.get_by_label("Message the participants confirm").fill("Please confirm you can read this.")
    page.get_by_role("button", name="Send a new contact check").click()
    assert "Pia Participant" in page.locator("main table").inner_text()
    check_page(page)
    page.get_by_role("link", name="Settings").click()
    assert page.get_by_label("Starts at").input_value() == "2027-01-15T09:00"
    check_page(page)


def test_a_participant_confirms_the_contact_check(page):
    sign_in(page, "participant.eg")
    page.goto("/drills/")
    page.get_by_role("link", name="EG-CERT").first.click()
    page.get_by_role("button", name="I confirm").click()
    assert "your contact check is confirmed" in page.locator(".flash-success").inner_text()
    assert page.get_by_text("You confirmed at").is_visible()
    check_page(page)
