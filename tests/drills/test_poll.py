"""The console's poll answered before Flask (drills/poll.py): a 304 for a member whose team's
page has not changed, the new list when it has (an inject that just fell due by the clock),
and Flask for everything else: another team, a session that has ended, a forged cookie."""

import time
from datetime import timedelta

import time_machine

from core import db as core_db
from core.models import User, utcnow
from drills.models import Drill
from tests.factories import as_member, drill_with_two_injects, flask_requests, post


def test_an_unchanged_poll_is_answered_without_flask(app, users):
    drill_with_two_injects(app, users)
    seen = flask_requests(app)
    member = as_member(app, users)
    feed = f"/drills/teams/{users['team'].id}/feed"
    first = member.get(feed)
    assert first.status_code == 200 and first.get_json()["injects"] == ["I1"]
    before = len(seen)
    for _ in range(3):
        again = member.get(feed, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304 and again.headers["ETag"] == first.headers["ETag"]
    # a console that missed a change gets the new list, the same as Flask gives
    stale = member.get(feed, headers={"If-None-Match": '"stale"'})
    assert stale.status_code == 200 and stale.headers["ETag"] == first.headers["ETag"]
    assert stale.get_json()["injects"] == first.get_json()["injects"] == ["I1"]
    assert stale.get_json().keys() == first.get_json().keys()
    assert stale.content_type == first.content_type == "application/json"
    assert len(seen) == before  # Flask never saw them


def test_the_polls_answers_carry_the_security_headers_of_flask(app, users):
    drill_with_two_injects(app, users)
    member = as_member(app, users)
    feed = f"/drills/teams/{users['team'].id}/feed"
    by_flask = member.get(feed)
    by_shortcut = member.get(feed, headers={"If-None-Match": by_flask.headers["ETag"]})
    assert by_shortcut.status_code == 304
    for name in ("Content-Security-Policy", "X-Frame-Options", "Referrer-Policy"):
        assert by_flask.headers[name]  # flask-talisman's, as on every page
        assert by_shortcut.headers[name] == by_flask.headers[name], name
    assert by_shortcut.headers["X-Content-Type-Options"] == "nosniff"
    assert "Set-Cookie" not in by_shortcut.headers


def test_an_inject_due_by_the_clock_alone_reaches_the_poll(app, users):
    drill_id = drill_with_two_injects(app, users)
    member = as_member(app, users)
    feed = f"/drills/teams/{users['team'].id}/feed"
    with time_machine.travel(utcnow(), tick=False) as clock:  # the clock moves when told to
        with app.app_context():
            s = core_db.session()
            drill = s.get(Drill, drill_id)
            drill.starts_at = utcnow() - timedelta(minutes=30) + timedelta(seconds=1)  # I2 in 1 s
            s.commit()
        first = member.get(feed)
        etag = first.headers["ETag"]
        clock.shift(0.4)
        unchanged = member.get(feed, headers={"If-None-Match": etag})
        assert unchanged.status_code == 304
        # both tell the console to ask again when I2 falls due, under a second from now
        assert int(first.headers["Poll-After"]) == 1000
        assert int(unchanged.headers["Poll-After"]) == 600
        clock.shift(0.8)
        later = member.get(feed, headers={"If-None-Match": etag})
    assert later.status_code == 200 and later.get_json()["injects"] == ["I1", "I2"]
    assert "Poll-After" not in later.headers  # nothing more falls due within two seconds


def test_after_a_teammates_answer_the_poll_reads_the_new_facts_without_flask(app, users):
    """An answer renews the team's revision, so nothing of the team is cached: the poll reads
    the facts itself (not through Flask, five times the cost for each of the team's consoles)
    and answers as Flask would."""
    drill_with_two_injects(app, users)
    seen = flask_requests(app)
    team = users["team"].id
    feed = f"/drills/teams/{team}/feed"
    member = as_member(app, users)
    before = member.get(feed).headers["ETag"]
    answered = post(member, team, "injects/I1/responses/R1/submit", answer="x", attempt="1")
    assert answered.status_code == 302
    flask_saw = len(seen)
    polled = member.get(feed, headers={"If-None-Match": before})
    assert len(seen) == flask_saw  # answered before Flask
    assert polled.status_code == 200 and polled.headers["ETag"] != before
    assert polled.get_json()["injects"] == ["I1"]
    # the same as Flask says (a poll without If-None-Match goes to Flask)
    assert member.get(feed).headers["ETag"] == polled.headers["ETag"]
    assert len(seen) == flask_saw + 1


def test_a_session_past_its_lifetime_is_not_answered_here(app, users):
    drill_with_two_injects(app, users)
    member = as_member(app, users)
    feed = f"/drills/teams/{users['team'].id}/feed"
    etag = member.get(feed).headers["ETag"]
    assert member.get(feed, headers={"If-None-Match": etag}).status_code == 304
    app.permanent_session_lifetime = timedelta(seconds=1)  # its signature was checked already
    with time_machine.travel(time.time() + 2.1, tick=True):  # the signature has whole seconds
        late = member.get(feed, headers={"If-None-Match": etag})
    assert late.status_code == 302  # Flask: the session has ended


def test_another_team_an_ended_session_or_a_forged_cookie_go_to_flask(app, users):
    drill_with_two_injects(app, users)
    team_b = users["other_team"].id
    other = as_member(app, users, "other_participant")
    etag_b = other.get(f"/drills/teams/{team_b}/feed").headers["ETag"]
    assert (
        other.get(f"/drills/teams/{team_b}/feed", headers={"If-None-Match": etag_b}).status_code
        == 304
    )
    # a member of team A with team B's ETag: 404, as for any guessed id
    member = as_member(app, users)
    stolen = member.get(f"/drills/teams/{team_b}/feed", headers={"If-None-Match": etag_b})
    assert stolen.status_code == 404
    # a forged cookie is not signed by this app
    forged = app.test_client()
    forged.set_cookie("session", "eyJfdXNlcl9pZCI6IjE6eCJ9.forged.sig")
    asked = forged.get(f"/drills/teams/{team_b}/feed", headers={"If-None-Match": etag_b})
    assert asked.status_code == 302
    # the account is disabled: the same cookie no longer answers
    with app.app_context():
        s = core_db.session()
        s.get(User, users["other_participant"].id).active = False
        s.commit()
    ended = other.get(f"/drills/teams/{team_b}/feed", headers={"If-None-Match": etag_b})
    assert ended.status_code == 302
