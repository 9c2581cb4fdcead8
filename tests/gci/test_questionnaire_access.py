"""Every questionnaire route x every role (and anonymous) x own or another country: the
status each gets, from one table. Kenya's questionnaire is submitted, with an answer and a
file; France's focal point is "another country". A focal point of another country gets 404
wherever a country's questionnaire is addressed (it does not learn whether one exists),
never a byte of it; a role that may never do the thing gets 403; anonymous visitors are sent
to sign in.

Requests carry a valid CSRF token and, where the person may go on, are refused by what comes
after the authorization (a read-only questionnaire, a form left empty), so no request of the
walk changes what the next one sees."""

import io
from pathlib import Path

import pytest
from flask import Flask

from core import countries
from core import db as core_db
from core.models import utcnow
from gci.cycles import service as cycles
from gci.questionnaire import answers, evidence, reading
from tests.conftest import csrf_from, login
from tests.factories import EVIDENCE_PDF as PDF

ROLES = ("anonymous", "admin", "analyst", "focal_point", "other_focal_point", "trainer",
         "evaluator", "participant")  # fmt: skip
SECRET = "Kenya-only evidence description"

# endpoint -> method, then one status per role in ROLES (all on Kenya's questionnaire; the
# focal point is Kenya's, the other focal point France's).
# 302 for anonymous: to the sign-in page; 302 for others: a page after a flash message.
MATRIX = {
    "gci.my_questionnaire":     ("GET",  302, 403, 403, 302, 302, 403, 403, 403),
    "gci.questionnaire":        ("GET",  302, 200, 200, 200, 404, 403, 403, 403),
    "gci.questionnaire_pillar": ("GET",  302, 200, 200, 200, 404, 403, 403, 403),
    "gci.questionnaire_check":  ("GET",  302, 200, 200, 200, 404, 403, 403, 403),
    "gci.question_history":     ("GET",  302, 200, 200, 200, 404, 403, 403, 403),
    "gci.download_evidence":    ("GET",  302, 200, 200, 200, 404, 403, 403, 403),
    "gci.export_answers":       ("GET",  302, 200, 200, 200, 404, 403, 403, 403),
    "results.draft_pdf":        ("GET",  302, 200, 200, 200, 404, 403, 403, 403),
    # answering: analysts only in secondary research; Kenya's is submitted, so read-only
    "gci.save_answer":          ("POST", 302, 403, 403, 409, 404, 403, 403, 403),
    "gci.add_evidence":         ("POST", 302, 403, 403, 400, 404, 403, 403, 403),
    "gci.remove_evidence":      ("POST", 302, 403, 403, 409, 404, 403, 403, 403),
    "gci.import_answers":       ("POST", 302, 403, 403, 302, 404, 403, 403, 403),
    "gci.reply_to_review":      ("POST", 302, 403, 403, 302, 404, 403, 403, 403),
    # moving it (an empty form: 400 once allowed)
    "gci.move_questionnaire":   ("POST", 302, 400, 400, 400, 404, 403, 403, 403),
    # the analysts' side
    "gci.review_answer":        ("POST", 302, 400, 400, 403, 403, 403, 403, 403),
    "gci.start_research":       ("POST", 302, 302, 302, 403, 403, 403, 403, 403),
    "gci.review_queue":         ("GET",  302, 200, 200, 403, 403, 403, 403, 403),
    "gci.cycle_progress":       ("GET",  302, 200, 200, 403, 403, 403, 403, 403),
    "gci.cycle_reminders":      ("POST", 302, 302, 403, 403, 403, 403, 403, 403),
    "gci.cycle_settings":       ("POST", 302, 302, 403, 403, 403, 403, 403, 403),
}  # fmt: skip


def questionnaire_endpoints(app: Flask) -> set[str]:
    return {
        endpoint
        for endpoint, view in app.view_functions.items()
        if view.__module__.startswith("gci.questionnaire.views_")
    }


@pytest.fixture
def kenya(app, users, open_cycle):  # noqa: F811 (the fixture imported above)
    """Kenya's questionnaire submitted with an answer and a file; France's draft with a file
    of its own. Returns the ids of Kenya's and France's evidence."""
    with app.app_context():
        session = core_db.session()
        cycle = cycles.cycle_by_code(session, "Q-2026")
        ids = {}
        for iso3, user in (("KEN", users["focal_point"]), ("FRA", users["other_focal_point"])):
            country = countries.by_iso3(session, iso3)
            today = utcnow().date()
            answers.save_answer(session, cycle, country, "q1", "yes", 0, user, today)
            item = evidence.add_file(
                session,
                cycle,
                country,
                "q1",
                stream=io.BytesIO(PDF),
                filename=f"{iso3}.pdf",
                description=SECRET if iso3 == "KEN" else "France's evidence",
                folder=Path(app.config["EVIDENCE_DIR"]),
                max_bytes=2**20,
                actor=user,
                today=today,
            )
            session.flush()
            ids[iso3] = item.id
        kenya = countries.by_iso3(session, "KEN")
        reading.questionnaire(session, cycle, kenya).state = "submitted"
        session.commit()
        return ids


def url_of(endpoint: str, evidence_id: int) -> str:
    base = "/gci/questionnaires/Q-2026/KEN"
    return {
        "gci.my_questionnaire": "/gci/questionnaire",
        "gci.questionnaire": base,
        "gci.questionnaire_pillar": f"{base}/pillars/LEG",
        "gci.questionnaire_check": f"{base}/check",
        "gci.question_history": f"{base}/history/q1",
        "gci.download_evidence": f"{base}/evidence/{evidence_id}",
        "gci.export_answers": f"{base}/answers.csv",
        "results.draft_pdf": "/gci/countries/KEN/draft.pdf",
        "gci.save_answer": f"{base}/answers/q1",
        "gci.add_evidence": f"{base}/questions/q1/evidence",
        "gci.remove_evidence": f"{base}/evidence/{evidence_id}/delete",
        "gci.import_answers": f"{base}/import",
        "gci.reply_to_review": f"{base}/questions/q1/reply",
        "gci.move_questionnaire": f"{base}/move",
        "gci.review_answer": f"{base}/questions/q1/review",
        "gci.start_research": f"{base}/research",
        "gci.review_queue": "/gci/review",
        "gci.cycle_progress": "/gci/cycles/Q-2026/progress",
        "gci.cycle_reminders": "/gci/cycles/Q-2026/reminders",
        "gci.cycle_settings": "/gci/cycles/Q-2026/settings",
    }[endpoint]


def request(client, endpoint: str, method: str, evidence_id: int, csrf: str):
    url = url_of(endpoint, evidence_id)
    if method == "GET":
        return client.get(url)
    headers = {"X-CSRFToken": csrf}
    if endpoint == "gci.save_answer":
        return client.post(url, json={"value": "no", "version": 1}, headers=headers)
    # closes before it opens: refused by the form, nothing changes
    data = {"opens_on": "2026-12-01", "closes_on": "2026-11-30", "csrf_token": csrf}
    return client.post(url, data=data, headers=headers)


def test_the_matrix_names_every_questionnaire_route(app):
    assert questionnaire_endpoints(app) == set(MATRIX) - {"results.draft_pdf"}
    assert "results.draft_pdf" in app.view_functions


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_matrix_says(app, client, users, kenya, role):
    if role != "anonymous":
        login(client, users[role].email)
    csrf = csrf_from(client, "/account" if role != "anonymous" else "/login")
    got = {}
    for endpoint, (method, *_statuses) in MATRIX.items():
        response = request(client, endpoint, method, kenya["KEN"], csrf)
        got[endpoint] = response.status_code
        body = response.get_data()
        response.close()  # a download holds its file open until closed
        if role == "other_focal_point":
            assert SECRET.encode() not in body and b"%PDF" not in body, endpoint
    expected = {endpoint: row[1 + ROLES.index(role)] for endpoint, row in MATRIX.items()}
    assert got == expected


def test_another_countrys_evidence_is_not_found_through_ones_own_country(app, client, users, kenya):
    """France's focal point, on France's own questionnaire, asks for Kenya's file by its id."""
    login(client, users["other_focal_point"].email)
    own = "/gci/questionnaires/Q-2026/FRA"
    with client.get(f"{own}/evidence/{kenya['FRA']}") as response:
        assert response.status_code == 200
    response = client.get(f"{own}/evidence/{kenya['KEN']}")
    assert response.status_code == 404 and b"%PDF" not in response.get_data()
    csrf = csrf_from(client, "/account")
    deleted = client.post(f"{own}/evidence/{kenya['KEN']}/delete", data={"csrf_token": csrf})
    assert deleted.status_code == 404
    kenyan = app.test_client()
    login(kenyan, users["focal_point"].email)
    with kenyan.get(f"/gci/questionnaires/Q-2026/KEN/evidence/{kenya['KEN']}") as response:
        assert response.status_code == 200
