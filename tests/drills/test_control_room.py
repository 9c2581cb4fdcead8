"""The trainer's control room: start now, pause, resume, extend, end; refusals explain."""

from datetime import timedelta

import yaml
from sqlmodel import select

from core import db as core_db
from core.models import AuditEvent, utcnow
from drills.models import Drill, DrillPause
from scenarios.authoring import service as scenarios
from tests.conftest import csrf_from, login
from tests.scenarios.examples import minimal


def make_drill(app, users, starts_in_minutes=60):
    with app.app_context():
        s = core_db.session()
        version = scenarios.import_text(s, yaml.safe_dump(minimal()), publish=True)
        row = s.get(Drill, users["drill"].id)
        row.scenario_version_id = version.id
        row.starts_at = utcnow() + timedelta(minutes=starts_in_minutes)
        s.add(row)
        s.commit()
        return row.id


def press(client, drill_id, move, **data):
    token = csrf_from(client, f"/drills/{drill_id}")
    return client.post(f"/drills/{drill_id}/{move}", data={"csrf_token": token, **data})


def test_the_trainer_runs_the_drill_from_the_control_room(app, client, users, session):
    drill_id = make_drill(app, users)
    login(client, users["trainer"].email)
    page = client.get(f"/drills/{drill_id}").get_data(as_text=True)
    assert "scheduled" in page and "Regulator calls" in page
    press(client, drill_id, "start")
    drill = session.get(Drill, drill_id)
    assert drill.state == "running"
    assert abs((utcnow() - drill.starts_at.replace(tzinfo=utcnow().tzinfo)).total_seconds()) < 5
    press(client, drill_id, "pause")
    session.expire_all()
    assert session.get(Drill, drill_id).state == "paused"
    assert session.exec(select(DrillPause)).one().ended_at is None
    refused = press(client, drill_id, "pause")
    follow = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "A paused drill cannot pause; possible now: end, resume." in follow
    press(client, drill_id, "resume")
    press(client, drill_id, "extend", minutes="15")
    press(client, drill_id, "end")
    session.expire_all()
    drill = session.get(Drill, drill_id)
    assert (drill.state, drill.extra_minutes) == ("ended", 15)
    assert session.exec(select(DrillPause)).one().ended_at is not None
    actions = [
        e.action
        for e in session.exec(select(AuditEvent).order_by(AuditEvent.id))
        if e.action.startswith("drill.")
    ]
    assert actions == ["drill.start", "drill.pause", "drill.resume", "drill.extended", "drill.end"]


def test_only_trainers_and_admins_control_a_drill(app, users):
    drill_id = make_drill(app, users)
    for role in ("evaluator", "participant", "analyst"):
        client = app.test_client()
        login(client, users[role].email)
        assert client.get(f"/drills/{drill_id}").status_code == 403
        token = csrf_from(client, "/")
        assert (
            client.post(f"/drills/{drill_id}/start", data={"csrf_token": token}).status_code == 403
        )


def test_with_many_teams_the_control_room_counts_instead_of_a_column_per_team(
    app, client, users, session
):
    from drills import dispatcher
    from drills.models import Team

    drill_id = make_drill(app, users, starts_in_minutes=-5)
    with app.app_context():
        s = core_db.session()
        s.add_all(Team(drill_id=drill_id, name=f"CIRT {n:02d}") for n in range(10))
        s.get(Drill, drill_id).state = "running"
        s.commit()
        dispatcher.dispatch(s, utcnow())
    login(client, users["trainer"].email)
    page = client.get(f"/drills/{drill_id}").get_data(as_text=True)
    assert "12 of 12 teams, first at" in page  # I1 reached all twelve
    assert "0 of 12 teams" in page  # I2 reached none yet
    assert '<th scope="col">CIRT 03</th>' not in page


def test_every_inject_row_offers_every_team_by_hand(app, users):
    from tests.factories import as_member, running_drill

    drill_id = running_drill(app, users, minutes_ago=5)
    page = as_member(app, users, "trainer").get(f"/drills/{drill_id}").get_data(as_text=True)
    team = f'<option value="{users["team"].id}">Team A</option>'
    assert page.count('<option value="">All teams</option>') == 2  # one per inject row
    assert page.count(team) == 2 and "&lt;option" not in page
