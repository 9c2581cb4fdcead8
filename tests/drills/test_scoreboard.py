"""The live scoreboard: totals and objectives for staff; for teams only when the drill
shows it, and frozen for the drill's last minutes when the trainer asked for that."""

from core import db as core_db
from drills.models import Drill
from tests.factories import as_member, post, running_drill


def board_row(page: str, team: str) -> str:
    start = page.index(f'<th scope="row">{team}</th>')
    return page[start : page.index("</tr>", start)]


def test_staff_see_the_live_scoreboard(app, users):
    drill_id = running_drill(app, users, minutes_ago=5)
    post(as_member(app, users), users["team"].id, "injects/I1/responses/R1/submit", answer="x")
    post(
        as_member(app, users, "other_participant"),
        users["other_team"].id,
        "injects/I1/responses/R1/submit",
        answer="203.0.113.7",
    )
    page = as_member(app, users, "trainer").get(f"/drills/{drill_id}/scoreboard")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<strong>10</strong>" in board_row(html, "Team B")
    assert "<strong>0</strong>" in board_row(html, "Team A")
    assert html.index("Team B") < html.index("Team A")  # best first
    assert (
        as_member(app, users, "evaluator").get(f"/drills/{drill_id}/scoreboard").status_code == 200
    )


def test_teams_see_it_only_when_shown_and_frozen_at_the_end(app, users):
    drill_id = running_drill(app, users, minutes_ago=115)  # the drill lasts 120 minutes
    member = as_member(app, users)
    assert member.get(f"/drills/{drill_id}/scoreboard").status_code == 403
    with app.app_context():
        s = core_db.session()
        drill = s.get(Drill, drill_id)
        drill.scoreboard_visible, drill.scoreboard_freeze_minutes = True, 10
        s.commit()
    post(member, users["team"].id, "injects/I1/responses/R1/submit", answer="203.0.113.7")
    team_view = member.get(f"/drills/{drill_id}/scoreboard").get_data(as_text=True)
    assert "frozen for the last minutes" in team_view
    assert "<strong>0</strong>" in board_row(team_view, "Team A")  # answered after the freeze
    staff_view = as_member(app, users, "trainer").get(f"/drills/{drill_id}/scoreboard")
    assert "<strong>5</strong>" in board_row(staff_view.get_data(as_text=True), "Team A")
