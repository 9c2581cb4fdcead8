"""The console's cached facts (drills/facts.py) never show a state the database has left:
its ETag changes when an inject falls due by the clock alone, with no write, and with every
write that changes what the team sees (an answer, a score, a broadcast, a pause, an
override), whoever makes it, while another team's stays as it was."""

from datetime import timedelta

from sqlmodel import select

from core import db as core_db
from core.models import utcnow
from drills.console import play
from drills.console import rules as console_rules
from drills.console import service as console_service
from drills.control import service as control_service
from drills.evaluation import service as evaluation_service
from drills.models import Drill, Submission, Team
from tests.factories import START, drill_with_two_injects


def seen(app, team_id: int, minute: float) -> tuple[str, list[str]]:
    """The team's console at drill minute `minute`, read as a request would (new session)."""
    with app.app_context():
        s = core_db.session()
        view = console_service.console(s, s.get(Team, team_id), START + timedelta(minutes=minute))
        return view.etag, [i.id for i, _ in view.injects]


def test_an_inject_falls_due_by_the_clock_alone(app, users):
    drill_with_two_injects(app, users)
    team = users["team"].id
    early = seen(app, team, 5)
    assert early == seen(app, team, 29.9)  # cached, and nothing new is due
    assert early[1] == ["I1"]
    late = seen(app, team, 30)
    assert late[1] == ["I1", "I2"] and late[0] != early[0]


def test_every_write_that_changes_a_console_renews_its_etag(app, users):
    drill_id = drill_with_two_injects(app, users)
    team_a, team_b = users["team"].id, users["other_team"].id
    trainer, member = users["trainer"], users["participant"]

    def run(use_case):
        with app.app_context():
            s = core_db.session()
            use_case(s, s.get(Drill, drill_id))
            s.commit()

    before_a, before_b = seen(app, team_a, 10), seen(app, team_b, 10)
    # an answer of team A (scored at once) changes A's console only
    run(
        lambda s, d: play.submit(
            s, s.get(Team, team_a), "I1", "R1", "203.0.113.7", member, START + timedelta(minutes=6)
        )
    )
    after_a, after_b = seen(app, team_a, 10), seen(app, team_b, 10)
    assert after_a[0] != before_a[0] and after_b == before_b
    # an evaluator's score: I2.R1 is free text, waiting for an evaluator
    run(
        lambda s, d: play.submit(
            s,
            s.get(Team, team_a),
            "I2",
            "R1",
            "We call them.",
            member,
            START + timedelta(minutes=31),
        )
    )
    waiting = seen(app, team_a, 32)
    with app.app_context():
        s = core_db.session()
        answer = s.exec(select(Submission).where(Submission.inject_id == "I2")).one()
        evaluation_service.score(s, answer, 5, [0], "Good.", users["evaluator"], utcnow())
        s.commit()
    assert seen(app, team_a, 32)[0] != waiting[0]
    # a broadcast changes every console
    run(
        lambda s, d: control_service.broadcast(
            s, d, "Lunch at 12", trainer, START + timedelta(minutes=7)
        )
    )
    assert seen(app, team_b, 10)[0] != after_b[0]
    # holding I2 back for team B hides it there, though B's minutes were cached with it
    held_before = seen(app, team_b, 35)
    assert held_before[1] == ["I1", "I2"]
    run(lambda s, d: control_service.override(s, d, "I2", team_b, "hold", trainer, utcnow()))
    held = seen(app, team_b, 35)
    assert held[1] == ["I1"] and held[0] != held_before[0]
    assert seen(app, team_a, 35)[1] == ["I1", "I2"]
    # a pause stops the clock: I2 does not fall due at minute 30 of real time any more
    paused_at = START + timedelta(minutes=20)
    run(lambda s, d: control_service.control(s, d, "pause", trainer, paused_at))
    etag, injects = seen(app, team_a, 40)
    assert injects == ["I1"] and etag != after_a[0]


def test_a_rolled_back_answer_leaves_nothing_behind(app, users):
    drill_with_two_injects(app, users)
    team = users["team"].id
    before = seen(app, team, 10)
    with app.app_context():
        s = core_db.session()
        found = s.get(Team, team)
        play.submit(
            s, found, "I1", "R1", "203.0.113.7", users["participant"], START + timedelta(minutes=6)
        )
        assert console_service.console(s, found, START + timedelta(minutes=10)).etag != before[0]
        s.rollback()
    assert seen(app, team, 10) == before


def test_poll_after_names_only_what_comes_within_one_poll():
    now = START
    in_ms = lambda ms: now + timedelta(milliseconds=ms)  # noqa: E731
    assert console_rules.poll_after([in_ms(700), in_ms(1500)], now) == 0.7
    assert console_rules.poll_after([in_ms(2500)], now) is None  # the next poll comes first
    assert console_rules.poll_after([in_ms(-10), None], now) is None  # past, or never
    assert console_rules.poll_after([], now) is None


def test_the_console_is_told_to_ask_when_the_next_inject_falls_due(app, users):
    drill_with_two_injects(app, users)  # I2 at minute 30
    with app.app_context():
        s = core_db.session()
        team = s.get(Team, users["team"].id)
        soon = console_service.console(s, team, START + timedelta(minutes=30, seconds=-1.5))
        later = console_service.console(s, team, START + timedelta(minutes=20))
        done = console_service.console(s, team, START + timedelta(minutes=31))
    assert soon.poll_after == 1.5 and later.poll_after is None and done.poll_after is None


def test_a_teams_console_reads_only_that_teams_answers(app, users):
    """At drill scale the drill holds thousands of answers: one console must not read them."""
    from sqlalchemy import event

    drill_with_two_injects(app, users)
    statements = []
    with app.app_context():
        s = core_db.session()
        engine = s.get_bind()

        def seen(_conn, _cursor, sql, params, *_args):
            if "FROM drill_submission" in sql:
                statements.append((sql, params))

        event.listen(engine, "before_cursor_execute", seen)
        try:
            console_service.console(s, s.get(Team, users["team"].id), START + timedelta(minutes=5))
        finally:
            event.remove(engine, "before_cursor_execute", seen)
    assert statements, "the team's answers are read"
    for sql, params in statements:
        assert "drill_submission.team_id IN" in sql, sql
        assert users["other_team"].id not in (params if isinstance(params, tuple) else ())
