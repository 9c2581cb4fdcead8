"""After a drill in the browser: the trainer runs and ends a drill of their own, the
participant answers the hot wash anonymously, the evaluator overrides a rating and the
trainer reads the hot wash and edits the improvement plan and the marking; every page
passes axe and logs no console error."""

from __future__ import annotations

import re

import pytest

from core.demo import demo_email
from tests.browser.pages import check_page, sign_in


@pytest.fixture
def person(new_page):
    """A fresh browser context per person, so each signs in on their own."""

    def open_as(local: str):
        page = new_page()
        sign_in(page, local)
        return page

    return open_as


def test_after_the_drill(person, tmp_path_factory):
    shots = tmp_path_factory.mktemp("aftermath-shots")
    trainer = person("trainer")
    trainer.goto("/drills/new")
    trainer.get_by_label("Name").fill("Browser after-action drill")
    trainer.get_by_label("Scenario (published version)").select_option(index=0)
    trainer.get_by_label("Starts at").fill("2027-02-01T09:00")
    trainer.locator("#time_zone").fill("UTC")
    trainer.get_by_role("button", name="Create the drill").click()
    drill_id = int(re.search(r"/drills/(\d+)/teams", trainer.url).group(1))
    trainer.get_by_label("One team per line").fill("KEN,KE-AAR,sector-telecom")
    trainer.get_by_role("button", name="Add these teams").click()
    trainer.get_by_role("link", name="KE-AAR").click()
    trainer.get_by_label("E-mail (someone without an account gets an invitation)").fill(
        demo_email("participant")
    )
    trainer.get_by_role("button", name="Add the participant").click()
    trainer.goto(f"/drills/{drill_id}/people")
    trainer.locator("#evaluator-email").fill(demo_email("evaluator"))
    trainer.locator("#evaluator-email").press("Enter")
    trainer.goto(f"/drills/{drill_id}")
    trainer.get_by_role("button", name="Start now").click()
    trainer.get_by_role("button", name="End the drill").click()
    assert "the drill is ended" in trainer.locator(".flash-success").inner_text()

    participant = person("participant")
    participant.goto("/drills/")
    participant.get_by_role("link", name="KE-AAR").click()
    participant.get_by_label("What went well?").fill("Realistic injects")
    participant.get_by_label("What did not go well").fill("Too little time")
    participant.get_by_label("4", exact=True).check()
    participant.get_by_label("Answer anonymously").check()
    check_page(participant, shots, "hotwash-form")
    participant.get_by_role("button", name="Send my answer").click()
    assert "your answer is recorded" in participant.locator(".flash-success").inner_text()
    assert participant.get_by_text("Thank you: you have answered.").is_visible()
    check_page(participant)

    evaluator = person("evaluator")
    evaluator.goto(f"/drills/{drill_id}/evaluate")
    evaluator.get_by_role("link", name="Ratings per objective").click()
    evaluator.get_by_label("Rating", exact=True).select_option("M")
    evaluator.get_by_label("Reason (required)").fill("Escalation came late.")
    evaluator.get_by_role("button", name="Record the rating").click()
    assert "The rating is recorded." in evaluator.locator(".flash-success").inner_text()
    assert "Escalation came late." in evaluator.locator("main").inner_text()
    check_page(evaluator, shots, "ratings")

    trainer.get_by_role("link", name="Hot wash").click()
    summary = trainer.locator("main").inner_text()
    assert "Realistic injects" in summary and "Anonymous" in summary
    assert "Pat Participant" not in summary
    check_page(trainer, shots, "hotwash-summary")
    trainer.get_by_role("link", name="Improvement plan").click()
    trainer.get_by_role("combobox", name="Handling marking").select_option("TLP:RED")
    trainer.get_by_role("button", name="Set the marking").click()
    assert "now marked TLP:RED" in trainer.locator(".flash-success").inner_text()
    trainer.get_by_label("Capability", exact=True).fill("Respond")
    trainer.get_by_label("Issue or area for improvement").fill("Escalation came late.")
    trainer.get_by_label("Corrective action").fill("Write an escalation matrix.")
    trainer.get_by_label("Capability element").select_option("planning")
    trainer.get_by_label("Responsible organisation").fill("KE-CIRT/CC")
    trainer.get_by_label("Start date").fill("2027-03-01")
    trainer.get_by_label("Completion date").fill("2027-02-01")
    trainer.get_by_role("button", name="Add the item").click()
    assert "cannot be before the start date" in trainer.locator(".flashes").inner_text()
    check_page(trainer, status=422)
    trainer.get_by_label("Completion date").fill("2027-06-30")
    trainer.get_by_role("button", name="Add the item").click()
    assert "added to the improvement plan" in trainer.locator(".flash-success").inner_text()
    assert "Write an escalation matrix." in trainer.locator("#plan").inner_text()
    check_page(trainer, shots, "improvement-plan")
    trainer.get_by_role("link", name="Edit").click()
    trainer.get_by_label("Point of contact").fill("duty@cirt.example")
    trainer.get_by_role("button", name="Save", exact=True).click()
    assert "duty@cirt.example" in trainer.locator("#plan").inner_text()
    check_page(trainer)
