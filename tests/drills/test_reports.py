"""After-action report PDFs read back with pypdf: every section, the numbers of the database,
one team's data only in its report, charts, DRAFT until final, Arabic text; versions and the
scheduler path."""

import hashlib
import io
import re
import unicodedata
from datetime import date, timedelta

import pytest
import yaml
from pypdf import PdfReader
from reportlab.graphics.shapes import Drawing
from sqlmodel import select

from core import db as core_db
from core import tables
from core.models import AuditEvent, User, utcnow
from drills import dispatcher
from drills.models import (
    AfterActionReport,
    Drill,
    HotwashAnswer,
    ImprovementItem,
    InjectAck,
    Observation,
    RatingOverride,
    Submission,
    Team,
)
from drills.reports import content, export, records, writer
from drills.reports import service as report_service
from scenarios.authoring import service as scenarios
from scenarios.format.reader import read
from tests.conftest import csrf_from, login
from tests.scenarios.examples import minimal

ARABIC_TEAM = "فريق مصر"


def pages(data: bytes) -> list[str]:
    """Each page's text, Arabic presentation forms folded back, white space collapsed."""
    return [
        " ".join(unicodedata.normalize("NFKC", p.extract_text()).split())
        for p in PdfReader(io.BytesIO(data)).pages
    ]


def submission(team_id, drill_id, inject, response, points, correct, minute, start, by=None):
    return Submission(
        drill_id=drill_id,
        team_id=team_id,
        inject_id=inject,
        response_id=response,
        answer={"v": "x"},
        submitted_at=start + timedelta(minutes=minute),
        drill_minute=minute,
        release_minute=0.0 if inject == "I1" else 30.0,
        max_points=10 if inject == "I1" else 5,
        correct=correct,
        points=points,
        verdict_minute=minute,
        scored_at=start + timedelta(minutes=minute + (1 if by else 0)),
        scored_by_id=by,
        rule="evaluator" if by else "auto: exact (exact)",
    )


def make_ended_drill(s, users, *, state="ended") -> Drill:
    """Team A answers I1 right at minute 4; Team B (named in Arabic) gets it wrong, so I2
    reaches it at minute 30 and it earns 3 + 5 there."""
    version = scenarios.import_text(s, yaml.safe_dump(minimal()), publish=True)
    drill = s.get(Drill, users["drill"].id)
    start = utcnow() - timedelta(minutes=200)
    drill.scenario_version_id = version.id
    drill.starts_at = start
    drill.state = state
    drill.ended_at = start + timedelta(minutes=120) if state == "ended" else None
    drill.time_zone = "UTC"
    s.add(drill)
    team_a, team_b = s.get(Team, users["team"].id), s.get(Team, users["other_team"].id)
    team_b.name = ARABIC_TEAM
    s.add(team_b)
    evaluator = users["evaluator"].id
    s.add_all(
        [
            submission(team_a.id, drill.id, "I1", "R1", 10, True, 4, start),
            submission(team_b.id, drill.id, "I1", "R1", 0, False, 6, start),
            submission(team_b.id, drill.id, "I2", "R1", 3, True, 40, start, by=evaluator),
            submission(team_b.id, drill.id, "I2", "R2", 5, True, 45, start),
            InjectAck(team_id=team_a.id, inject_id="I1",
                      acknowledged_at=start + timedelta(minutes=1)),
            Observation(drill_id=drill.id, team_id=team_a.id, objective_id="O1", kind="strength",
                        text="Found the <b>IP</b> & the user fast.", evaluator_id=evaluator),
            Observation(drill_id=drill.id, team_id=team_b.id, objective_id="O2",
                        kind="improvement", text="Hesitated before calling.",
                        evaluator_id=evaluator),
            RatingOverride(drill_id=drill.id, team_id=team_b.id, objective_id="O1", rating="M",
                           reason="Found it by phone.", evaluator_id=evaluator),
            HotwashAnswer(drill_id=drill.id, team_id=team_a.id, user_id=users["participant"].id,
                          respondent="a" * 64, went_well="Realistic injects", rating=5),
            HotwashAnswer(drill_id=drill.id, team_id=team_b.id, user_id=None, respondent="b" * 64,
                          went_badly="Too fast for us", rating=2),
            ImprovementItem(drill_id=drill.id, team_id=team_b.id, objective_id="O2",
                            capability="Respond", issue="Slow regulator notice",
                            corrective_action="Template for the 72-hour notice",
                            capability_element="planning", responsible_org="National CIRT",
                            contact="Head of CIRT", start_date=date(2026, 12, 1),
                            completion_date=date(2027, 3, 1)),
        ]
    )  # fmt: skip
    s.commit()
    return drill


@pytest.fixture
def ended(app, users):
    with app.app_context():
        s = core_db.session()
        drill = make_ended_drill(s, users)
        return drill.id


def generate(app, drill_id, scope="drill", actor="trainer", users=None):
    with app.app_context():
        s = core_db.session()
        who = s.exec(select(User).where(User.email == f"{actor}@test.example")).first()
        row = report_service.generate(s, s.get(Drill, drill_id), scope, who, utcnow())
        s.commit()
        return row.id, row.pdf, row.data


SECTIONS = [
    "After-Action Report / Improvement Plan",
    "1. Exercise overview",
    "Objectives",
    "2. Results per objective",
    "3. Timeline of injects",
    "4. Scores and ranking",
    "Response times per inject",
    "5. Strengths and areas for improvement",
    "6. Hot-wash feedback",
    "Appendix A: Improvement plan",
    "Appendix B: Participants and evaluators",
    "Appendix C: Rating thresholds",
]


def test_drill_report_has_every_section_and_the_database_numbers(app, users, ended, session):
    _id, data, stored = generate(app, ended)
    text = pages(data)
    whole = "\n".join(text)
    for title in SECTIONS:
        assert title in whole, title
    assert all("TLP:AMBER" in p for p in text)
    # scores as in the database: Team A 10, Team B 3 + 5
    totals = {}
    for team_id, total in session.exec(select(Submission.team_id, Submission.points)):
        totals[team_id] = totals.get(team_id, 0) + total
    assert totals == {users["team"].id: 10, users["other_team"].id: 8}
    assert re.search(r"1\s*Team A\s*10\.0\s*1", whole)
    assert ARABIC_TEAM in whole and "8.0" in whole
    assert [(s["team"], s["total"]) for s in stored["scores"]] == [
        ("Team A", 10.0),
        (ARABIC_TEAM, 8.0),
    ]
    # ratings: A has all of O1 (P); B's O1 is overridden to M with its reason
    assert "P (100 %)" in whole and "M* (0 %)" in whole and "Found it by phone." in whole
    # user text escaped, not read as markup
    assert "Found the <b>IP</b> & the user fast." in whole
    assert "Anonymous" in whole and "Too fast for us" in whole
    assert "Template for the 72-hour notice" in whole and "2027-03-01" in whole
    assert "Evaluator" in whole and "Participant" in whole
    assert "at least 80 % of the points" in whole


def test_charts_are_drawn_as_vectors(app, ended):
    _id, data, _stored = generate(app, ended)
    reader = PdfReader(io.BytesIO(data))
    results = next(p for p in reader.pages if "2. Results per objective" in p.extract_text())
    ops = results.get_contents().get_data().decode("latin-1")
    assert ops.count(" re") >= 8  # heat-map cells and legend boxes
    scores = next(
        p
        for p in reader.pages
        if "Scores by team" in p.extract_text() or "4. Scores" in p.extract_text()
    )
    assert scores.get_contents().get_data().count(b" re") >= 4  # bars and their frames


def test_draft_on_every_page_until_final_and_final_never_changes(app, users, ended, session):
    report_id, data, _ = generate(app, ended)
    assert all("DRAFT" in p for p in pages(data))
    with app.app_context():
        s = core_db.session()
        row = s.get(AfterActionReport, report_id)
        report_service.finalise(s, row, s.get(User, users["trainer"].id), utcnow())
        s.commit()
        final_pdf, checksum = row.pdf, row.checksum
        with pytest.raises(report_service.ReportError):
            report_service.finalise(s, row, s.get(User, users["trainer"].id), utcnow())
    assert not any("DRAFT" in p for p in pages(final_pdf))
    assert "After-Action Report / Improvement Plan" in pages(final_pdf)[0]
    # new facts, then a new generation: version 2; version 1 is untouched
    with app.app_context():
        s = core_db.session()
        late = Observation(drill_id=ended, team_id=users["team"].id, objective_id="O1",
                           kind="strength", text="Late note", evaluator_id=users["evaluator"].id)  # fmt: skip  # noqa: E501
        s.add(late)
        s.commit()
    second_id, second, _ = generate(app, ended)
    session.expire_all()
    first = session.get(AfterActionReport, report_id)
    assert (first.pdf, first.checksum, first.version) == (final_pdf, checksum, 1)
    assert session.get(AfterActionReport, second_id).version == 2
    assert "Late note" in "".join(pages(second)) and "Late note" not in "".join(pages(final_pdf))
    assert hashlib.sha256(first.pdf).hexdigest() == first.checksum


def test_team_report_holds_only_that_team(app, users, ended):
    _id, data, stored = generate(app, ended, scope=f"team-{users['team'].id}")
    whole = "\n".join(pages(data))
    assert "Team A" in whole and "Rank 1 of 2 teams" in whole
    for other in (ARABIC_TEAM, "Hesitated", "Too fast", "Slow regulator", "Participant2"):
        assert other not in whole, other
    assert "Your profile against the median and the best" in whole
    reader = PdfReader(io.BytesIO(data))
    profile = next(p for p in reader.pages if "Your profile" in p.extract_text())
    ops = profile.get_contents().get_data()
    assert ops.count(b" re") >= 6 and len(re.findall(rb"\s[lc]\s", ops)) >= 4  # bars, lines
    # the other team's report: its own (Arabic) name, extracted in reading order
    _id, data, _ = generate(app, ended, scope=f"team-{users['other_team'].id}")
    whole = "\n".join(pages(data))
    assert ARABIC_TEAM in whole and "Team A" not in whole and "Realistic" not in whole
    assert "Rank 2 of 2 teams" in whole


def test_the_scheduler_reports_once_on_a_drill_it_ends(app, users):
    with app.app_context():
        s = core_db.session()
        drill = make_ended_drill(s, users, state="running")
        drill_id = drill.id
        tick = dispatcher.dispatch(s, utcnow())
        assert tick.ended == [drill_id] and tick.reported == [drill_id]
        again = dispatcher.dispatch(s, utcnow())
        assert again.reported == []
        rows = s.exec(select(AfterActionReport).where(AfterActionReport.drill_id == drill_id)).all()
        assert sorted(r.scope for r in rows) == sorted(
            ["drill", f"team-{users['team'].id}", f"team-{users['other_team'].id}"]
        )
        assert all(r.created_by_id is None and r.version == 1 for r in rows)
        events = s.exec(select(AuditEvent).where(AuditEvent.action == "drill.report_generated"))
        assert len(events.all()) == 3


def test_the_scheduler_process_makes_reports_in_a_job_beside_the_clock(app, users):
    from drills import scheduler

    with app.app_context():
        drill_id = make_ended_drill(core_db.session(), users, state="running").id
    scheduler.tick(app, "test:1")  # ends the drill; the reports are not its work
    with app.app_context():
        s = core_db.session()
        assert s.get(Drill, drill_id).state == "ended"
        query = select(AfterActionReport).where(AfterActionReport.drill_id == drill_id)
        assert s.exec(query).all() == []
    scheduler.report(app)
    with app.app_context():
        scopes = core_db.session().exec(query).all()
        assert len(scopes) == 3  # the drill's and both teams'


def test_every_pdf_is_drawn_before_the_first_write(app, users, monkeypatch):
    """On SQLite the first write holds the database until commit: drawing 200 PDFs after it
    would stop the scheduler's clock, which runs in another job, for as long."""
    from sqlalchemy import event

    from drills.reports import service as report_service
    from drills.reports import writer

    happened = []
    real_render = writer.render

    def render(*args, **kwargs):
        happened.append("render")
        return real_render(*args, **kwargs)

    monkeypatch.setattr(writer, "render", render)
    with app.app_context():
        s = core_db.session()
        drill = make_ended_drill(s, users)
        s.commit()

        def statement(_conn, _cursor, sql, *_args):
            if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
                happened.append("write")

        engine = s.get_bind()
        event.listen(engine, "before_cursor_execute", statement)
        try:
            rows = report_service.generate_all(s, drill, None, utcnow())
            s.commit()
        finally:
            event.remove(engine, "before_cursor_execute", statement)
    assert len(rows) == 3 and happened.count("render") == 3
    assert "write" in happened and happened.index("write") > max(
        i for i, what in enumerate(happened) if what == "render"
    )


# --- pages -------------------------------------------------------------------------------


def client_of(app, users, role):
    client = app.test_client()
    assert login(client, users[role].email).status_code == 302
    return client


def test_trainer_generates_finalises_and_downloads(app, users, ended, session):
    client = client_of(app, users, "trainer")
    page = client.get(f"/drills/{ended}/reports")
    assert page.status_code == 200 and "No report yet" in page.get_data(as_text=True)
    token = csrf_from(client, f"/drills/{ended}/reports")
    made = client.post(
        f"/drills/{ended}/reports",
        data={"csrf_token": token, "scope": "all", "marking": "TLP:RED"},
    )
    assert made.status_code == 302
    rows = session.exec(select(AfterActionReport).order_by(AfterActionReport.id)).all()
    assert [r.scope for r in rows] == [
        "drill",
        f"team-{users['team'].id}",
        f"team-{users['other_team'].id}",
    ]
    assert all(r.marking == "TLP:RED" for r in rows)
    assert session.get(Drill, ended).report_marking == "TLP:RED"
    drill_report = rows[0]
    download = client.get(f"/drills/{ended}/reports/{drill_report.id}/download")
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert hashlib.sha256(download.data).hexdigest() == drill_report.checksum
    assert all("TLP:RED" in p and "DRAFT" in p for p in pages(download.data))
    token = csrf_from(client, f"/drills/{ended}/reports")
    done = client.post(
        f"/drills/{ended}/reports/{drill_report.id}/finalise", data={"csrf_token": token}
    )
    assert done.status_code == 302
    final = client.get(f"/drills/{ended}/reports/{drill_report.id}/download").data
    assert not any("DRAFT" in p for p in pages(final))
    page = client.get(f"/drills/{ended}/reports").get_data(as_text=True)
    assert page.count("Finalise</button>") == 2  # the two team reports are still drafts


def test_readers_see_only_what_the_policy_allows(app, users, ended):
    with app.app_context():
        s = core_db.session()
        rows = report_service.generate_all(s, s.get(Drill, ended), None, utcnow())
        s.commit()
        ids = {r.scope: r.id for r in rows}
    mine, theirs = f"team-{users['team'].id}", f"team-{users['other_team'].id}"
    url = f"/drills/{ended}/reports/{{}}/download".format
    member = client_of(app, users, "participant")
    page = member.get(f"/drills/{ended}/reports").get_data(as_text=True)
    # Drafts stay drafts: the team sees its report only once it is final.
    assert "Team: Team A" not in page and ARABIC_TEAM not in page and "The whole drill" not in page
    assert member.get(url(ids[mine])).status_code == 403
    with app.app_context():
        s = core_db.session()
        for report_id in ids.values():
            admin = s.get(User, users["admin"].id)
            report_service.finalise(s, s.get(AfterActionReport, report_id), admin, utcnow())
        s.commit()
    page = member.get(f"/drills/{ended}/reports").get_data(as_text=True)
    assert "Team: Team A" in page and ARABIC_TEAM not in page and "The whole drill" not in page
    assert member.get(url(ids[mine])).status_code == 200
    assert member.get(url(ids[theirs])).status_code == 403
    assert member.get(url(ids["drill"])).status_code == 403
    assert member.get(f"/drills/{ended}/export.json").status_code == 403
    evaluator = client_of(app, users, "evaluator")
    assert evaluator.get(url(ids["drill"])).status_code == 200
    assert evaluator.get(url(ids[mine])).status_code == 403
    assert client_of(app, users, "other_evaluator").get(url(ids["drill"])).status_code == 403
    admin = client_of(app, users, "admin")
    assert admin.get(url(ids[theirs])).status_code == 200
    assert (
        admin.get(f"/drills/{users['other_drill'].id}/reports/{ids['drill']}/download").status_code
        == 404
    )  # noqa: E501


def test_exports_hold_the_database_figures(app, users, ended, session):
    trainer = client_of(app, users, "trainer")
    exported = trainer.get(f"/drills/{ended}/export.json")
    assert exported.headers["Content-Disposition"].startswith("attachment;")
    data = exported.get_json()
    assert len(data["submissions"]) == len(session.exec(select(Submission)).all()) == 4
    assert {s["team"]: s["total"] for s in data["scores"]} == {"Team A": 10.0, ARABIC_TEAM: 8.0}
    assert {(r["team_id"], r["inject_id"]) for r in data["releases"]} == {
        (users["team"].id, "I1"),
        (users["other_team"].id, "I1"),
        (users["other_team"].id, "I2"),
    }
    assert [o["text"] for o in data["observations"]][0] == "Found the <b>IP</b> & the user fast."
    csv_text = trainer.get(f"/drills/{ended}/export/submissions.csv").get_data(as_text=True)
    assert csv_text.splitlines()[0].startswith("team_id,inject_id,response_id,attempt")
    assert len(csv_text.strip().splitlines()) == 5
    scores = trainer.get(f"/drills/{ended}/export/scores.csv").get_data(as_text=True)
    assert "objective O1" in scores.splitlines()[0]
    assert trainer.get(f"/drills/{ended}/export/secrets.csv").status_code == 404


def test_a_formula_in_a_csv_cell_is_defused():
    assert tables.safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert tables.safe_cell("plain") == "plain" and tables.safe_cell(3) == 3


# --- layout with many teams (pure: data in, PDF out) -------------------------------------


def big_inputs(n_teams: int, n_objectives: int):
    from datetime import UTC, datetime

    document = minimal()
    document["objectives"] = [
        {"id": f"OBJ{k}", "text": f"Objective {k}", "capability": "Respond", "gci_pillar": "ORG"}
        for k in range(n_objectives)
    ]
    document["injects"] = [
        {
            "id": f"I{k}",
            "offset_minutes": k,
            "title": f"Inject {k}",
            "channel": "email",
            "body": "b",
            "objectives": [f"OBJ{k}"],
            "responses": [
                {"id": "R1", "prompt": "p", "type": "exact", "answer": "a", "points": 10,
                 "scoring": "auto", "objectives": [f"OBJ{k}"]}
            ],
        }
        for k in range(n_objectives)
    ]  # fmt: skip
    scenario, problems = read(document)
    assert scenario is not None, problems
    t0 = datetime(2026, 11, 23, 8, tzinfo=UTC)
    long_name = "Computer Incident Response Team of the Ministry of Digital Affairs no. "
    teams = [records.TeamInfo(i, f"{long_name}{i}", "Country") for i in range(1, n_teams + 1)]
    answers = [
        records.Answer(t.id, f"I{k}", "R1", 1, (t.id + k) % 3 != 0, 10.0 * ((t.id + k) % 3 != 0),
                   t0 + timedelta(minutes=k + t.id % 17), t0 + timedelta(minutes=k + t.id % 17),
                   k + t.id % 17, k, k + t.id % 17)
        for t in teams
        for k in range(n_objectives)
    ]  # fmt: skip
    releases = [
        records.Release(t.id, f"I{k}", t0 + timedelta(minutes=k))
        for t in teams
        for k in range(n_objectives)
    ]
    info = records.DrillInfo(
        1, "Big drill", t0, t0 + timedelta(hours=3), "UTC", "ended", "TLP:GREEN"
    )
    return records.Inputs(info, scenario, teams, answers, releases)


@pytest.mark.parametrize(("n_teams", "n_objectives"), [(200, 5), (70, 16)])
def test_many_teams_and_objectives_fit_the_page(app, n_teams, n_objectives):
    from core import pdf

    data = {**content.build(big_inputs(n_teams, n_objectives)), "generated_at": None}
    with app.app_context():
        report = pdf.Report(title="t", marking="TLP:GREEN")
        story = writer._Writer(report, data, 1).story()
        document = writer.render(data, final=True)  # a flowable too big for a page fails here

    def flat(items):
        for item in items:
            yield item
            yield from flat(getattr(item, "_content", []))
            for row in getattr(item, "_cellvalues", []):
                yield from flat([c for c in row if hasattr(c, "wrap")])

    drawings = [f for f in flat(story) if isinstance(f, Drawing)]
    assert drawings and all(d.width <= report.width + 0.5 for d in drawings)
    assert all(d.height <= 700 for d in drawings)
    text = " ".join(pages(document))
    for n in (1, n_teams // 2, n_teams):  # long names wrap, nothing is cut off
        assert f"Ministry of Digital Affairs no. {n} " in text
    assert f"OBJ{n_objectives - 1}" in text


@pytest.mark.parametrize(
    ("locale", "heading"),
    [
        ("fr", "2. Résultats par objectif"),
        ("ar", "النتائج حسب الهدف"),
        ("zh", "各目标的结果"),
    ],
)
def test_the_report_is_drawn_in_the_reader_s_language(app, users, ended, locale, heading):
    from core import pdf

    if locale == "zh":
        try:
            pdf.fonts_for("zh")
        except pdf.FontMissing:
            pytest.skip("fonts-wqy-zenhei is not installed")
    with app.app_context():
        s = core_db.session()
        trainer = s.get(User, users["trainer"].id)
        row = report_service.generate(s, s.get(Drill, ended), "drill", trainer, utcnow(), locale)
        s.commit()
        data, stored_locale = row.pdf, row.data["locale"]
    text = " ".join(pages(data))
    assert stored_locale == locale
    assert heading in text
    assert ARABIC_TEAM in text and "Team A" in text


def test_a_chinese_name_in_an_english_report_gets_a_font_that_has_it(app):
    from dataclasses import replace

    from core import pdf

    try:
        cjk = pdf.fonts_for("zh").regular
    except pdf.FontMissing:
        pytest.skip("fonts-wqy-zenhei is not installed")
    facts = big_inputs(3, 2)
    facts.teams = [replace(facts.teams[0], name="国家计算机应急响应中心"), *facts.teams[1:]]
    with app.app_context():
        document = writer.render({**content.build(facts), "generated_at": None}, final=False)
    assert "国家计算机应急响应中心" in " ".join(pages(document))
    fonts = {
        str(f.get_object().get("/BaseFont"))
        for page in PdfReader(io.BytesIO(document)).pages
        for f in page["/Resources"]["/Font"].values()
    }
    assert any("WenQuanYi" in name for name in fonts), (cjk, fonts)


def test_a_report_that_fails_is_tried_once_and_recorded(app, users, ended, monkeypatch):

    def broken(*_args, **_kwargs):
        raise RuntimeError("no ink")

    monkeypatch.setattr(writer, "render", broken)  # the only way to make a good drill fail
    with app.app_context():
        s = core_db.session()
        assert report_service.generate_due(s, utcnow()) == []
        assert report_service.pending_drills(s) == []  # not again on every tick
        failed = s.exec(select(AuditEvent).where(AuditEvent.action == "drill.report_failed"))
        assert "no ink" in failed.one().details["error"]
        assert s.exec(select(AfterActionReport)).all() == []


def test_a_participant_gets_no_draft_and_no_export_at_any_report_url(app, users, ended):
    """Every GET route of the drills blueprint that serves a report or an export, filled with
    every report of the drill (drafts, as the scheduler makes them when a drill ends)."""
    with app.app_context():
        s = core_db.session()
        rows = report_service.generate_all(s, s.get(Drill, ended), None, utcnow())
        s.commit()
        report_ids = [r.id for r in rows]
    member = client_of(app, users, "participant")
    rules = [
        r
        for r in app.url_map.iter_rules()
        if r.endpoint.startswith("drills.")
        and "GET" in r.methods
        and ("report" in r.rule or "export" in r.rule)
    ]
    walked = 0
    for rule in rules:
        values = {"drill_id": ended}
        for report_id in report_ids if "report_id" in rule.arguments else [None]:
            if report_id is not None:
                values["report_id"] = report_id
            tables = export.CSV_TABLES if "table" in rule.arguments else [None]
            for table in tables:
                if table is not None:
                    values["table"] = table
                path = rule.build(values)[1]
                response = member.get(path)
                walked += 1
                if response.status_code == 200:
                    assert response.mimetype == "text/html", path  # the listing page only
                    assert "/download" not in response.get_data(as_text=True), path
                else:
                    assert response.status_code in (403, 404), (path, response.status_code)
    assert walked >= len(report_ids) + len(export.CSV_TABLES) + 2


# Texts people paste that broke reports: an Arabic answer with bidi isolates (what Arabic
# keyboards and word processors insert), overrides and marks, form-limit lengths, one
# unbroken word, NUL and control characters, emoji, markup.
HOSTILE = [
    "شكرا \u2067ok\u2069",
    "\u2068مرحبا\u2069 (world) \u2066١٢٣\u2069",
    "\u202eoverride\u202c \u200f\u200e\u061c",
    "رد " * 1400,
    "x" * 4000,
    "NUL\x00 and \x01\x07\x1b[31m controls",
    "😀 🇰🇪 👩🏽‍💻 \u0301\u0301",
    "<b>&amp;</b> <font color=red>x</font> </para>",
    "长文本" * 1300,
]


def fit(model, column: str, text: str) -> str:
    """The text cut to what the column holds (the forms' own limits are at most that), without
    NUL, which PostgreSQL does not store in text (its refusal at the form is another test's)."""
    length = model.__table__.c[column].type.length
    text = text.replace("\x00", "")
    return text[:length] if length else text


@pytest.mark.parametrize("locale", ["en", "fr", "es", "ar", "ru", "zh"])
def test_every_report_renders_whatever_text_the_forms_accept(app, users, ended, locale):
    with app.app_context():
        s = core_db.session()
        drill = s.get(Drill, ended)
        for i, text in enumerate(HOSTILE):
            team = drill.teams[i % len(drill.teams)]
            s.add_all(
                [
                    Observation(drill_id=drill.id, team_id=team.id, objective_id="O1",
                                kind="strength", text=fit(Observation, "text", text),
                                evaluator_id=users["evaluator"].id),
                    HotwashAnswer(drill_id=drill.id, team_id=team.id, user_id=None,
                                  respondent=f"{i:064d}",
                                  went_well=fit(HotwashAnswer, "went_well", text),
                                  went_badly=fit(HotwashAnswer, "went_badly", text), rating=3),
                    ImprovementItem(drill_id=drill.id, team_id=team.id, objective_id="O2",
                                    capability="Respond",
                                    issue=fit(ImprovementItem, "issue", text),
                                    corrective_action=fit(ImprovementItem, "corrective_action",
                                                          text),
                                    capability_element="planning",
                                    responsible_org=fit(ImprovementItem, "responsible_org", text),
                                    contact=fit(ImprovementItem, "contact", text)),
                ]
            )  # fmt: skip
        drill.teams[0].name = fit(Team, "name", HOSTILE[0] + " " + HOSTILE[2])
        s.commit()
        rows = report_service.generate_all(s, drill, None, utcnow(), locale)
        s.commit()
        assert {r.scope for r in rows} == {"drill"} | {f"team-{t.id}" for t in drill.teams}
        for row in rows:
            text = " ".join(pages(row.pdf))
            assert text  # drawn, readable back
