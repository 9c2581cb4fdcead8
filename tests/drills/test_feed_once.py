"""The console's feed is computed once (drills/console/rules.py feed): the poll answered
before Flask (drills/poll.py) and the console's own feed view give the same ETag and body at
the drill's end and past it, when an inject would fall due only after the end."""

from datetime import timedelta

import pytest
import yaml

from core import db as core_db
from core.models import utcnow
from drills.models import Drill, DrillPause
from scenarios.authoring import service as scenarios
from tests.factories import as_member, flask_requests
from tests.scenarios.examples import minimal


def drill_with_an_inject_after_its_end(app, users, minute: float, state: str) -> int:
    """I1 at minute 0; I2 only if I1.R1 stays unanswered for 121 minutes, one minute after the
    120-minute drill ends. The drill clock stands at `minute` (paused there, or ended there)."""
    document = minimal()
    document["injects"][1]["condition"] = {"response": "I1.R1", "is": "unanswered", "minutes": 121}
    now = utcnow()
    with app.app_context():
        s = core_db.session()
        version = scenarios.import_text(s, yaml.safe_dump(document), publish=True)
        drill = s.get(Drill, users["drill"].id)
        drill.scenario_version_id, drill.state = version.id, state
        drill.starts_at = now - timedelta(minutes=minute + 1)
        stop = drill.starts_at + timedelta(minutes=minute)
        if state == "ended":
            drill.ended_at = stop
        else:
            s.add(DrillPause(drill_id=drill.id, started_at=stop))
        s.add(drill)
        s.commit()
        return drill.id


@pytest.mark.parametrize("state", ["paused", "ended"])
@pytest.mark.parametrize("minute", [120, 125])
def test_the_poll_and_the_console_give_the_same_feed_at_and_past_the_end(app, users, minute, state):
    drill_with_an_inject_after_its_end(app, users, minute, state)
    seen = flask_requests(app)
    member = as_member(app, users)
    feed = f"/drills/teams/{users['team'].id}/feed"
    by_flask = member.get(feed)
    before = len(seen)
    by_poll = member.get(feed, headers={"If-None-Match": '"stale"'})
    assert len(seen) == before  # the poll answered it, not Flask
    assert by_poll.status_code == by_flask.status_code == 200
    assert by_poll.headers["ETag"] == by_flask.headers["ETag"]
    assert by_poll.get_data(as_text=True) == by_flask.get_data(as_text=True)
    assert by_flask.get_json()["injects"] == ["I1"]  # I2 falls due after the end: never
    assert by_flask.get_json()["state"] == state
