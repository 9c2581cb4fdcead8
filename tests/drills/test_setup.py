"""Setting up a drill: settings with time zones, teams (one by one and from CSV), people,
observers who watch but do not control, and refusals once the drill has started."""

from datetime import UTC, datetime, timedelta

import pytest
import yaml
from sqlmodel import select

from core import accounts, policy
from core import db as core_db
from core.models import AuditEvent, Country, Role, utcnow
from drills.models import Comcheck, Drill, DrillObserver, Team, TeamMember
from drills.setup import comcheck, people, teams
from drills.setup import service as setup_service
from scenarios.authoring import service as scenarios
from tests.conftest import PASSWORD, csrf_from, login
from tests.scenarios.examples import minimal


def publish(app, audience_tags=None) -> int:
    document = minimal()
    if audience_tags:
        document["injects"][0]["audience"] = {"tags": audience_tags}
    with app.app_context():
        s = core_db.session()
        version = scenarios.import_text(s, yaml.safe_dump(document), publish=True)
        s.commit()
        return version.id


def drill_form(version_id, **changes):
    form = {
        "name": "Regional drill",
        "scenario_version": str(version_id),
        "starts_at": "2026-12-01T09:00",
        "time_zone": "Africa/Nairobi",
        "compression": "2",
        "registration_opens": "2026-11-24T08:00",
        "registration_closes": "2026-11-30T18:00",
        "scoreboard_visible": "y",
        "scoreboard_freeze_minutes": "15",
        "email_injects": "y",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def post(client, path, data, token_from=None):
    token = csrf_from(client, token_from or path)
    return client.post(path, data={"csrf_token": token, **data})


def audit_actions(session) -> list[str]:
    session.expire_all()
    return [e.action for e in session.exec(select(AuditEvent).order_by(AuditEvent.id))]


def test_a_drill_is_created_with_its_start_converted_from_its_time_zone(
    app, client, users, session
):
    version_id = publish(app)
    login(client, users["trainer"].email)
    with app.app_context():
        accounts.set_time_zone(
            core_db.session(), core_db.session().merge(users["trainer"]), "Europe/Paris"
        )
        core_db.session().commit()
    response = post(client, "/drills/new", drill_form(version_id))
    assert response.status_code == 302, response.get_data(as_text=True)
    drill = session.exec(select(Drill).where(Drill.name == "Regional drill")).one()
    # 09:00 in Nairobi (UTC+3) is 06:00 UTC
    assert drill.starts_at.replace(tzinfo=UTC) == datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
    assert drill.registration_closes_at.replace(tzinfo=UTC) == datetime(
        2026, 11, 30, 15, 0, tzinfo=UTC
    )
    assert (drill.time_zone, drill.compression, drill.scenario_version_id) == (
        "Africa/Nairobi",
        2.0,
        version_id,
    )
    assert (drill.scoreboard_visible, drill.scoreboard_freeze_minutes, drill.email_injects) == (
        True,
        15,
        True,
    )
    page = client.get(f"/drills/{drill.id}/setup").get_data(as_text=True)
    assert "2026-12-01 07:00" in page  # the trainer's zone, Paris (UTC+1 in December)
    assert "2026-12-01 09:00" in page  # and the drill's own zone
    assert 'value="2026-12-01T09:00"' in page  # the form shows what was entered
    assert "drill.created" in audit_actions(session)


def test_bad_zone_compression_and_window_are_refused_with_messages(app, client, users, session):
    version_id = publish(app)
    login(client, users["trainer"].email)
    response = post(
        client,
        "/drills/new",
        drill_form(
            version_id,
            time_zone="Mars/Olympus",
            compression="500",
            scoreboard_freeze_minutes="-1",
        ),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "&#39;Mars/Olympus&#39; is not a time zone name; use one like Africa/Nairobi." in page
    assert "Time compression must be between 1× (real time) and 60×." in page
    assert "The scoreboard freeze must be between 0 and 1440 minutes." in page
    response = post(
        client,
        "/drills/new",
        drill_form(version_id, registration_opens="2026-12-02T08:00"),
    )
    page = response.get_data(as_text=True)
    assert "Registration must open before it closes." in page
    assert "Registration must open before the drill starts." in page
    assert session.exec(select(Drill).where(Drill.name == "Regional drill")).first() is None


def test_a_draft_version_cannot_be_chosen(app, client, users):
    with app.app_context():
        s = core_db.session()
        draft = scenarios.import_text(s, yaml.safe_dump(minimal()))
        s.commit()
        draft_id = draft.id
    login(client, users["trainer"].email)
    response = post(client, "/drills/new", drill_form(draft_id))
    assert response.status_code == 422
    assert "Not a valid choice" in response.get_data(as_text=True)


def test_time_zone_conversion_refuses_a_skipped_time():
    assert setup_service.to_utc(datetime(2026, 12, 1, 9, 0), "Africa/Nairobi") == datetime(
        2026, 12, 1, 6, 0, tzinfo=UTC
    )
    assert setup_service.to_utc(datetime(2027, 7, 1, 9, 0), "Europe/Paris").hour == 7  # summer time
    with pytest.raises(setup_service.SetupError, match="does not exist in Europe/Paris"):
        setup_service.to_utc(
            datetime(2027, 3, 28, 2, 30), "Europe/Paris"
        )  # clocks jump 02:00 -> 03:00
    with pytest.raises(setup_service.SetupError, match="is not a time zone name"):
        setup_service.to_utc(datetime(2027, 3, 28, 2, 30), "Nairobi")


def make_drill(app, users, state="scheduled", audience_tags=None) -> int:
    version_id = publish(app, audience_tags)
    with app.app_context():
        s = core_db.session()
        drill = s.get(Drill, users["drill"].id)
        drill.scenario_version_id = version_id
        drill.starts_at = utcnow() + timedelta(days=1)
        drill.state = state
        s.add(drill)
        s.commit()
        return drill.id


def test_settings_that_shape_the_clock_are_fixed_once_the_drill_started(
    app, client, users, session
):
    drill_id = make_drill(app, users)
    login(client, users["trainer"].email)
    page = client.get(f"/drills/{drill_id}/setup").get_data(as_text=True)
    assert "Test drill" in page
    form = {
        field: value
        for field, value in [
            ("name", "Test drill"),
            ("scenario_version", str(session.get(Drill, drill_id).scenario_version_id)),
            ("time_zone", "UTC"),
            ("compression", "1"),
            ("scoreboard_freeze_minutes", "0"),
        ]
    }
    starts = session.get(Drill, drill_id).starts_at.strftime("%Y-%m-%dT%H:%M")
    form["starts_at"] = starts
    # while scheduled, everything may change
    assert (
        post(client, f"/drills/{drill_id}/setup", {**form, "compression": "4"}).status_code == 302
    )
    session.expire_all()
    assert session.get(Drill, drill_id).compression == 4.0
    assert "drill.settings_changed" in audit_actions(session)
    with app.app_context():
        s = core_db.session()
        drill = s.get(Drill, drill_id)
        drill.state = "running"
        s.add(drill)
        s.commit()
    form["compression"] = "4"
    refused = post(client, f"/drills/{drill_id}/setup", {**form, "compression": "10"})
    assert refused.status_code == 422
    assert "The drill has started: its time compression can no longer change." in (
        refused.get_data(as_text=True)
    )
    allowed = post(
        client, f"/drills/{drill_id}/setup", {**form, "name": "Renamed", "scoreboard_visible": "y"}
    )
    assert allowed.status_code == 302
    session.expire_all()
    drill = session.get(Drill, drill_id)
    assert (drill.name, drill.compression, drill.scoreboard_visible) == ("Renamed", 4.0, True)


def test_pure_rules_of_setup_in_each_state():
    from drills import workflow

    assert workflow.fixed_fields("scheduled", {"compression"}) == set()
    assert workflow.fixed_fields("paused", {"compression", "name"}) == {"compression"}
    assert workflow.fixed_fields("ended", {"name"}) == {"name"}
    assert workflow.can_remove_team("scheduled") and not workflow.can_remove_team("running")
    assert workflow.can_set_up("paused") and not workflow.can_set_up("ended")


def test_tags_are_comma_separated_slugs():
    assert teams.parse_tags(" Sector-Health, region-east,,sector-health ") == [
        "sector-health",
        "region-east",
    ]
    assert teams.parse_tags("") == []
    with pytest.raises(setup_service.SetupError) as refused:
        teams.parse_tags("ok, sector health, -bad, x_y")
    assert "“sector health”, “-bad”, “x_y”" in str(refused.value)


def test_teams_from_csv_are_added_all_or_none_with_each_bad_row_named(app, client, users, session):
    drill_id = make_drill(app, users)
    login(client, users["trainer"].email)
    before = session.exec(select(Team).where(Team.drill_id == drill_id)).all()
    bad = (
        "country code,team name,tags\n"
        "KEN,KE-CIRT/CC,sector-telecom\n"
        "XXX,Nowhere CERT,\n"
        'EGY,EG-CERT,"sector health, region-north"\n'
        "FRA,Team A,\n"
        "GHA\n"
    )
    response = post(
        client, f"/drills/{drill_id}/teams/import", {"rows": bad}, f"/drills/{drill_id}/teams"
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Row 3: &#39;XXX&#39; is not a country code" in page
    assert "Row 4: Not a valid tag: “sector health”" in page
    assert "Row 5: This drill has a team named Team A already." in page
    assert "Row 6: expected country code, team name and tags, found 1 columns" in page
    assert "No team was added" in page
    assert "KE-CIRT/CC" in page  # the pasted text is kept to correct
    session.expire_all()
    assert len(session.exec(select(Team).where(Team.drill_id == drill_id)).all()) == len(before)
    good = 'KEN,KE-CIRT/CC,sector-telecom\nEG,EG-CERT,"sector-health, region-north"\n'
    response = post(
        client, f"/drills/{drill_id}/teams/import", {"rows": good}, f"/drills/{drill_id}/teams"
    )
    assert response.status_code == 302
    session.expire_all()
    egypt = session.exec(select(Team).where(Team.name == "EG-CERT")).one()
    assert egypt.tags == ["sector-health", "region-north"]
    assert session.get(Country, egypt.country_id).iso3 == "EGY"
    assert audit_actions(session).count("drill.team_added") == 2
    # a duplicate inside one paste is refused too
    dup = "KEN,New team,\nGHA,new TEAM,\n"
    response = post(
        client, f"/drills/{drill_id}/teams/import", {"rows": dup}, f"/drills/{drill_id}/teams"
    )
    assert "Row 2: This drill has a team named new TEAM already." in response.get_data(as_text=True)


def test_teams_are_added_edited_and_removed_until_the_start(app, client, users, session):
    drill_id = make_drill(app, users, audience_tags=["sector-health"])
    login(client, users["trainer"].email)
    page = client.get(f"/drills/{drill_id}/teams").get_data(as_text=True)
    assert "No team has any of the tags sector-health, so the injects I1 reach nobody." in page
    response = post(
        client,
        f"/drills/{drill_id}/teams",
        {"country": "KEN", "name": "KE-CIRT", "tags": "sector-health"},
        f"/drills/{drill_id}/teams",
    )
    assert response.status_code == 302
    page = client.get(f"/drills/{drill_id}/teams").get_data(as_text=True)
    assert "reach nobody" not in page and "KE-CIRT" in page
    refused = post(
        client,
        f"/drills/{drill_id}/teams",
        {"country": "KEN", "name": "Other", "tags": "Sector Health!"},
        f"/drills/{drill_id}/teams",
    )
    assert refused.status_code == 422
    assert "Not a valid tag: “Sector Health!”" in refused.get_data(as_text=True)
    team = session.exec(select(Team).where(Team.name == "KE-CIRT")).one()
    team_id = team.id
    edit = {"country": "KEN", "name": "KE-CIRT/CC", "tags": "sector-health, region-east"}
    assert post(client, f"/drills/teams/{team.id}/setup", edit).status_code == 302
    session.expire_all()
    assert session.get(Team, team.id).tags == ["sector-health", "region-east"]
    with app.app_context():
        s = core_db.session()
        s.get(Drill, drill_id).state = "running"
        s.commit()
    refused = post(client, f"/drills/teams/{team.id}/setup", {**edit, "tags": "sector-energy"})
    assert "a team&#39;s tags, which decide its injects, stay as they are" in refused.get_data(
        as_text=True
    )
    renamed = post(client, f"/drills/teams/{team.id}/setup", {**edit, "name": "KE-CIRT (Nairobi)"})
    assert renamed.status_code == 302
    refused = post(client, f"/drills/teams/{team.id}/remove", {}, f"/drills/teams/{team.id}/setup")
    follow = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "The drill has started, so its teams stay" in follow
    session.expire_all()
    assert session.get(Team, team.id) is not None
    with app.app_context():
        s = core_db.session()
        s.get(Drill, drill_id).state = "scheduled"
        s.commit()
    assert (
        post(
            client, f"/drills/teams/{team.id}/remove", {}, f"/drills/teams/{team.id}/setup"
        ).status_code
        == 302
    )
    session.expunge_all()
    assert session.get(Team, team_id) is None
    assert "drill.team_removed" in audit_actions(session)


def make_user(app, local, role):
    with app.app_context():
        s = core_db.session()
        user = accounts.create_user(
            s, email=f"{local}@test.example", name=local.title(), role=role, password=PASSWORD
        )
        s.commit()
        return user


def test_a_participant_plays_in_one_team_per_drill(app, client, users, session):
    make_drill(app, users)
    newcomer = make_user(app, "newcomer", Role.participant)
    team_a, team_b = users["team"], users["other_team"]
    login(client, users["trainer"].email)
    add = {"email": "NEWCOMER@test.example"}
    assert (
        post(
            client, f"/drills/teams/{team_a.id}/members", add, f"/drills/teams/{team_a.id}/setup"
        ).status_code
        == 302
    )
    # again into the same team: nothing changes
    assert (
        post(
            client, f"/drills/teams/{team_a.id}/members", add, f"/drills/teams/{team_a.id}/setup"
        ).status_code
        == 302
    )
    refused = post(
        client, f"/drills/teams/{team_b.id}/members", add, f"/drills/teams/{team_b.id}/setup"
    )
    assert refused.status_code == 422
    assert "Newcomer plays in the team Team A of this drill already" in refused.get_data(
        as_text=True
    )
    refused = post(
        client,
        f"/drills/teams/{team_b.id}/members",
        {"email": users["evaluator"].email},
        f"/drills/teams/{team_b.id}/setup",
    )
    assert "Evaluator is not a participant account" in refused.get_data(as_text=True)
    invited = post(
        client,
        f"/drills/teams/{team_b.id}/members",
        {"email": "nobody@test.example"},
        f"/drills/teams/{team_b.id}/setup",
    )  # no account: an invitation goes out instead (tested end to end below)
    assert "nobody@test.example has no account yet" in client.get(invited.location).get_data(
        as_text=True
    )
    session.expire_all()
    memberships = session.exec(select(TeamMember).where(TeamMember.user_id == newcomer.id)).all()
    assert [m.team_id for m in memberships] == [team_a.id]
    # a team of another drill is fine
    with app.app_context():
        s = core_db.session()
        other = Team(drill_id=users["other_drill"].id, name="Team C")
        s.add(other)
        s.flush()
        people.add_member(s, other, s.get(type(newcomer), newcomer.id), actor=None)
        s.commit()
    assert (
        post(
            client,
            f"/drills/teams/{team_a.id}/members/{newcomer.id}/remove",
            {},
            f"/drills/teams/{team_a.id}/setup",
        ).status_code
        == 302
    )
    session.expire_all()
    assert session.get(TeamMember, (team_a.id, newcomer.id)) is None
    assert audit_actions(session).count("drill.member_added") == 2


def test_an_observer_reads_the_control_room_but_cannot_control(app, client, users, session):
    drill_id = make_drill(app, users)
    login(client, users["trainer"].email)
    path = f"/drills/{drill_id}/people"
    assert (
        post(
            client, f"{path}/observer", {"observer-email": users["analyst"].email}, path
        ).status_code
        == 302
    )
    assert (
        post(
            client, f"{path}/evaluator", {"evaluator-email": users["other_evaluator"].email}, path
        ).status_code
        == 302
    )
    refused = post(client, f"{path}/observer", {"observer-email": users["participant"].email}, path)
    assert "Participant plays in this drill, so cannot observe it." in refused.get_data(
        as_text=True
    )
    refused = post(client, f"{path}/evaluator", {"evaluator-email": users["analyst"].email}, path)
    assert "Analyst is not an evaluator account." in refused.get_data(as_text=True)
    session.expire_all()
    drill = session.get(Drill, drill_id)
    analyst = users["analyst"]
    assert policy.can(analyst, "drill.observe", drill) and policy.can(analyst, "drill.read", drill)
    assert not policy.can(analyst, "drill.control", drill)
    assert not policy.can(users["focal_point"], "drill.observe", drill)
    assert policy.can(users["other_evaluator"], "drill.read", drill)
    assert not policy.can(users["participant"], "drill.observe", drill)

    watcher = app.test_client()
    login(watcher, analyst.email)
    assert "Test drill" in watcher.get("/drills/").get_data(as_text=True)
    room = watcher.get(f"/drills/{drill_id}")
    assert room.status_code == 200
    assert "Start now" not in room.get_data(as_text=True)
    token = csrf_from(watcher, f"/drills/{drill_id}")
    assert watcher.post(f"/drills/{drill_id}/start", data={"csrf_token": token}).status_code == 403
    assert watcher.get(f"/drills/{drill_id}/setup").status_code == 403
    assert watcher.get(f"/drills/{users['other_drill'].id}").status_code == 403
    session.expire_all()
    assert session.get(Drill, drill_id).state == "scheduled"
    # taken off the drill, the observer sees nothing of it
    post(client, f"{path}/observer/{analyst.id}/remove", {}, path)
    assert watcher.get(f"/drills/{drill_id}").status_code == 403
    session.expire_all()
    assert session.exec(select(DrillObserver)).all() == []
    actions = audit_actions(session)
    assert {"drill.observer_added", "drill.evaluator_added", "drill.observer_removed"} <= set(
        actions
    )


def test_setup_pages_are_for_trainers_and_admins(app, users):
    drill_id = users["drill"].id
    for role, status in (("participant", 403), ("evaluator", 403), ("admin", 200)):
        client = app.test_client()
        login(client, users[role].email)
        assert client.get("/drills/new").status_code == status
        assert client.get(f"/drills/{drill_id}/teams").status_code == status
        assert client.get(f"/drills/{drill_id}/comcheck").status_code == status


def test_the_comcheck_also_goes_out_by_email(app, client, users, session, smtp_server):
    from core import outbox

    drill_id = make_drill(app, users)
    login(client, users["trainer"].email)
    post(client, f"/drills/{drill_id}/comcheck", {"message": "Reply to confirm you see this."})
    with app.app_context():
        outbox.deliver_due(core_db.session(), app.config)
    received = {m["To"]: m for m in smtp_server.messages}
    assert set(received) == {users["participant"].email, users["other_participant"].email}
    text = received[users["participant"].email].get_content()
    assert "Reply to confirm you see this." in text
    assert f"/drills/teams/{users['team'].id}" in text
    assert received[users["participant"].email]["Subject"].endswith("Contact check: Test drill")


def test_the_comcheck_flow(app, client, users, session):
    drill_id = make_drill(app, users)
    team_a, team_b = users["team"], users["other_team"]
    login(client, users["trainer"].email)
    refused = post(client, f"/drills/{drill_id}/comcheck", {"message": " "})
    assert refused.status_code == 422
    sent = post(
        client, f"/drills/{drill_id}/comcheck", {"message": "Reply to confirm you see this."}
    )
    assert sent.status_code == 302
    page = client.get(f"/drills/{drill_id}/comcheck").get_data(as_text=True)
    assert "Participant" in page and "Participant2" in page
    # the trainer sees the team console without a confirm button
    assert "I confirm" not in client.get(f"/drills/teams/{team_a.id}").get_data(as_text=True)

    player = app.test_client()
    login(player, users["participant"].email)
    console = player.get(f"/drills/teams/{team_a.id}").get_data(as_text=True)
    assert "Reply to confirm you see this." in console and "I confirm" in console
    check_id = setup_latest(app, drill_id)
    token = csrf_from(player, f"/drills/teams/{team_a.id}")
    # no confirming for another team, nor without the CSRF token
    assert (
        player.post(
            f"/drills/teams/{team_b.id}/comcheck/{check_id}", data={"csrf_token": token}
        ).status_code
        == 404
    )
    assert player.post(f"/drills/teams/{team_a.id}/comcheck/{check_id}").status_code == 400
    confirmed = player.post(
        f"/drills/teams/{team_a.id}/comcheck/{check_id}", data={"csrf_token": token}
    )
    assert confirmed.status_code == 302
    console = player.get(f"/drills/teams/{team_a.id}").get_data(as_text=True)
    assert "You confirmed at" in console and "I confirm" not in console
    # a second click keeps the first time
    player.post(f"/drills/teams/{team_a.id}/comcheck/{check_id}", data={"csrf_token": token})

    with app.app_context():
        s = core_db.session()
        rows = {
            row.team.name: row for row in comcheck.comcheck_status(s, s.get(Comcheck, check_id))
        }
        assert [u.name for u, _ in rows["Team A"].confirmed] == ["Participant"]
        assert rows["Team A"].waiting == []
        assert [u.name for u in rows["Team B"].waiting] == ["Participant2"]
    page = client.get(f"/drills/{drill_id}/comcheck").get_data(as_text=True)
    assert "<strong>Participant2</strong>" in page
    actions = audit_actions(session)
    assert actions.count("drill.comcheck_confirmed") == 1
    assert actions.count("drill.comcheck_started") == 1


def setup_latest(app, drill_id) -> int:
    with app.app_context():
        s = core_db.session()
        return comcheck.latest_comcheck(s, s.get(Drill, drill_id)).id


def test_nothing_changes_on_an_ended_drill(app, users):
    drill_id = make_drill(app, users, state="ended")
    with app.test_request_context():  # messages are translated for a request
        s = core_db.session()
        drill = s.get(Drill, drill_id)
        for attempt in (
            lambda: teams.add_team(s, drill, "KEN", "Late", "", None),
            lambda: comcheck.start_comcheck(s, drill, "Hello", users["trainer"], utcnow()),
            lambda: people.add_member(
                s, s.get(Team, users["team"].id), s.merge(users["other_participant"])
            ),
        ):
            with pytest.raises(setup_service.SetupError, match="The drill has ended"):
                attempt()


def test_registration_window():
    drill = Drill(name="d", starts_at=utcnow())
    now = datetime(2026, 11, 25, 12, tzinfo=UTC)
    assert setup_service.registration_open(drill, now)
    drill.registration_opens_at = now + timedelta(hours=1)
    assert not setup_service.registration_open(drill, now)
    drill.registration_opens_at, drill.registration_closes_at = now - timedelta(hours=1), now
    assert not setup_service.registration_open(drill, now)
    drill.registration_closes_at = now + timedelta(seconds=1)
    assert setup_service.registration_open(drill, now)
    drill.state = "ended"
    assert not setup_service.registration_open(drill, now)


def test_someone_without_an_account_is_invited_into_the_team(
    app, client, users, session, smtp_server
):
    import re

    from core import outbox
    from core.models import User
    from drills.models import TeamMember
    from tests.conftest import PASSWORD

    make_drill(app, users)
    team = users["team"]
    login(client, users["trainer"].email)
    sent = post(
        client,
        f"/drills/teams/{team.id}/members",
        {"email": "Amina@CIRT.example"},
        f"/drills/teams/{team.id}/setup",
    )
    assert "an invitation to join the team is on its way" in client.get(sent.location).get_data(
        as_text=True
    )
    with app.app_context():
        outbox.deliver_due(core_db.session(), app.config)
    [email] = smtp_server.messages
    assert email["To"] == "amina@cirt.example" and "Team A" in email.get_content()
    path = re.search(r"https?://[^/\s]+(/invitations/\S+)", email.get_content()).group(1)
    newcomer = app.test_client()
    token = csrf_from(newcomer, path)
    joined = newcomer.post(
        path, data={"csrf_token": token, "name": "Amina", "password": PASSWORD, "confirm": PASSWORD}
    )
    assert joined.location.endswith(f"/drills/teams/{team.id}")
    user = session.exec(select(User).where(User.email == "amina@cirt.example")).one()
    assert user.role == "participant"
    assert session.get(TeamMember, (team.id, user.id)) is not None
    assert "Team A" in newcomer.get(f"/drills/teams/{team.id}").get_data(as_text=True)


def test_an_invitation_is_refused_once_registration_has_closed(
    app, client, users, session, smtp_server
):
    import re

    from core import outbox
    from core.models import User
    from tests.conftest import PASSWORD

    drill_id = make_drill(app, users)
    team = users["team"]
    login(client, users["trainer"].email)
    post(
        client,
        f"/drills/teams/{team.id}/members",
        {"email": "late@cirt.example"},
        f"/drills/teams/{team.id}/setup",
    )
    with app.app_context():
        s = core_db.session()
        s.get(Drill, drill_id).registration_closes_at = utcnow() - timedelta(minutes=1)
        s.commit()
        outbox.deliver_due(s, app.config)
    path = re.search(r"https?://[^/\s]+(/invitations/\S+)", smtp_server.messages[0].get_content())
    late = app.test_client()
    token = csrf_from(late, path.group(1))
    refused = late.post(
        path.group(1),
        data={"csrf_token": token, "name": "Late", "password": PASSWORD, "confirm": PASSWORD},
    )
    assert "Registration for this drill is closed" in refused.get_data(as_text=True)
    assert session.exec(select(User).where(User.email == "late@cirt.example")).first() is None
