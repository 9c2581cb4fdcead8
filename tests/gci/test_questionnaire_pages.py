"""The questionnaire through HTTP: versioned autosave (409 on a stale version), read-only
after submitting, hidden sub-answers ignored, evidence checked by content and size, served
only as a download, and kept from other countries' focal points."""

import csv
import io
from datetime import timedelta

from sqlalchemy import event
from sqlmodel import Session, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from core import countries
from core import db as core_db
from core.models import AuditEvent, Country, User, utcnow
from gci.cycles import service as cycles
from gci.models import Answer, Evidence, FrameworkVersion, Questionnaire
from gci.questionnaire import answers, moves, reading
from gci.questionnaire import review as reviewing
from gci.results import snapshots
from tests.conftest import csrf_from, login
from tests.factories import BASE, save, token
from tests.factories import EVIDENCE_PDF as PDF


def answer_all(client, csrf, q1="no"):
    values = {
        "q1": q1,
        "q2": "partial",
        "q3": "some",
        "q4": ["a"],
        "q5": 4,
        "q6": "Notes",
        "q7": "yes",
        "q8": "no",
        "q9": "no",
        "q10": "no",
    }
    for code, value in values.items():
        assert save(client, code, value, 0, csrf).status_code == 200, code


def move(client, action, csrf, comment=""):
    return client.post(
        f"{BASE}/move", data={"action": action, "csrf_token": csrf, "comment": comment}
    )


def submit_as_focal_point(client, users):
    """Kenya's focal point answers everything and submits, then logs out."""
    login(client, users["focal_point"].email)
    csrf = token(client)
    answer_all(client, csrf)
    move(client, "submit", csrf)
    logout(client)


def state(session):
    session.expire_all()
    return session.exec(select(Questionnaire)).one().state


def test_an_answer_saves_with_its_version_and_a_stale_save_gets_409(
    client, open_cycle, users, session
):
    login(client, users["focal_point"].email)
    csrf = token(client)
    first = save(client, "q2", "partial", 0, csrf)
    assert first.status_code == 200
    body = first.get_json()
    assert body["version"] == 1 and body["value"] == "partial"
    assert body["pillars"]["LEG"].startswith("1 of 3 answered")
    assert list(body["pillars"]) == ["LEG"]  # only the progress this save changed
    assert len(body["indicators"]) == 1
    assert body["whatif"]["overall"] != "0.00"
    # another tab still thinks there is no answer
    stale = save(client, "q2", "yes", 0, csrf)
    assert stale.status_code == 409
    assert stale.get_json() | {"message": ""} == {
        "reason": "stale",
        "value": "partial",
        "version": 1,
        "message": "",
    }
    # "keep mine": send again on top of the server's version
    assert save(client, "q2", "yes", 1, csrf).get_json()["version"] == 2
    row = session.exec(select(Answer).where(Answer.question_code == "q2")).one()
    assert row.value == {"v": "yes"} and row.version == 2 and not row.accepted
    history = client.get(f"{BASE}/history/q2").get_data(as_text=True)
    assert "partial → yes" in history and "— → partial" in history
    events = session.exec(
        select(AuditEvent).where(AuditEvent.action == "gci.answer.saved").order_by(AuditEvent.id)
    ).all()
    assert [e.details["value"] for e in events] == ["partial", "yes"]


def test_a_save_that_lost_the_race_after_reading_gets_409(app, client, open_cycle, users, session):
    """The version is checked by the write itself: another tab's save from the same version
    that commits between this save's read and its write wins, and this one gets 409 with the
    other's answer (nothing is overwritten unseen)."""
    login(client, users["focal_point"].email)
    csrf = token(client)
    assert save(client, "q2", "partial", 0, csrf).status_code == 200
    focal_point_id = users["focal_point"].id
    with app.app_context():
        engine = core_db.engine()
    raced = []

    def other_tab_saves_first(_conn, _cursor, statement, *_args):
        if raced or not statement.startswith("UPDATE gci_answer"):
            return
        raced.append(statement)
        with Session(engine) as other:
            cycle = cycles.cycle_by_code(other, "Q-2026")
            kenya = countries.by_iso3(other, "KEN")
            actor = other.get(User, focal_point_id)
            answers.save_answer(other, cycle, kenya, "q2", "no", 1, actor, utcnow().date())
            other.commit()

    event.listen(engine, "before_cursor_execute", other_tab_saves_first)
    try:
        late = save(client, "q2", "yes", 1, csrf)
    finally:
        event.remove(engine, "before_cursor_execute", other_tab_saves_first)
    assert raced
    assert late.status_code == 409
    assert late.get_json() | {"message": ""} == {
        "reason": "stale",
        "value": "no",
        "version": 2,
        "message": "",
    }
    session.expire_all()
    row = session.exec(select(Answer).where(Answer.question_code == "q2")).one()
    assert row.value == {"v": "no"} and row.version == 2
    events = session.exec(
        select(AuditEvent).where(AuditEvent.action == "gci.answer.saved").order_by(AuditEvent.id)
    ).all()
    assert [(e.details["previous"], e.details["value"]) for e in events] == [
        (None, "partial"),
        ("partial", "no"),
    ]


def test_one_autosave_takes_four_sql_statements(app, client, open_cycle, users):
    """The autosave's queries, pinned so that a gain cannot silently regress: the signed-in
    user (session token) with the cycle, its country, questionnaire and framework version,
    the country's answers, the versioned write, and its audit event."""
    login(client, users["focal_point"].email)
    csrf = token(client)
    assert save(client, "q2", "partial", 0, csrf).status_code == 200
    with app.app_context():
        engine = core_db.engine()
    statements = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement.split()[0] + " " + statement.split("FROM ")[-1].split()[0])

    event.listen(engine, "before_cursor_execute", count)
    try:
        assert save(client, "q2", "yes", 1, csrf).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == 4, statements
    assert [s.split()[0] for s in statements] == ["SELECT", "SELECT", "UPDATE", "INSERT"]


def test_bad_answers_are_refused_with_422(client, open_cycle, users, session):
    login(client, users["focal_point"].email)
    csrf = token(client)
    assert save(client, "nope", "yes", 0, csrf).status_code == 422
    refused = save(client, "q1", "maybe", 0, csrf)
    assert refused.status_code == 422 and "answer one of yes, no" in refused.get_json()["message"]
    assert save(client, "q1", "yes", "1", csrf).status_code == 422  # version must be a number
    assert session.exec(select(Answer)).all() == []


def test_clearing_an_answer_deletes_it(client, open_cycle, users, session):
    login(client, users["focal_point"].email)
    csrf = token(client)
    save(client, "q6", "Some text", 0, csrf)
    assert save(client, "q6", None, 1, csrf).get_json()["version"] == 0
    assert session.exec(select(Answer)).all() == []


def test_hidden_sub_answers_neither_count_nor_score_nor_are_required(client, open_cycle, users):
    login(client, users["focal_point"].email)
    csrf = token(client)
    save(client, "q1", "yes", 0, csrf)
    with_sub = save(client, "q1a", "yes", 0, csrf).get_json()
    assert "q1a" in with_sub["visible"]
    assert with_sub["pillars"]["LEG"].startswith("2 of 4")
    without = save(client, "q1", "no", 1, csrf).get_json()
    assert "q1a" not in without["visible"]
    assert without["pillars"]["LEG"].startswith("1 of 3")
    assert float(without["whatif"]["pillars"]["LEG"]) == 0.0  # q1a's yes is not counted
    page = client.get(f"{BASE}/pillars/LEG").get_data(as_text=True)
    assert 'id="q-q1a" class="question sub" data-code="q1a"' in page
    assert 'data-parent="q1" data-shown-when="yes" hidden' in page
    check = client.get(f"{BASE}/check").get_data(as_text=True)
    assert "#q-q2" in check and "#q-q1a" not in check


def test_submit_needs_everything_then_answers_are_read_only(client, open_cycle, users, session):
    login(client, users["focal_point"].email)
    csrf = token(client)
    answer_all(client, csrf, q1="yes")
    save(client, "q1a", "no", 0, csrf)
    refused = move(client, "submit", csrf)
    assert refused.status_code == 302 and refused.location.endswith(f"{BASE}/check")
    check = client.get(f"{BASE}/check").get_data(as_text=True)
    assert "evidence needed for this answer" in check and "#q-q1" in check
    assert session.exec(select(Questionnaire)).one().state == "draft"

    upload = client.post(
        f"{BASE}/questions/q1/evidence",
        data={"csrf_token": csrf, "description": "The law", "url": "https://example.org/law"},
    )
    assert upload.status_code == 302
    assert move(client, "submit", csrf).status_code == 302
    assert state(session) == "submitted"
    locked = save(client, "q2", "yes", 1, csrf)
    assert locked.status_code == 409 and locked.get_json()["reason"] == "read_only"
    assert "cannot change until an analyst asks for clarification" in locked.get_json()["message"]
    late = client.post(
        f"{BASE}/questions/q1/evidence",
        data={"csrf_token": csrf, "description": "More", "url": "https://example.org/2"},
    )
    assert late.status_code == 409
    assert import_csv(client, csrf, "question_code,answer\nq2,yes\n").status_code == 409
    page = client.get(f"{BASE}/pillars/LEG").get_data(as_text=True)
    assert "Read-only" in page and "questionnaire.js" not in page

    # the analyst sends it back; the focal point may change answers again and resubmit
    client.post("/logout", data={"csrf_token": csrf})
    login(client, users["analyst"].email)
    staff_csrf = token(client, BASE)
    move(client, "start_review", staff_csrf)
    move(client, "request_clarification", staff_csrf, "Which law?")
    assert state(session) == "clarification_requested"
    client.post("/logout", data={"csrf_token": staff_csrf})
    login(client, users["focal_point"].email)
    csrf = token(client)
    assert save(client, "q2", "yes", 1, csrf).status_code == 200
    assert move(client, "resubmit", csrf).status_code == 302
    assert state(session) == "resubmitted"
    actions = [
        e.action
        for e in session.exec(
            select(AuditEvent).where(AuditEvent.object_type == "gci_questionnaire")
        )
    ]
    assert actions == [
        "gci.questionnaire.submit",
        "gci.questionnaire.start_review",
        "gci.questionnaire.request_clarification",
        "gci.questionnaire.resubmit",
    ]


def test_an_illegal_move_says_what_is_possible(client, open_cycle, users, session):
    login(client, users["focal_point"].email)
    csrf = token(client)
    response = move(client, "validate", csrf)
    page = client.get(response.location).get_data(as_text=True)
    assert "cannot take this step (Validate)" in page
    assert "What you can do now: Submit the questionnaire." in page


def upload(client, csrf, data, name="law.pdf", code="q1", description="The law"):
    # encoded here, in memory: the test client would spool a large body to an unclosed file
    boundary, body = encode_multipart(
        {
            "csrf_token": csrf,
            "description": description,
            "file": FileStorage(io.BytesIO(data), name),
        }
    )
    return client.post(
        f"{BASE}/questions/{code}/evidence",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def test_evidence_files_are_checked_by_content_and_served_only_as_downloads(
    app, client, open_cycle, users, session, tmp_path
):
    login(client, users["focal_point"].email)
    csrf = token(client)
    folder = tmp_path / "evidence"
    html = upload(client, csrf, b"<html><script>alert(1)</script></html>", "report.pdf")
    assert html.status_code == 415
    assert "judged by its content" in html.get_data(as_text=True)
    assert session.exec(select(Evidence)).all() == [] and list(folder.glob("*")) == []

    assert upload(client, csrf, PDF, "../../etc/Cyber law.pdf").status_code == 302
    item = session.exec(select(Evidence)).one()
    assert item.filename == "Cyber_law.pdf" and item.content_type == "application/pdf"
    stored = list(folder.iterdir())
    assert [p.name for p in stored] == [item.stored_name] and len(item.stored_name) == 32
    assert stored[0].read_bytes() == PDF

    download = client.get(f"{BASE}/evidence/{item.id}")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert "Cyber_law.pdf" in download.headers["Content-Disposition"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.mimetype == "application/pdf"
    download.close()
    assert "Cyber_law.pdf" in client.get(f"{BASE}/pillars/LEG").get_data(as_text=True)

    app.config["UPLOAD_MAX_MB"] = 1
    big = upload(client, csrf, PDF + b"0" * (1024 * 1024))
    assert big.status_code == 413 and "the limit is 1 MB" in big.get_data(as_text=True)
    assert len(list(folder.iterdir())) == 1

    bad_link = client.post(
        f"{BASE}/questions/q1/evidence",
        data={"csrf_token": csrf, "description": "x", "url": "javascript:alert(1)"},
    )
    assert bad_link.status_code == 422
    no_description = upload(client, csrf, PDF, description="")
    assert no_description.status_code == 400

    removed = client.post(f"{BASE}/evidence/{item.id}/delete", data={"csrf_token": csrf})
    assert removed.status_code == 302
    assert session.exec(select(Evidence)).all() == [] and list(folder.iterdir()) == []
    actions = [
        e.action
        for e in session.exec(select(AuditEvent).where(AuditEvent.object_type == "gci_answer"))
    ]
    assert actions == ["gci.evidence.added", "gci.evidence.removed"]


def test_other_countries_and_roles_are_kept_out(client, open_cycle, users, session):
    login(client, users["focal_point"].email)
    csrf = token(client)
    upload(client, csrf, PDF)
    save(client, "q2", "yes", 0, csrf)
    item = session.exec(select(Evidence)).one()
    client.post("/logout", data={"csrf_token": csrf})

    login(client, users["other_focal_point"].email)
    csrf = csrf_from(client, "/account")
    for path in ("", "/pillars/LEG", "/check", f"/evidence/{item.id}", "/history/q2"):
        assert client.get(BASE + path).status_code == 404, path
    assert save(client, "q2", "no", 1, csrf).status_code == 404
    assert upload(client, csrf, PDF).status_code == 404
    assert (
        client.post(f"{BASE}/evidence/{item.id}/delete", data={"csrf_token": csrf}).status_code
        == 404
    )
    assert client.get("/gci/questionnaires/Q-2026/FRA").status_code == 200  # their own
    # evidence is addressed through its own questionnaire only
    assert client.get(f"/gci/questionnaires/Q-2026/FRA/evidence/{item.id}").status_code == 404
    client.post("/logout", data={"csrf_token": csrf})

    login(client, users["trainer"].email)
    assert client.get(BASE).status_code == 403
    client.post("/logout", data={"csrf_token": csrf_from(client, "/account")})
    login(client, users["analyst"].email)
    analyst_download = client.get(f"{BASE}/evidence/{item.id}")
    assert analyst_download.status_code == 200
    analyst_download.close()
    csrf = csrf_from(client, "/account")
    assert save(client, "q2", "no", 1, csrf).status_code == 403  # analysts do not answer
    assert session.exec(select(Answer)).one().value == {"v": "yes"}


def test_the_focal_point_finds_the_open_questionnaire(client, open_cycle, users):
    login(client, users["focal_point"].email)
    response = client.get("/gci/questionnaire")
    assert response.status_code == 302 and response.location.endswith(BASE)
    page = client.get(BASE).get_data(as_text=True)
    assert "0 of 10 answered" in page  # q1a hidden until q1 is yes
    assert "Score of these answers if accepted" in page


def test_a_closed_cycle_takes_no_answers(client, open_cycle, users, session, app):
    with app.app_context():
        cycle = cycles.cycle_by_code(core_db.session(), "Q-2026")
        cycle.closes_on = utcnow().date() - timedelta(days=1)
        core_db.session().add(cycle)
        core_db.session().commit()
    login(client, users["focal_point"].email)
    csrf = token(client)
    refused = save(client, "q2", "yes", 0, csrf)
    assert refused.status_code == 409 and refused.get_json()["reason"] == "closed"
    move(client, "submit", csrf)
    assert session.exec(select(Questionnaire)).all() == []  # nor a hand-in
    assert "not open for answers now" in client.get(BASE).get_data(as_text=True)


def test_admin_sees_progress_filters_and_sets_the_window(client, open_cycle, users, session):
    login(client, users["focal_point"].email)
    csrf = token(client)
    save(client, "q8", "yes", 0, csrf)
    client.post("/logout", data={"csrf_token": csrf})
    login(client, users["admin"].email)
    page = client.get("/gci/cycles/Q-2026/progress").get_data(as_text=True)
    assert "Not yet submitted: 193 countries" in page or "Not yet submitted: 19" in page
    kenya = page[page.index(">Kenya<") :][:400]
    assert "in progress" in kenya and ">100<" in kenya  # CAP: q8 of q8
    filtered = client.get("/gci/cycles/Q-2026/progress?status=in_progress").get_data(as_text=True)
    assert "Kenya" in filtered and "France" not in filtered
    africa = client.get("/gci/cycles/Q-2026/progress?region=Europe").get_data(as_text=True)
    assert "France" in africa and "Kenya" not in africa
    assert client.get("/gci/cycles/Q-2026/progress?status=lost").status_code == 400

    csrf = csrf_from(client, "/gci/cycles/Q-2026/progress")
    response = client.post(
        "/gci/cycles/Q-2026/settings",
        data={"csrf_token": csrf, "opens_on": "2026-12-01", "closes_on": "2026-11-30"},
    )
    assert "The closing date comes before the opening date." in client.get(
        response.location
    ).get_data(as_text=True)
    client.post(
        "/gci/cycles/Q-2026/settings",
        data={"csrf_token": csrf, "opens_on": "2026-01-01", "closes_on": "2026-12-31"},
    )
    session.expire_all()
    cycle = cycles.cycle_by_code(session, "Q-2026")
    assert str(cycle.opens_on) == "2026-01-01" and cycle.show_whatif is False
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "gci.cycle.settings")).one()
    client.post("/logout", data={"csrf_token": csrf})
    login(client, users["analyst"].email)
    assert client.get("/gci/cycles/Q-2026/progress").status_code == 200
    csrf = csrf_from(client, "/gci/cycles/Q-2026/progress")
    assert client.post("/gci/cycles/Q-2026/settings", data={"csrf_token": csrf}).status_code == 403
    assert session.exec(select(Country).where(Country.iso3 == "KEN")).one()


def test_the_demo_focal_point_has_an_open_questionnaire(runner, client, session):
    from core.demo import DEMO_PASSWORD, demo_email
    from gci.demo import OPEN_CYCLE

    assert "Demo data loaded." in runner.invoke(args=["demo", "load"]).output
    login(client, demo_email("focal.point"), DEMO_PASSWORD)
    response = client.get("/gci/questionnaire")
    assert response.location.endswith(f"/gci/questionnaires/{OPEN_CYCLE}/KEN")
    page = client.get(response.location).get_data(as_text=True)
    assert "draft" in page and "Submit the questionnaire" in page
    kenya = session.exec(select(Country).where(Country.iso3 == "KEN")).one()
    found = session.exec(select(Questionnaire).where(Questionnaire.country_id == kenya.id)).one()
    assert found.state == "draft"


def logout(client):
    client.post("/logout", data={"csrf_token": csrf_from(client, "/account")})


def review(client, code, decision, csrf, comment="", value=""):
    return client.post(
        f"{BASE}/questions/{code}/review",
        data={"decision": decision, "comment": comment, "value": value, "csrf_token": csrf},
    )


def test_the_analyst_reviews_each_answer_and_the_country_approves(
    client, open_cycle, users, session
):
    submit_as_focal_point(client, users)

    login(client, users["analyst"].email)
    queue = client.get("/gci/review").get_data(as_text=True)
    assert "Kenya" in queue and "submitted" in queue
    csrf = token(client, BASE)
    refused = review(client, "q8", "accept", csrf)  # not in review yet
    assert "only while the questionnaire is in review" in client.get(refused.location).get_data(
        as_text=True
    )
    move(client, "start_review", csrf)
    review(client, "q2", "accept", csrf)
    review(client, "q3", "clarify", csrf, "Which agencies are covered?")
    review(client, "q8", "correct", csrf, "The 2024 campaign reached every county.", "yes")
    assert "What is unclear" in client.get(f"{BASE}/pillars/LEG").get_data(as_text=True)
    move(client, "request_clarification", csrf, "Two points on the legal pillar.")
    rows = qs_answers(session)
    assert rows["q2"].accepted and not rows["q3"].accepted
    assert rows["q8"].value == {"v": "yes"} and rows["q8"].accepted and rows["q8"].version == 2
    logout(client)

    login(client, users["focal_point"].email)
    overview = client.get(BASE).get_data(as_text=True)
    assert "The analysts ask" in overview and "Two points on the legal pillar." in overview
    assert f'{BASE}/pillars/LEG#q-q3">q3</a>: Which agencies are covered?' in overview
    assert "no reply yet" in overview and "q8</a>" not in overview  # corrected, not asked
    page = client.get(f"{BASE}/pillars/LEG").get_data(as_text=True)
    assert "Which agencies are covered?" in page and "Your reply to the analyst" in page
    assert "Accepted by an analyst." in page
    capacity = client.get(f"{BASE}/pillars/CAP").get_data(as_text=True)
    assert "Analyst corrected the answer" in capacity
    assert "The 2024 campaign reached every county." in capacity
    csrf = token(client)
    assert "No analyst asked about q2" in client.get(
        client.post(
            f"{BASE}/questions/q2/reply", data={"comment": "?", "csrf_token": csrf}
        ).location
    ).get_data(as_text=True)
    client.post(
        f"{BASE}/questions/q3/reply", data={"comment": "All ministries.", "csrf_token": csrf}
    )
    assert "— replied" in client.get(BASE).get_data(as_text=True)
    move(client, "resubmit", csrf)
    history = client.get(f"{BASE}/history/q3").get_data(as_text=True)
    assert "analyst asked" in history and "All ministries." in history
    logout(client)

    login(client, users["analyst"].email)
    csrf = token(client, BASE)
    move(client, "start_review", csrf)
    move(client, "validate", csrf)
    page = client.get(move(client, "publish", csrf).location).get_data(as_text=True)
    assert "published with the cycle&#39;s results" in page  # never by this step alone
    logout(client)
    login(client, users["focal_point"].email)
    move(client, "approve", token(client))
    logout(client)
    assert state(session) == "approved"  # published with the cycle's results, tested below


def qs_answers(session):
    session.expire_all()
    return {a.question_code: a for a in session.exec(select(Answer))}


def import_csv(client, csrf, text: str):
    boundary, body = encode_multipart(
        {"csrf_token": csrf, "file": FileStorage(io.BytesIO(text.encode()), "answers.csv")}
    )
    return client.post(
        f"{BASE}/import", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


def test_answers_export_and_import_round_trip_all_or_nothing(client, open_cycle, users, session):
    login(client, users["focal_point"].email)
    csrf = token(client)
    bad = import_csv(
        client,
        csrf,
        "question_code,answer\nq1,maybe\nq99,yes\nq2,partial\nq2,yes\nq5,ten\nq4,a|z\n",
    )
    assert bad.status_code == 422
    page = bad.get_data(as_text=True)
    for expected in [
        "row 2: q1: &#39;maybe&#39; is not possible",
        "row 3: q99 is not a question of this cycle",
        "row 5: q2 is answered twice in this file",
        "row 6: q5: &#39;ten&#39; is not possible; answer a number",
        "row 7: q4: &#39;a|z&#39; is not possible",
    ]:
        assert expected in page, expected
    assert session.exec(select(Answer)).all() == []  # nothing stored

    good = import_csv(
        client, csrf, "question_code,answer,note\nq1,yes\nq4,a|c\nq5,7\nq6,=SUM(A1)\nq8,\n"
    )
    assert good.status_code == 302
    flashed = client.get(BASE).get_data(as_text=True)
    assert "4 answers imported (4 changed, 1 empty rows skipped)" in flashed
    rows = qs_answers(session)
    assert rows["q4"].value == {"v": ["a", "c"]} and rows["q5"].value == {"v": 7}
    assert rows["q6"].value == {"v": "=SUM(A1)"}

    exported = client.get(f"{BASE}/answers.csv")
    assert (
        exported.headers["Content-Disposition"] == 'attachment; filename="Q-2026-KEN-answers.csv"'
    )
    text = exported.get_data(as_text=True)
    assert (
        text.splitlines()[0]
        == "question_code,pillar,question,answer,shown,accepted,version,evidence"
    )
    assert "q1a,LEG,Question q1a?,,True,False,0,0" in text  # shown: q1 is yes
    assert "q6,TEC,Tell us,'=SUM(A1),True,False,1,0" in text  # not a formula in a spreadsheet
    assert "q4,TEC,Tick,a|c,True" in text
    data = client.get(f"{BASE}/answers.json").get_json()
    assert data["country"] == "KEN" and data["state"] == "draft"
    assert {a["question_code"]: a["answer"] for a in data["answers"]}["q4"] == ["a", "c"]
    # the export imports back unchanged
    again = import_csv(client, csrf, text)
    assert again.status_code == 302
    assert "(0 changed" in client.get(BASE).get_data(as_text=True)
    assert qs_answers(session)["q6"].value == {"v": "=SUM(A1)"}

    logout(client)
    login(client, users["other_focal_point"].email)
    assert client.get(f"{BASE}/answers.csv").status_code == 404
    assert import_csv(client, csrf_from(client, "/account"), text).status_code == 404


def _exported_answer(client, code):
    rows = csv.DictReader(io.StringIO(client.get(f"{BASE}/answers.csv").get_data(as_text=True)))
    return next(row["answer"] for row in rows if row["question_code"] == code)


def test_text_answers_starting_with_a_tab_or_a_carriage_return_are_guarded_in_the_export(
    client, open_cycle, users, session
):
    """A spreadsheet runs a cell starting with TAB or CR then '=' as a formula too; the
    export guards it like '=' and the import takes the guard off again (core/tables)."""
    login(client, users["focal_point"].email)
    csrf = token(client)
    for version, text in enumerate(("\t=1+1", "\r=HYPERLINK(1)")):
        assert save(client, "q6", text, version, csrf).status_code == 200
        cell = _exported_answer(client, "q6")
        assert cell == "'" + text
        exported = client.get(f"{BASE}/answers.csv").get_data(as_text=True)
        assert import_csv(client, csrf, exported).status_code == 302
        assert "(0 changed" in client.get(BASE).get_data(as_text=True)
        assert qs_answers(session)["q6"].value == {"v": text}


def test_evidence_downloads_are_served_with_a_sandbox_policy(client, open_cycle, users, session):
    """Talisman sets the policy per view (@talisman(...)); one set by hand was overwritten."""
    login(client, users["focal_point"].email)
    csrf = token(client)
    assert upload(client, csrf, PDF).status_code == 302
    item = session.exec(select(Evidence)).one()
    download = client.get(f"{BASE}/evidence/{item.id}")
    policy = download.headers["Content-Security-Policy"]
    download.close()
    assert "sandbox" in policy and "default-src 'none'" in policy
    page_policy = client.get(f"{BASE}/pillars/LEG").headers["Content-Security-Policy"]
    assert "sandbox" not in page_policy  # only the download


def test_a_typed_correction_is_read_as_the_import_reads_the_cell(
    client, open_cycle, users, session
):
    """ "3" to a number question is stored as the CSV import stores it (an int, not 3.0); a
    multiple-choice correction is read like a cell ("|"), and with commas as before."""
    submit_as_focal_point(client, users)
    login(client, users["analyst"].email)
    csrf = token(client, BASE)
    move(client, "start_review", csrf)
    review(client, "q5", "correct", csrf, "The strategy counts three agencies.", "3")
    stored = qs_answers(session)["q5"].value["v"]
    framework = cycles.parsed(session.exec(select(FrameworkVersion)).one())
    question = framework.questions["q5"]
    assert stored == question.kind.from_cell(question, "3") and type(stored) is int
    review(client, "q4", "correct", csrf, "Both are in place.", "a|c")
    assert qs_answers(session)["q4"].value == {"v": ["a", "c"]}
    review(client, "q4", "correct", csrf, "Only these.", "b, c")
    assert qs_answers(session)["q4"].value == {"v": ["b", "c"]}


def test_analysts_fill_a_silent_countrys_questionnaire_from_public_sources(
    client, open_cycle, users, session, app
):
    france = "/gci/questionnaires/Q-2026/FRA"
    with app.app_context():  # the window has closed: France never answered
        cycle = cycles.cycle_by_code(core_db.session(), "Q-2026")
        cycle.closes_on = utcnow().date() - timedelta(days=1)
        core_db.session().add(cycle)
        core_db.session().commit()
    login(client, users["analyst"].email)
    csrf = csrf_from(client, france)

    def save_fr(code, value, version=0):
        return client.post(
            f"{france}/answers/{code}",
            json={"value": value, "version": version},
            headers={"X-CSRFToken": csrf, "Accept": "application/json"},
        )

    assert save_fr("q8", "yes").status_code == 403  # not before research starts
    early = client.post(f"{france}/move", data={"action": "submit_research", "csrf_token": csrf})
    assert "Start secondary research before handing it in." in client.get(early.location).get_data(
        as_text=True
    )
    client.post(f"{france}/research", data={"csrf_token": csrf})
    page = client.get(france).get_data(as_text=True)
    assert "Secondary research: analysts fill this questionnaire from public sources" in page
    assert "Hand in the secondary research" in page
    for code, value in [("q1", "no"), ("q2", "no"), ("q3", "none"), ("q4", []), ("q5", 0)]:
        assert save_fr(code, value).status_code == 200, code
    for code, value in [("q6", "Public report"), ("q7", "yes"), ("q8", "no"), ("q9", "no")]:
        save_fr(code, value)
    save_fr("q10", "no")
    check = client.get(f"{france}/check").get_data(as_text=True)
    assert check.count("evidence needed for this answer") == 10  # a source for every answer
    for code in ("q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8", "q9", "q10"):
        client.post(
            f"/gci/questionnaires/Q-2026/FRA/questions/{code}/evidence",
            data={"csrf_token": csrf, "description": "Official site", "url": "https://gouv.fr/x"},
        )
    client.post(f"{france}/move", data={"action": "submit_research", "csrf_token": csrf})
    found = session.exec(select(Questionnaire)).one()
    assert found.state == "submitted" and found.secondary_research
    assert client.get(f"{france}/answers.json").get_json()["secondary_research"] is True
    logout(client)

    login(client, users["other_focal_point"].email)  # France's focal point sees it marked
    assert "Secondary research" in client.get(france).get_data(as_text=True)
    logout(client)
    login(client, users["focal_point"].email)  # research elsewhere gives Kenya nothing
    csrf = token(client)
    assert save(client, "q8", "yes", 0, csrf).get_json()["reason"] == "closed"


def test_reminders_reach_the_focal_points_of_late_countries(
    client, open_cycle, users, session, smtp_server, app
):
    from core import outbox

    login(client, users["admin"].email)
    csrf = csrf_from(client, "/gci/cycles/Q-2026/progress")
    sent = client.post("/gci/cycles/Q-2026/reminders", data={"csrf_token": csrf})
    page = client.get(sent.location).get_data(as_text=True)
    # the test users hold two focal points (Kenya and France); the other countries have none
    assert "2 reminders are on their way." in page
    assert "No focal point to remind in:" in page and "Germany" in page
    with app.app_context():
        outbox.deliver_due(core_db.session(), app.config)
    received = {m["To"]: m for m in smtp_server.messages}
    assert set(received) == {users["focal_point"].email, users["other_focal_point"].email}
    kenya = received[users["focal_point"].email]
    assert "Kenya" in kenya["Subject"] and "/gci/questionnaire" in kenya.get_content()
    assert "It closes on" in kenya.get_content()
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "gci.reminders_sent"))
    assert event.one().details["emails"] == 2
    # focal points may not send reminders
    focal = app.test_client()
    login(focal, users["focal_point"].email)
    csrf = csrf_from(focal, "/")
    assert focal.post("/gci/cycles/Q-2026/reminders", data={"csrf_token": csrf}).status_code == 403


def test_results_hold_the_questionnaires_the_countries_approved_and_publish_them(
    app, users, open_cycle
):
    """Validating accepts the answers not yet accepted; a snapshot counts a questionnaire's
    country only once the country approved it; publishing the snapshot publishes that
    questionnaire, and leaves the others where they are."""
    with app.app_context():
        session = core_db.session()
        cycle = cycles.cycle_by_code(session, "Q-2026")
        kenya, france = countries.by_iso3(session, "KEN"), countries.by_iso3(session, "FRA")
        today = utcnow().date()
        for country, user in ((kenya, users["focal_point"]), (france, users["other_focal_point"])):
            for code, value in {"q2": "yes", "q3": "full", "q7": "yes"}.items():
                answers.save_answer(session, cycle, country, code, value, 0, user, today)
        reading.questionnaire(session, cycle, kenya).state = "in_review"
        reviewing.accept(session, cycle, kenya, "q2", users["analyst"])
        moves.move(session, cycle, kenya, "validate", users["analyst"])
        rows = reading.answers(session, cycle, kenya)
        assert all(rows[code].accepted for code in ("q2", "q3", "q7"))
        accepted = [c.question_code for c in reviewing.comments(session, cycle, kenya)["q3"]]
        assert accepted == ["q3"]  # noted in the question's thread
        assert snapshots.recompute(session, cycle).id  # nobody approved: nobody in it
        assert snapshots.results(session, snapshots.snapshots(session, cycle)[0]) == []

        moves.move(session, cycle, kenya, "approve", users["focal_point"])
        snapshot = snapshots.recompute(session, cycle)
        (row,) = snapshots.results(session, snapshot)
        assert row.country.iso3 == "KEN" and row.result.overall > 0
        published = moves.publish_results(session, snapshot, users["admin"])
        session.commit()
        assert [q.country_id for q in published] == [kenya.id]
        assert snapshot.published_at is not None
        assert reading.questionnaire(session, cycle, kenya).state == "published"
        assert reading.questionnaire(session, cycle, france).state == "draft"
        events = session.exec(
            select(AuditEvent).where(AuditEvent.action == "gci.questionnaire.publish")
        ).all()
        assert len(events) == 1 and events[0].details["country"] == "KEN"


def test_a_questionnaire_is_published_only_with_the_cycles_results(
    client, open_cycle, users, session, app
):
    with app.app_context():
        s = core_db.session()
        kenya = s.exec(select(Country).where(Country.iso3 == "KEN")).one()
        s.add(Questionnaire(cycle_id=open_cycle.id, country_id=kenya.id, state="approved"))
        s.commit()
    login(client, users["admin"].email)
    csrf = csrf_from(client, BASE)
    refused = client.post(BASE + "/move", data={"csrf_token": csrf, "action": "publish"})
    assert "published with the cycle&#39;s results" in client.get(refused.location).get_data(
        as_text=True
    )
    session.expire_all()
    assert state(session) == "approved"
