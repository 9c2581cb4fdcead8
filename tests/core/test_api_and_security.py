import json

from sqlmodel import select

from core.models import ApiToken
from tests.conftest import csrf_from, login

PROBLEM = "application/problem+json"


def new_token(client, name="script"):
    response = client.post(
        "/api/v1/tokens", json={"name": name}, headers={"X-CSRFToken": csrf_from(client, "/")}
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.json


def test_security_headers_and_a_csp_without_inline_script(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "<script" not in response.get_data(as_text=True)


def test_form_without_csrf_token_is_refused_with_a_message(client, users):
    response = client.post("/login", data={"email": users["admin"].email, "password": "x"})
    assert response.status_code == 400
    assert "This form has expired or did not come from this site" in response.get_data(as_text=True)


def test_json_with_session_cookie_needs_the_csrf_header(client, users):
    login(client, users["trainer"].email)
    response = client.post("/api/v1/tokens", json={"name": "x"})
    assert response.status_code == 400
    assert response.mimetype == PROBLEM
    assert "did not come from this site" in response.json["detail"]
    assert new_token(client)["name"] == "script"


def test_body_that_is_not_json_gets_a_problem(client, users):
    login(client, users["trainer"].email)
    response = client.post(
        "/api/v1/tokens",
        data="{not json",
        content_type="application/json",
        headers={"X-CSRFToken": csrf_from(client, "/")},
    )
    assert response.status_code == 400
    assert response.mimetype == PROBLEM
    assert "JSON" in response.json["detail"]


def test_unknown_and_missing_fields_are_named(client, users):
    login(client, users["trainer"].email)
    headers = {"X-CSRFToken": csrf_from(client, "/")}
    response = client.post("/api/v1/tokens", json={"name": "a", "admin": True}, headers=headers)
    assert response.status_code == 422
    assert response.mimetype == PROBLEM
    assert "admin" in response.json["errors"]["json"]
    response = client.post("/api/v1/tokens", json={}, headers=headers)
    assert response.status_code == 422
    assert "name" in response.json["errors"]["json"]


def test_too_large_request_is_413_with_the_limit(app, client, users):
    app.config.update(UPLOAD_MAX_MB=1, MAX_CONTENT_LENGTH=1024 * 1024)
    login(client, users["trainer"].email)
    big = "x" * (2 * 1024 * 1024)
    response = client.post(
        "/account/tokens", data={"tok-name": big, "tok-csrf_token": csrf_from(client, "/account")}
    )
    assert response.status_code == 413
    assert "the limit is 1 MB" in response.get_data(as_text=True)
    response = client.post(
        "/api/v1/tokens",
        data=big,
        content_type="application/json",
        headers={"X-CSRFToken": "x"},
    )
    assert response.status_code == 413
    assert response.json["detail"] == "The upload is too large: the limit is 1 MB."


def test_personal_token_lifecycle(app, client, users, session):
    login(client, users["trainer"].email)
    created = new_token(client, "nightly export")
    plain = created["token"]
    stored = session.exec(select(ApiToken).where(ApiToken.id == created["id"])).one()
    assert stored.token_hash != plain and plain not in stored.token_hash
    assert plain.startswith(stored.prefix)

    script = app.test_client()  # no cookie
    auth = {"Authorization": f"Bearer {plain}"}
    me = script.get("/api/v1/me", headers=auth)
    assert me.status_code == 200 and me.json["email"] == users["trainer"].email
    assert "Set-Cookie" not in me.headers
    # a token request needs no CSRF token: it carries no ambient credential
    assert script.post("/api/v1/tokens", json={"name": "child"}, headers=auth).status_code == 201
    listed = script.get("/api/v1/tokens", headers=auth).json
    assert {t["name"] for t in listed} == {"nightly export", "child"}
    assert all("token" not in t for t in listed)

    assert script.delete(f"/api/v1/tokens/{created['id']}", headers=auth).status_code == 204
    refused = script.get("/api/v1/me", headers=auth)
    assert refused.status_code == 401 and refused.mimetype == PROBLEM


def test_a_token_cannot_revoke_someone_elses_token(app, client, users):
    login(client, users["trainer"].email)
    trainer_token = new_token(client)
    other = app.test_client()
    login(other, users["admin"].email)
    admin_token = new_token(other)
    response = app.test_client().delete(
        f"/api/v1/tokens/{trainer_token['id']}",
        headers={"Authorization": f"Bearer {admin_token['token']}"},
    )
    assert response.status_code == 403


def test_bearer_header_is_authenticated_by_the_token_alone(app, client, users):
    login(client, users["admin"].email)  # the cookie says admin
    response = client.post(
        "/api/v1/tokens", json={"name": "x"}, headers={"Authorization": "Bearer cr_forged"}
    )
    assert response.status_code == 401  # not admin, and no CSRF bypass


def test_errors_are_pages_for_people_and_problems_for_the_api(client):
    page = client.get("/no/such/page")
    assert page.status_code == 404 and page.mimetype == "text/html"
    assert "There is nothing at this address" in page.get_data(as_text=True)
    api = client.get("/api/v1/no-such-thing")
    assert api.status_code == 404 and api.mimetype == PROBLEM
    assert api.json["status"] == 404 and api.json["detail"]
    wrong_method = client.get("/logout")
    assert wrong_method.status_code == 405


def test_unexpected_error_is_a_friendly_500(app, users):
    @app.get("/boom")
    def boom():
        raise RuntimeError("kaput")

    boom.policy_action = "public"
    response = app.test_client().get("/boom")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Something went wrong on our side" in body and "kaput" not in body


def test_unauthenticated_api_call_is_401_problem(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401 and response.mimetype == PROBLEM


def test_openapi_document_is_generated_from_the_schemas(client):
    doc = client.get("/api/v1/openapi.json")
    assert doc.status_code == 200
    spec = json.loads(doc.get_data(as_text=True))
    assert spec["openapi"].startswith("3.1")
    assert {"/api/v1/me", "/api/v1/tokens", "/api/v1/countries"} <= set(spec["paths"])
    assert "TokenIn" in spec["components"]["schemas"]
    assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def test_countries_api_filters(client, countries):
    cis = client.get("/api/v1/countries?region=CIS").json
    assert cis and all(c["itu_region"] == "CIS" for c in cis)
    sids = client.get("/api/v1/countries?group=sids").json
    assert any(c["iso3"] == "FJI" for c in sids) and all(c["sids"] for c in sids)
    bad = client.get("/api/v1/countries?region=Atlantis")
    assert bad.status_code == 422 and "region" in bad.json["errors"]["query"]
