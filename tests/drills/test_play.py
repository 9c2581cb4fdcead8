"""Teams at play: answers saved as drafts, submitted, scored at once or by an evaluator,
hints, acknowledgements, the team log, broadcasts, and the trainer's hold and release. The
example scenario: I1 at minute 0 asks for an IP (auto, decay, one hint); I2 at minute 30
reaches only teams that did not get I1 right, with a free-text and a number question."""

import re
from datetime import timedelta

import pytest
import yaml
from sqlmodel import select

from core import db as core_db
from core.models import AuditEvent, utcnow
from drills import dispatcher
from drills.models import Drill, InjectAck, InjectRelease, ResponseDraft, Submission
from scenarios.authoring import service as scenarios
from tests.conftest import csrf_from
from tests.factories import as_member, post, running_drill
from tests.scenarios.examples import minimal


def flashes(client, response) -> str:
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_team_drafts_submits_and_is_scored_at_once(app, users, session):
    running_drill(app, users, minutes_ago=5)
    team = users["team"].id
    client = as_member(app, users)
    page = client.get(f"/drills/teams/{team}").get_data(as_text=True)
    assert "Which IP logged in?" in page and "Submit the answer" in page
    # the autosave keeps what is being typed
    token = csrf_from(client, f"/drills/teams/{team}")
    saved = client.post(
        f"/drills/teams/{team}/injects/I1/responses/R1/draft",
        data={"csrf_token": token, "answer": "203.0.113"},
        headers={"X-Autosave": "1"},
    )
    assert saved.status_code == 200 and "Draft saved" in saved.get_json()["message"]
    assert session.get(ResponseDraft, (team, "I1", "R1")).answer == {"v": ["203.0.113"]}
    assert 'value="203.0.113"' in client.get(f"/drills/teams/{team}").get_data(as_text=True)
    # submitting scores it, clears the draft and closes the question
    done = post(client, team, "injects/I1/responses/R1/submit", answer="203.0.113.7")
    assert "Right: 10 points." in flashes(client, done)
    session.expire_all()
    row = session.exec(select(Submission)).one()
    assert (row.correct, row.points, row.attempt, row.rule) == (True, 10, 1, "auto: exact (exact)")
    assert session.get(ResponseDraft, (team, "I1", "R1")) is None
    again = post(client, team, "injects/I1/responses/R1/submit", answer="203.0.113.7")
    assert "You have answered this right." in flashes(client, again)
    assert len(session.exec(select(Submission)).all()) == 1
    audit = session.exec(select(AuditEvent).where(AuditEvent.action == "drill.answer_submitted"))
    assert audit.one().actor_id == users["participant"].id


def test_a_wrong_answer_brings_the_consequence_and_a_right_one_prevents_it(app, users, session):
    drill_id = running_drill(app, users, minutes_ago=5)
    team_a, team_b = users["team"].id, users["other_team"].id
    post(as_member(app, users), team_a, "injects/I1/responses/R1/submit", answer="10.0.0.1")
    other = as_member(app, users, "other_participant")
    post(other, team_b, "injects/I1/responses/R1/submit", answer="203.0.113.7")
    with app.app_context():
        s = core_db.session()
        dispatcher.dispatch(s, utcnow() + timedelta(minutes=30))
    session.expire_all()
    released = {
        (r.team_id, r.inject_id)
        for r in session.exec(select(InjectRelease).where(InjectRelease.drill_id == drill_id))
    }
    assert (team_a, "I2") in released and (team_b, "I2") not in released
    # one attempt allowed, and it is spent
    client = as_member(app, users)
    page = client.get(f"/drills/teams/{team_a}").get_data(as_text=True)
    assert "You have used every submission this question allows." in page


def test_hints_cost_points_and_open_in_order(app, users, session):
    running_drill(app, users, minutes_ago=2)
    team = users["team"].id
    client = as_member(app, users)
    post(client, team, "injects/I1/responses/R1/hint")
    assert "Read the log." in client.get(f"/drills/teams/{team}").get_data(as_text=True)
    refused = post(client, team, "injects/I1/responses/R1/hint")
    assert "There are no more hints for this question." in flashes(client, refused)
    post(client, team, "injects/I1/responses/R1/submit", answer="203.0.113.7")
    session.expire_all()
    row = session.exec(select(Submission)).one()
    assert (row.points, row.hints_opened) == (8, 1) and "hints -2" in row.rule


def test_an_evaluator_scores_free_text_with_the_rubric_beside_it(app, users, session):
    drill_id = running_drill(app, users, minutes_ago=35)  # I2 has reached both teams
    team = users["team"].id
    client = as_member(app, users)
    done = post(client, team, "injects/I2/responses/R1/submit", answer="72 hours, <b>today</b>")
    assert "an evaluator will score it" in flashes(client, done)
    evaluator = as_member(app, users, "evaluator")
    queue = evaluator.get(f"/drills/{drill_id}/evaluate").get_data(as_text=True)
    assert "Gives the deadline" in queue and "72 hours, &lt;b&gt;today&lt;/b&gt;" in queue
    submission = session.exec(select(Submission)).one()
    token = csrf_from(evaluator, f"/drills/{drill_id}/evaluate")
    too_many = evaluator.post(
        f"/drills/submissions/{submission.id}/score",
        data={"csrf_token": token, "points": "9", "criteria": "0"},
    )
    assert "Give between 0 and 5 points." in flashes(evaluator, too_many)
    evaluator.post(
        f"/drills/submissions/{submission.id}/score",
        data={"csrf_token": token, "points": "4", "criteria": "0", "note": "Clear deadline."},
    )
    session.expire_all()
    row = session.get(Submission, submission.id)
    assert (row.points, row.correct, row.criteria_met) == (4, True, [0])
    assert row.scored_by_id == users["evaluator"].id and row.rule.startswith("evaluator")
    page = client.get(f"/drills/teams/{team}").get_data(as_text=True)
    assert "4 of 5 points" in page and "Clear deadline." in page
    # an evaluator of another drill sees nothing of this one
    outsider = as_member(app, users, "other_evaluator")
    assert outsider.get(f"/drills/{drill_id}/evaluate").status_code == 403
    token = csrf_from(outsider, "/")
    assert (
        outsider.post(
            f"/drills/submissions/{submission.id}/score", data={"csrf_token": token, "points": "5"}
        ).status_code
        == 403
    )


def test_only_the_teams_own_members_answer(app, users, session):
    running_drill(app, users, minutes_ago=5)
    team = users["team"].id
    # another team's member finds no such team; staff may never answer for a team
    for role, status in (("other_participant", 404), ("trainer", 403), ("evaluator", 403)):
        client = as_member(app, users, role)
        token = csrf_from(client, "/")
        answer = client.post(
            f"/drills/teams/{team}/injects/I1/responses/R1/submit",
            data={"csrf_token": token, "answer": "203.0.113.7"},
        )
        assert answer.status_code == status, role
    assert session.exec(select(Submission)).all() == []


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("", "Write an answer first."),
        ("x" * 4001, "An answer is at most 4000 characters."),
    ],
)
def test_bad_answers_are_refused_with_a_reason(app, users, session, answer, message):
    running_drill(app, users, minutes_ago=5)
    client = as_member(app, users)
    refused = post(client, users["team"].id, "injects/I1/responses/R1/submit", answer=answer)
    assert message in flashes(client, refused)
    assert session.exec(select(Submission)).all() == []


def test_nothing_is_answered_before_it_arrives_or_while_paused(app, users, session):
    drill_id = running_drill(app, users, minutes_ago=5)
    team = users["team"].id
    client = as_member(app, users)
    early = post(client, team, "injects/I2/responses/R2/submit", answer="72")
    assert "That inject has not reached your team." in flashes(client, early)
    with app.app_context():
        s = core_db.session()
        s.get(Drill, drill_id).state = "paused"
        s.commit()
    paused = post(client, team, "injects/I1/responses/R1/submit", answer="203.0.113.7")
    assert "The drill is paused" in flashes(client, paused)
    assert session.exec(select(Submission)).all() == []


def test_acknowledgements_and_the_team_log(app, users, session):
    running_drill(app, users, minutes_ago=5)
    team = users["team"].id
    client = as_member(app, users)
    post(client, team, "injects/I1/ack")
    post(client, team, "injects/I1/ack")  # twice: one record, the first time kept
    assert len(session.exec(select(InjectAck)).all()) == 1
    post(client, team, "log", text="Isolated the <jump host>.")
    page = client.get(f"/drills/teams/{team}").get_data(as_text=True)
    assert "Acknowledged at" in page and "Isolated the &lt;jump host&gt;." in page
    # the other team's members never see this log
    other = as_member(app, users, "other_participant")
    assert other.get(f"/drills/teams/{team}").status_code == 404


def test_the_trainer_broadcasts_holds_and_releases_by_hand(app, users, session):
    drill_id = running_drill(app, users, minutes_ago=5)
    team_a, team_b = users["team"].id, users["other_team"].id
    member = as_member(app, users)
    feed = member.get(f"/drills/teams/{team_a}/feed")
    etag = feed.headers["ETag"]
    trainer = as_member(app, users, "trainer")
    token = csrf_from(trainer, f"/drills/{drill_id}")
    trainer.post(f"/drills/{drill_id}/broadcast", data={"csrf_token": token, "text": "Lunch at 12"})
    assert (
        member.get(f"/drills/teams/{team_a}/feed", headers={"If-None-Match": etag}).status_code
        == 200
    )
    assert "Lunch at 12" in member.get(f"/drills/teams/{team_a}").get_data(as_text=True)
    # hold I2 for everyone now (minute 5), then release it by hand to team B only
    trainer.post(f"/drills/{drill_id}/injects/I2/hold", data={"csrf_token": token, "team_id": ""})
    trainer.post(
        f"/drills/{drill_id}/injects/I2/release", data={"csrf_token": token, "team_id": team_b}
    )
    with app.app_context():
        dispatcher.dispatch(core_db.session(), utcnow() + timedelta(minutes=40))
    session.expire_all()
    released = {
        (r.team_id, r.inject_id)
        for r in session.exec(select(InjectRelease).where(InjectRelease.drill_id == drill_id))
    }
    assert (team_b, "I2") in released and (team_a, "I2") not in released
    page = as_member(app, users, "other_participant").get(f"/drills/teams/{team_b}")
    assert "Regulator calls" in page.get_data(as_text=True)
    actions = {e.action for e in session.exec(select(AuditEvent))}
    assert {"drill.broadcast", "drill.inject_hold", "drill.inject_release"} <= actions
    unknown = trainer.post(f"/drills/{drill_id}/injects/NOPE/hold", data={"csrf_token": token})
    assert "The scenario has no such inject." in flashes(trainer, unknown)


def test_observations_are_tagged_to_objectives(app, users, session):
    drill_id = running_drill(app, users, minutes_ago=5)
    evaluator = as_member(app, users, "evaluator")
    page = evaluator.get(f"/drills/{drill_id}/evaluate").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    evaluator.post(
        f"/drills/{drill_id}/evaluate",
        data={
            "csrf_token": token,
            "team_id": str(users["team"].id),
            "objective_id": "O1",
            "kind": "strength",
            "text": "Found the IP within minutes.",
        },
    )
    page = evaluator.get(f"/drills/{drill_id}/evaluate").get_data(as_text=True)
    assert "Found the IP within minutes." in page and "Strength" in page


def test_a_double_click_or_a_second_tab_counts_once(app, users, session):
    doc = minimal()
    doc["injects"][0]["responses"][0]["attempts"] = 3
    with app.app_context():
        s = core_db.session()
        version = scenarios.import_text(s, yaml.safe_dump(doc), publish=True)
        drill = s.get(Drill, users["drill"].id)
        drill.scenario_version_id, drill.state = version.id, "running"
        drill.starts_at = utcnow() - timedelta(minutes=5)
        s.commit()
    team = users["team"].id
    client = as_member(app, users)
    path = "injects/I1/responses/R1/submit"
    first = post(client, team, path, answer="10.0.0.1", attempt="1")
    assert "not right" in flashes(client, first)
    second = post(client, team, path, answer="10.0.0.2", attempt="1")  # the same page again
    assert "This answer was submitted already" in flashes(client, second)
    assert len(session.exec(select(Submission)).all()) == 1
    # the page now offers attempt 2, which counts
    post(client, team, path, answer="203.0.113.7", attempt="2")
    session.expire_all()
    assert [s.attempt for s in session.exec(select(Submission))] == [1, 2]


def test_nothing_is_answered_after_the_drill_ended(app, users, session):
    drill_id = running_drill(app, users, minutes_ago=5)
    with app.app_context():
        s = core_db.session()
        s.get(Drill, drill_id).state = "ended"
        s.commit()
    client = as_member(app, users)
    refused = post(client, users["team"].id, "injects/I1/responses/R1/submit", answer="x")
    assert "it takes no answers now" in flashes(client, refused)
    assert session.exec(select(Submission)).all() == []


def test_without_a_scheduler_a_team_plays_from_the_start_time_until_the_end(app, users, session):
    drill_id = running_drill(app, users, minutes_ago=5)
    with app.app_context():  # the scheduler never ran: the stored state is still scheduled
        s = core_db.session()
        s.get(Drill, drill_id).state = "scheduled"
        s.commit()
    client = as_member(app, users)
    team = users["team"].id
    assert "Which IP logged in?" in client.get(f"/drills/teams/{team}").get_data(as_text=True)
    done = post(client, team, "injects/I1/responses/R1/submit", answer="203.0.113.7")
    assert "Right: 10 points." in flashes(client, done)
    with app.app_context():  # past its 120 minutes, still without a scheduler
        s = core_db.session()
        s.get(Drill, drill_id).starts_at = utcnow() - timedelta(minutes=130)
        s.commit()
    late = post(client, team, "injects/I1/responses/R1/submit", answer="x")
    assert "it takes no answers now" in flashes(client, late)


def count_of_1022():
    """The minimal scenario whose number question R2 (minute 30) expects 1022 ± 5."""
    document = minimal()
    response = document["injects"][1]["responses"][1]
    response.update(answer=1022, tolerance=5, attempts=1)
    return document


def in_language(client, team: int, lang: str) -> None:
    token = csrf_from(client, f"/drills/teams/{team}")
    client.post("/language", data={"csrf_token": token, "lang": lang, "next": "/"})


@pytest.mark.parametrize(
    ("lang", "typed", "read_as"),
    [
        ("en", "1,022", "1,022"),  # the team that lost its only attempt typed this
        ("en", "1022.0", "1,022"),
        ("fr", "1 022", "1\u202f022"),
        ("fr", "1.022,5", "1\u202f022,5"),
        ("es", "1.022", "1022"),
        ("ar", "١٠٢٢", "1,022"),
    ],
)
def test_a_number_is_read_as_the_team_writes_it(app, users, session, lang, typed, read_as):
    running_drill(app, users, minutes_ago=35, document=count_of_1022())
    team = users["team"].id
    client = as_member(app, users)
    in_language(client, team, lang)
    done = post(client, team, "injects/I2/responses/R2/submit", answer=typed)
    page = flashes(client, done)
    [stored] = session.exec(select(Submission)).all()
    assert stored.correct is True and abs(stored.answer["v"] - 1022) <= 0.5
    assert read_as in page  # "Read as 1,022." beside the answer, in the team's language


def test_an_ambiguous_number_is_refused_before_it_counts(app, users, session):
    running_drill(app, users, minutes_ago=35, document=count_of_1022())
    team = users["team"].id
    client = as_member(app, users)
    in_language(client, team, "fr")  # in French "1.022" may be 1022 or 1,022 (= 1.022)
    refused = post(client, team, "injects/I2/responses/R2/submit", answer="1.022")
    page = flashes(client, refused)
    assert "1\u202f022" in page and "1,022" in page
    assert session.exec(select(Submission)).all() == []  # the only attempt is still there
    done = post(client, team, "injects/I2/responses/R2/submit", answer="1022")
    flashes(client, done)
    [stored] = session.exec(select(Submission)).all()
    assert stored.correct is True
