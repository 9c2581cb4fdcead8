"""After the drill: the hot wash (once per person, anonymous answers keep nobody), rating
overrides with reasons, the improvement plan with stale-edit refusals and drafts from
observations, and the reports' marking."""

import re
from datetime import date, timedelta

import yaml
from sqlmodel import select

from core import db as core_db
from core.models import AuditEvent, utcnow
from drills.aftermath import hotwash, marking, ratings
from drills.aftermath import plan as plan_service
from drills.aftermath import rules as aftermath_rules
from drills.aftermath import service as aftermath_service
from drills.models import (
    Drill,
    HotwashAnswer,
    ImprovementItem,
    Observation,
    RatingOverride,
    Submission,
)
from scenarios.authoring import service as scenarios
from tests.conftest import csrf_from, login
from tests.scenarios.examples import minimal

SECRET = "test-secret-key-that-is-long-enough-to-pass"  # the app fixture's SECRET_KEY


def drill_in_state(app, users, state="ended") -> int:
    with app.app_context():
        s = core_db.session()
        version = scenarios.import_text(s, yaml.safe_dump(minimal()), publish=True)
        row = s.get(Drill, users["drill"].id)
        row.scenario_version_id = version.id
        row.starts_at = utcnow() - timedelta(minutes=150)
        row.state = state
        if state == "ended":
            row.ended_at = utcnow() - timedelta(minutes=5)
        s.add(row)
        s.commit()
        return row.id


def signed_in(app, user):
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    return client


def post(client, path, data, token_from):
    return client.post(path, data={"csrf_token": csrf_from(client, token_from), **data})


def followed(client, response) -> str:
    assert response.status_code in (302, 303), response.get_data(as_text=True)
    return client.get(response.headers["Location"]).get_data(as_text=True)


def audit_events(session, action) -> list[AuditEvent]:
    session.expire_all()
    return list(session.exec(select(AuditEvent).where(AuditEvent.action == action)))


# --- the hot wash ------------------------------------------------------------------------


def answer(client, team_id, **data):
    form = {"went_well": "Clear injects", "went_badly": "Too short", "rating": "4", **data}
    return post(client, f"/drills/teams/{team_id}/hotwash", form, f"/drills/teams/{team_id}")


def test_the_respondent_hash_is_per_person_and_drill_and_needs_the_key():
    one = hotwash.respondent(SECRET, 1, 7)
    assert one == hotwash.respondent(SECRET.encode(), 1, 7) and len(one) == 64
    assert len({one, hotwash.respondent(SECRET, 2, 7), hotwash.respondent(SECRET, 1, 8),
                hotwash.respondent("another key", 1, 7)}) == 4  # fmt: skip


def test_the_hot_wash_opens_only_when_the_drill_has_ended(app, users, session):
    drill_in_state(app, users, state="running")
    team = users["team"].id
    client = signed_in(app, users["participant"])
    assert "Hot wash" not in client.get(f"/drills/teams/{team}").get_data(as_text=True)
    page = followed(client, answer(client, team))
    assert "The hot wash opens when the drill has ended." in page
    assert session.exec(select(HotwashAnswer)).all() == []


def test_a_participant_answers_once_by_name_and_it_is_audited(app, users, session):
    drill_in_state(app, users)
    team = users["team"].id
    client = signed_in(app, users["participant"])
    page = client.get(f"/drills/teams/{team}").get_data(as_text=True)
    assert "Hot wash: how was the drill?" in page and "Answer anonymously" in page
    assert "Thank you: your answer is recorded." in followed(client, answer(client, team))
    row = session.exec(select(HotwashAnswer)).one()
    assert (row.user_id, row.team_id, row.rating, row.went_well) == (
        users["participant"].id,
        team,
        4,
        "Clear injects",
    )
    assert row.respondent == hotwash.respondent(SECRET, users["drill"].id, row.user_id)
    [event] = audit_events(session, "drill.hotwash_answered")
    assert (event.actor_id, event.details["answer"]) == (users["participant"].id, row.id)
    assert "Clear injects" not in str(event.details)  # the fact, not the content
    again = followed(client, answer(client, team, anonymous="y"))
    assert "You have answered this drill&#39;s hot wash already" in again
    assert len(session.exec(select(HotwashAnswer)).all()) == 1
    assert "Thank you: you have answered." in client.get(f"/drills/teams/{team}").get_data(
        as_text=True
    )


def test_an_anonymous_answer_keeps_nobody_and_still_counts_once(app, users, session):
    drill_in_state(app, users)
    team = users["team"].id
    client = signed_in(app, users["participant"])
    followed(client, answer(client, team, anonymous="y", went_well="Anonymous praise"))
    row = session.exec(select(HotwashAnswer)).one()
    assert row.user_id is None and row.team_id is None
    assert (row.created_at.hour, row.created_at.minute) == (0, 0)  # kept to the day only
    assert audit_events(session, "drill.hotwash_answered") == []
    # neither anonymous nor named: the respondent hash refuses a second answer
    assert "already" in followed(client, answer(client, team))
    assert "already" in followed(client, answer(client, team, anonymous="y"))
    assert len(session.exec(select(HotwashAnswer)).all()) == 1
    # the summary shows the answer without a name or a team
    other = signed_in(app, users["other_participant"])
    followed(other, answer(other, users["other_team"].id, rating="2"))
    trainer = signed_in(app, users["trainer"])
    summary = trainer.get(f"/drills/{users['drill'].id}/hotwash").get_data(as_text=True)
    assert "Anonymous praise" in summary and "Anonymous" in summary
    assert "Participant2" in summary and "Team B" in summary  # the named one
    assert users["participant"].name not in summary.replace("Participant2", "")
    assert "Team A" not in summary
    assert "3.00" in summary  # (4 + 2) / 2


def test_only_the_drills_participants_answer_and_only_staff_read_the_summary(app, users, session):
    drill_in_state(app, users)
    team = users["team"].id
    outsider = signed_in(app, users["other_participant"])  # plays in Team B, not Team A
    token = csrf_from(outsider, f"/drills/teams/{users['other_team'].id}")
    refused = outsider.post(
        f"/drills/teams/{team}/hotwash", data={"csrf_token": token, "rating": "5"}
    )
    assert refused.status_code == 403
    evaluator = signed_in(app, users["evaluator"])
    token = csrf_from(evaluator, f"/drills/teams/{team}")
    assert "Hot wash: how" not in evaluator.get(f"/drills/teams/{team}").get_data(as_text=True)
    assert (
        evaluator.post(
            f"/drills/teams/{team}/hotwash", data={"csrf_token": token, "rating": "5"}
        ).status_code
        == 403
    )
    assert session.exec(select(HotwashAnswer)).all() == []
    assert evaluator.get(f"/drills/{users['drill'].id}/hotwash").status_code == 403
    participant = signed_in(app, users["participant"])
    assert participant.get(f"/drills/{users['drill'].id}/hotwash").status_code == 403
    assert (
        signed_in(app, users["admin"]).get(f"/drills/{users['drill'].id}/hotwash").status_code
        == 200
    )


def test_a_rating_outside_one_to_five_is_refused(app, users, session):
    drill_in_state(app, users)
    team = users["team"].id
    client = signed_in(app, users["participant"])
    page = followed(client, answer(client, team, rating="9"))
    assert "Not a valid choice" in page or "Rate the drill from 1" in page
    page = followed(client, answer(client, team, rating=""))
    assert "Rate the drill from 1 (poor) to 5 (excellent)." in page
    assert session.exec(select(HotwashAnswer)).all() == []


# --- rating overrides --------------------------------------------------------------------


def rate(client, drill_id, **data):
    path = f"/drills/{drill_id}/ratings"
    return post(client, path, data, path)


def test_an_evaluator_overrides_a_rating_with_a_reason_and_the_newest_counts(app, users, session):
    drill_id = drill_in_state(app, users)
    team = users["team"].id
    with app.app_context():  # Team A scored 10 points on O1
        s = core_db.session()
        s.add(
            Submission(
                drill_id=drill_id, team_id=team, inject_id="I1", response_id="R1",
                answer={"v": "203.0.113.7"}, drill_minute=3, release_minute=0,
                max_points=10, correct=True, points=10, scored_at=utcnow(),
            )
        )  # fmt: skip
        s.commit()
    evaluator = signed_in(app, users["evaluator"])
    assert "Ratings per objective" in evaluator.get(f"/drills/{drill_id}/evaluate").get_data(
        as_text=True
    )
    page = evaluator.get(f"/drills/{drill_id}/ratings").get_data(as_text=True)
    assert "Detect the intrusion." in page and "Team A" in page
    first = rate(evaluator, drill_id, team_id=team, objective_id="O1", rating="S", reason="Slow")
    assert "The rating is recorded." in followed(evaluator, first)
    second = rate(evaluator, drill_id, team_id=team, objective_id="O1", rating="P", reason="Fast")
    page = followed(evaluator, second)
    assert page.index("Fast") < page.index("Slow")  # the history, newest first
    assert ">10<" in page  # Team A's points on O1 as context
    with app.app_context():
        s = core_db.session()
        history = ratings.rating_history(s, s.get(Drill, drill_id))
        current = {key: rows[0] for key, rows in history.items()}  # the newest counts
        assert current[(team, "O1")].rating == "P"
        assert current[(team, "O1")].reason == "Fast"
        assert set(current) == {(team, "O1")}
    events = audit_events(session, "drill.rating_overridden")
    assert [e.details["rating"] for e in events] == ["S", "P"]
    assert events[0].actor_id == users["evaluator"].id


def test_an_override_needs_a_reason_a_known_rating_team_and_objective(app, users, session):
    drill_id = drill_in_state(app, users)
    team = users["team"].id
    trainer = signed_in(app, users["trainer"])
    no_reason = rate(trainer, drill_id, team_id=team, objective_id="O1", rating="P", reason=" ")
    assert no_reason.status_code == 422
    assert "Give the reason for this rating." in no_reason.get_data(as_text=True)
    bad = rate(trainer, drill_id, team_id=team, objective_id="O1", rating="X", reason="Why")
    assert bad.status_code == 422
    other_drill_team = rate(
        trainer, drill_id, team_id=99999, objective_id="O9", rating="P", reason="Why"
    )
    assert other_drill_team.status_code == 422
    assert session.exec(select(RatingOverride)).all() == []
    with app.app_context():
        s = core_db.session()
        drill = s.get(Drill, drill_id)
        try:
            ratings.override_rating(s, drill, team, "O1", "X", "", users["trainer"], utcnow())
        except aftermath_service.AftermathError as error:
            problems = error.problems
        assert "A rating is P, S, M or U." in problems
        assert "Give the reason for this rating." in problems


def test_only_the_drills_evaluators_and_staff_set_ratings(app, users, session):
    drill_id = drill_in_state(app, users)
    team = users["team"].id
    for role in ("other_evaluator", "participant", "analyst"):
        client = signed_in(app, users[role])
        assert client.get(f"/drills/{drill_id}/ratings").status_code == 403, role
        token = csrf_from(client, "/drills/")
        refused = client.post(
            f"/drills/{drill_id}/ratings",
            data={"csrf_token": token, "team_id": team, "objective_id": "O1",
                  "rating": "U", "reason": "No"},
        )  # fmt: skip
        assert refused.status_code == 403, role
    assert session.exec(select(RatingOverride)).all() == []
    admin = signed_in(app, users["admin"])
    done = rate(admin, drill_id, team_id=team, objective_id="O2", rating="U", reason="Absent")
    assert done.status_code == 302


# --- the improvement plan ----------------------------------------------------------------

ITEM = {
    "capability": "Detect",
    "issue": "Alerts went unread for an hour.",
    "corrective_action": "Staff the SOC console at all times.",
    "capability_element": "organisation",
    "responsible_org": "National CIRT",
    "contact": "soc@cirt.example",
    "start_date": "2027-01-10",
    "completion_date": "2027-03-31",
    "objective_id": "O1",
    "team_id": "0",
}


def test_the_trainer_adds_edits_and_deletes_improvement_items(app, users, session):
    drill_id = drill_in_state(app, users)
    plan = f"/drills/{drill_id}/improvement-plan"
    trainer = signed_in(app, users["trainer"])
    page = followed(trainer, post(trainer, plan, ITEM, plan))
    assert "The item is added to the improvement plan." in page
    assert "Staff the SOC console at all times." in page
    item = session.exec(select(ImprovementItem)).one()
    assert (item.team_id, item.objective_id, item.version) == (None, "O1", 1)
    assert (item.start_date, item.completion_date) == (date(2027, 1, 10), date(2027, 3, 31))
    edit = f"/drills/improvement-items/{item.id}"
    assert 'value="National CIRT"' in trainer.get(edit).get_data(as_text=True)
    changed = {**ITEM, "responsible_org": "Ministry of ICT", "team_id": str(users["team"].id),
               "version": "1"}  # fmt: skip
    assert "Saved." in followed(trainer, post(trainer, edit, changed, edit))
    session.expire_all()
    item = session.get(ImprovementItem, item.id)
    assert (item.responsible_org, item.team_id, item.version) == (
        "Ministry of ICT",
        users["team"].id,
        2,
    )
    # the report helper's reads: a team sees its own rows and the drill's, never another's
    with app.app_context():
        s = core_db.session()
        drill = s.get(Drill, drill_id)
        assert [i.id for i in plan_service.improvement_plan(s, drill, users["team"].id)] == [
            item.id
        ]
        assert plan_service.improvement_plan(s, drill, users["other_team"].id) == []
    delete = f"/drills/improvement-items/{item.id}/delete"
    stale_delete = post(trainer, delete, {"version": "1"}, edit)
    assert "it is not deleted" in followed(trainer, stale_delete)
    assert session.get(ImprovementItem, item.id) is not None
    assert "The item is deleted." in followed(
        trainer, post(trainer, delete, {"version": "2"}, edit)
    )
    session.expire_all()
    assert session.exec(select(ImprovementItem)).all() == []
    actions = [e.action for e in session.exec(select(AuditEvent).order_by(AuditEvent.id))]
    for action in ("drill.improvement_added", "drill.improvement_changed",
                   "drill.improvement_deleted"):  # fmt: skip
        assert action in actions


def test_an_item_needs_its_fields_and_dates_in_order(app, users, session):
    drill_id = drill_in_state(app, users)
    plan = f"/drills/{drill_id}/improvement-plan"
    trainer = signed_in(app, users["trainer"])
    backwards = post(trainer, plan, {**ITEM, "completion_date": "2027-01-01"}, plan)
    assert backwards.status_code == 422
    assert "The completion date cannot be before the start date." in backwards.get_data(
        as_text=True
    )
    no_element = post(trainer, plan, {**ITEM, "capability_element": ""}, plan)
    assert no_element.status_code == 422
    assert "Choose the capability element" in no_element.get_data(as_text=True)
    missing = post(trainer, plan, {**ITEM, "corrective_action": ""}, plan)
    assert missing.status_code == 422
    other_team = post(trainer, plan, {**ITEM, "team_id": "99999"}, plan)
    assert other_team.status_code == 422
    assert session.exec(select(ImprovementItem)).all() == []
    same_day = post(trainer, plan, {**ITEM, "completion_date": ITEM["start_date"]}, plan)
    assert same_day.status_code == 302


def test_a_stale_edit_is_refused_with_both_versions(app, users, session):
    drill_id = drill_in_state(app, users)
    plan = f"/drills/{drill_id}/improvement-plan"
    trainer = signed_in(app, users["trainer"])
    admin = signed_in(app, users["admin"])
    post(trainer, plan, ITEM, plan)
    item = session.exec(select(ImprovementItem)).one()
    edit = f"/drills/improvement-items/{item.id}"
    # both open version 1; the admin saves first
    admins = post(admin, edit, {**ITEM, "corrective_action": "Hire two analysts.",
                                "version": "1"}, edit)  # fmt: skip
    assert admins.status_code == 302
    late = post(trainer, edit, {**ITEM, "corrective_action": "Buy a SIEM.", "version": "1"}, edit)
    page = late.get_data(as_text=True)
    assert late.status_code == 409
    assert "Someone else saved this item while you were editing it" in page
    assert "Hire two analysts." in page and "Buy a SIEM." in page  # both versions
    assert "Admin" in page  # who saved meanwhile
    session.expire_all()
    assert session.get(ImprovementItem, item.id).corrective_action == "Hire two analysts."
    # the refusal page's form carries the new version: sending it again keeps the trainer's
    keep = post(trainer, edit, {**ITEM, "corrective_action": "Buy a SIEM.", "version": "2"}, edit)
    assert keep.status_code == 302
    session.expire_all()
    saved = session.get(ImprovementItem, item.id)
    assert (saved.corrective_action, saved.version) == ("Buy a SIEM.", 3)


def test_the_update_itself_refuses_a_version_saved_in_between(app, users, session):
    """The conditional UPDATE catches a save that lands between the check and the write."""
    drill_id = drill_in_state(app, users)
    with app.app_context():
        s = core_db.session()
        drill = s.get(Drill, drill_id)
        values = aftermath_rules.PlanItem(**{
            **{k: v for k, v in ITEM.items() if k not in ("team_id", "start_date",
                                                          "completion_date")},
        })  # fmt: skip
        item = plan_service.add_item(s, drill, values, users["trainer"], utcnow())
        s.commit()
        item_id = item.id
    with app.app_context():
        first, second = core_db.session(), app.extensions[core_db.EXTENSION_KEY]["sessionmaker"]()
        mine = first.get(ImprovementItem, item_id)
        theirs = second.get(ImprovementItem, item_id)
        plan_service.update_item(
            second, theirs, aftermath_rules.PlanItem(**{**vars(values), "issue": "Theirs"}), 1,
            users["admin"], utcnow(),
        )  # fmt: skip
        second.commit()
        second.close()
        try:
            plan_service.update_item(
                first, mine, aftermath_rules.PlanItem(**{**vars(values), "issue": "Mine"}), 1,
                users["trainer"], utcnow(),
            )  # fmt: skip
        except plan_service.StaleItem as stale:
            assert stale.current.issue == "Theirs" and stale.yours.issue == "Mine"
        else:
            raise AssertionError("a stale save went through")


def test_drafts_are_added_from_the_improvement_observations(app, users, session):
    drill_id = drill_in_state(app, users)
    team = users["team"].id
    with app.app_context():
        s = core_db.session()
        for kind, objective, text, team_id in (
            ("improvement", "O2", "The regulator was told late.", team),
            ("strength", "O1", "Fast triage.", team),
            ("improvement", "O1", "No log retention policy.", None),
        ):
            s.add(
                Observation(
                    drill_id=drill_id,
                    team_id=team_id,
                    objective_id=objective,
                    kind=kind,
                    text=text,
                    evaluator_id=users["evaluator"].id,
                )
            )
        s.commit()
    plan = f"/drills/{drill_id}/improvement-plan"
    trainer = signed_in(app, users["trainer"])
    path = f"{plan}/from-observations"
    page = followed(trainer, post(trainer, path, {}, plan))
    assert "Draft items added: 2. Complete each one." in page
    assert "draft: to complete" in page
    items = session.exec(select(ImprovementItem).order_by(ImprovementItem.id)).all()
    assert [(i.capability, i.issue, i.team_id, i.objective_id) for i in items] == [
        ("Respond", "The regulator was told late.", team, "O2"),
        ("Detect", "No log retention policy.", None, "O1"),
    ]
    assert all(plan_service.is_draft(i) for i in items)
    again = followed(trainer, post(trainer, path, {}, plan))
    assert "Every area for improvement observed is in the plan already." in again
    assert len(session.exec(select(ImprovementItem)).all()) == 2
    assert len(audit_events(session, "drill.improvement_drafted")) == 1
    # completing a draft through the edit form makes it a full item
    edit = f"/drills/improvement-items/{items[0].id}"
    done = {**ITEM, "issue": items[0].issue, "team_id": str(team), "version": "1"}
    assert "Saved." in followed(trainer, post(trainer, edit, done, edit))
    session.expire_all()
    assert not plan_service.is_draft(session.get(ImprovementItem, items[0].id))


def test_the_improvement_plan_is_for_trainers_and_admins_only(app, users, session):
    drill_id = drill_in_state(app, users)
    plan = f"/drills/{drill_id}/improvement-plan"
    for role, status in (("evaluator", 403), ("participant", 403), ("analyst", 403),
                         ("admin", 200), ("trainer", 200)):  # fmt: skip
        assert signed_in(app, users[role]).get(plan).status_code == status, role
    evaluator = signed_in(app, users["evaluator"])
    token = csrf_from(evaluator, "/drills/")
    assert evaluator.post(plan, data={"csrf_token": token, **ITEM}).status_code == 403
    assert session.exec(select(ImprovementItem)).all() == []


# --- the report marking ------------------------------------------------------------------


def test_the_trainer_chooses_the_report_marking(app, users, session):
    drill_id = drill_in_state(app, users)
    plan = f"/drills/{drill_id}/improvement-plan"
    path = f"/drills/{drill_id}/report-marking"
    trainer = signed_in(app, users["trainer"])
    page = trainer.get(plan).get_data(as_text=True)
    offered = re.findall(r'<option (selected )?value="(TLP:[^"]+)"', page)
    assert [m for _selected, m in offered] == list(marking.MARKINGS)
    assert [m for selected, m in offered if selected] == ["TLP:AMBER"]  # the default
    assert "The reports are now marked TLP:AMBER+STRICT." in followed(
        trainer, post(trainer, path, {"marking": "TLP:AMBER+STRICT"}, plan)
    )
    session.expire_all()
    assert session.get(Drill, drill_id).report_marking == "TLP:AMBER+STRICT"
    refused = post(trainer, path, {"marking": "SECRET"}, plan)
    assert refused.status_code == 422
    session.expire_all()
    assert session.get(Drill, drill_id).report_marking == "TLP:AMBER+STRICT"
    [event] = audit_events(session, "drill.report_marking_changed")
    assert (event.details["old"], event.details["new"]) == ("TLP:AMBER", "TLP:AMBER+STRICT")
    assert "Nothing changed." in followed(
        trainer, post(trainer, path, {"marking": "TLP:AMBER+STRICT"}, plan)
    )
    assert len(audit_events(session, "drill.report_marking_changed")) == 1
