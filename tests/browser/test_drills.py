"""A participant's console receives a new inject without reloading the page."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import create_engine, text
from sqlmodel import select

from core.models import utcnow
from tests.browser.pages import check_page, sign_in


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
    # the team is typing an answer when the next inject arrives
    draft = page.locator("#inject-I01 section.response").first.get_by_role("textbox")
    draft.fill("MIRE")
    notice = page.locator("[data-new-injects]")
    notice.wait_for(state="visible", timeout=15_000)
    page.locator("#inject-I02").wait_for()  # it appears without a reload, on top
    ids = page.locator("#injects li.inject").evaluate_all("items => items.map(i => i.id)")
    assert ids == ["inject-I02", "inject-I01"]
    assert draft.input_value() == "MIRE"  # what the team was typing is untouched
    # the inserted inject's answer form saves its draft like the others
    inserted = page.locator("#inject-I02 section.response").first
    inserted.get_by_role("textbox").fill("CVE-2026-24417")
    inserted.locator("[data-autosave-status]").filter(has_text="Draft saved").wait_for()
    notice.get_by_role("link", name="Show it").click()
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


def wait_for_inject(page, inject_id: str, seconds: float) -> None:
    """Follow the console's notices (the resume also raises one) until the inject is shown."""
    import time

    deadline = time.monotonic() + seconds
    while page.locator(f"#inject-{inject_id}").count() == 0:
        left = deadline - time.monotonic()
        assert left > 0, f"{inject_id} did not arrive"
        page.locator("[data-new-injects]").wait_for(state="visible", timeout=left * 1000)
        page.locator("[data-new-injects] a").click()
        page.wait_for_load_state()


def test_a_whole_drill_two_teams_an_evaluator_and_the_trainer(new_page, live_database_url):
    """Starts in a few seconds at 60x (a drill minute a second): both teams see injects
    arrive without reloading and answer; one is scored at once, the other by an evaluator;
    the trainer pauses and resumes; the drill ends on time."""
    import time

    import yaml

    from core import create_app
    from core import db as core_db
    from drills.models import Drill, DrillPause
    from scenarios.authoring import service as scenarios
    from tests.scenarios.examples import minimal

    doc = minimal()
    doc["id"], doc["duration_minutes"] = "browser-drill", 40
    doc["injects"][1].pop("condition")  # I2 reaches both teams at minute 30
    app = create_app({"DATABASE_URL": live_database_url, "TESTING": True})
    with app.app_context():
        session = core_db.session()
        version = scenarios.import_text(session, yaml.safe_dump(doc), publish=True)
        drill = session.exec(select(Drill)).first()
        drill.scenario_version_id, drill.state, drill.compression = version.id, "scheduled", 60
        drill.starts_at, drill.ended_at, drill.extra_minutes = (
            utcnow() + timedelta(seconds=6),
            None,
            0,
        )
        session.commit()
        drill_id = drill.id
        teams = {t.name: t.id for t in drill.teams}
    kenya, egypt, trainer, evaluator = new_page(), new_page(), new_page(), new_page()
    for page, who, team in (
        (kenya, "participant", "KE-CIRT/CC"),
        (egypt, "participant.eg", "EG-CERT"),
    ):
        sign_in(page, who)
        page.goto(f"/drills/teams/{teams[team]}")
        assert "The drill has not started" in page.content()
    for page in (kenya, egypt):  # the start is announced without a reload
        page.locator("[data-new-injects]").wait_for(state="visible", timeout=20_000)
        page.locator("[data-new-injects] a").click()
        page.locator("#inject-I1").wait_for()
    answer = kenya.locator("#inject-I1 section.response").first
    answer.get_by_role("textbox").fill("203.0.113.7")
    answer.get_by_role("button", name="Submit the answer").click()
    assert "Right: 10 points." in kenya.locator(".flash-success").inner_text()
    check_page(kenya)

    sign_in(trainer, "trainer")
    trainer.goto(f"/drills/{drill_id}")
    trainer.get_by_role("button", name="Pause").click()
    assert "paused" in trainer.locator(".flash-success").inner_text()
    egypt.reload()
    assert "The drill is paused" in egypt.content()
    trainer.get_by_role("button", name="Resume").click()
    assert "running" in trainer.locator(".flash-success").inner_text()

    # I2 (minute 30) arrives for Egypt, which answers the evaluator's question
    wait_for_inject(egypt, "I2", seconds=40)
    free_text = egypt.locator("#inject-I2 section.response").first
    free_text.get_by_role("textbox").fill("We notify within 72 hours.")
    free_text.get_by_role("button", name="Submit the answer").click()
    assert "an evaluator will score it" in egypt.locator(".flash-success").inner_text()

    sign_in(evaluator, "evaluator")
    evaluator.goto(f"/drills/{drill_id}/evaluate")
    card = evaluator.locator("article.card").first
    card.get_by_role("checkbox").check()
    card.get_by_label("Points (0 to 5)").fill("5")
    card.get_by_role("button", name="Score").click()
    assert "Scored." in evaluator.locator(".flash-success").inner_text()
    check_page(evaluator)

    # the drill ends on its own at minute 40 (plus the pause)
    deadline = time.monotonic() + 60
    while trainer.locator(".facts strong").first.inner_text() != "ended":
        assert time.monotonic() < deadline, "the drill did not end on time"
        time.sleep(1)
        trainer.reload()
    with app.app_context():  # on time: 40 drill minutes are 40 s at 60x, plus the pause
        session = core_db.session()
        drill = session.get(Drill, drill_id)
        [pause] = session.exec(
            select(DrillPause).where(
                DrillPause.drill_id == drill_id, DrillPause.started_at >= drill.starts_at
            )
        ).all()  # this run's pause: other tests paused the demo drill before
        paused = (pause.ended_at - pause.started_at).total_seconds()
        ran = (drill.ended_at - drill.starts_at).total_seconds()
        assert abs(ran - paused - 40) < 0.5, (ran, paused)
    egypt.reload()
    assert "5 of 5 points" in egypt.content()
    trainer.goto(f"/drills/{drill_id}/scoreboard")
    check_page(trainer)
