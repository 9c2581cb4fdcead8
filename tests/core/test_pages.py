from sqlmodel import select

from core.models import AuditEvent, User
from tests.conftest import csrf_from, login


def test_home_page_explains_the_platform(client):
    page = client.get("/").get_data(as_text=True)
    assert "Global Cybersecurity Index" in page
    assert 'href="#main"' in page and '<main id="main"' in page  # skip link and landmark


def test_admin_adds_a_user_and_it_is_audited(client, users, session):
    login(client, users["admin"].email)
    form = {
        "email": "new.analyst@gov.example",
        "name": "New Analyst",
        "role": "analyst",
        "country": "",
        "password": "a long initial password",
        "csrf_token": csrf_from(client, "/admin/users"),
    }
    response = client.post("/admin/users", data=form)
    assert response.status_code == 302
    assert "new.analyst@gov.example" in client.get("/admin/users").get_data(as_text=True)
    created = session.exec(select(User).where(User.email == "new.analyst@gov.example")).one()
    event = session.exec(
        select(AuditEvent).where(AuditEvent.action == "user.created").order_by(AuditEvent.id.desc())
    ).first()
    assert event.object_id == str(created.id) and event.actor_id == users["admin"].id

    form["csrf_token"] = csrf_from(client, "/admin/users")
    again = client.post("/admin/users", data=form)
    assert again.status_code == 400
    assert "exists already" in again.get_data(as_text=True)


def test_admin_form_keeps_a_focal_point_bound_to_a_country(client, users, session):
    login(client, users["admin"].email)
    form = {
        "email": "fp@gov.example",
        "name": "FP",
        "role": "focal_point",
        "country": "",
        "password": "a long initial password",
        "csrf_token": csrf_from(client, "/admin/users"),
    }
    response = client.post("/admin/users", data=form)
    assert response.status_code == 400
    assert "must be bound to a country" in response.get_data(as_text=True)
    assert session.exec(select(User).where(User.email == "fp@gov.example")).first() is None


def test_audit_log_lists_sign_ins(client, users):
    login(client, users["admin"].email)
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "auth.login" in page and users["admin"].email in page


def test_countries_page_filters_by_region_and_group(client, countries):
    page = client.get("/countries?region=Arab+States").get_data(as_text=True)
    assert "Egypt" in page and "France" not in page
    page = client.get("/countries?group=lldc").get_data(as_text=True)
    assert "Nepal" in page and "Kenya" not in page
    assert client.get("/countries?region=Atlantis").status_code == 400


def test_account_page_creates_and_revokes_tokens(client, users):
    login(client, users["evaluator"].email)
    response = client.post(
        "/account/tokens",
        data={"tok-name": "exports", "tok-csrf_token": csrf_from(client, "/account")},
    )
    page = response.get_data(as_text=True)
    assert "copy it now" in page and 'class="token">cr_' in page
    assert client.get("/account").get_data(as_text=True).count('class="token">cr_') == 0


def test_focal_point_country_page_lists_focal_points(client, users):
    login(client, users["focal_point"].email)
    response = client.get("/gci/my-country")
    assert response.headers["Location"] == "/gci/countries/KEN"
    page = client.get("/gci/countries/KEN").get_data(as_text=True)
    assert "Kenya" in page and users["focal_point"].email in page


def test_user_text_is_escaped(client, users, session):
    user = session.get(User, users["trainer"].id)
    user.name = "<script>alert(1)</script>"
    session.add(user)
    session.commit()
    login(client, users["trainer"].email)
    page = client.get("/account").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_times_are_shown_in_the_viewers_time_zone(client, users, session):
    from core.models import AuditEvent

    login(client, users["admin"].email)
    token = csrf_from(client, "/account")
    bad = client.post(
        "/account/time-zone", data={"tz-time_zone": "Mars/Olympus", "tz-csrf_token": token}
    )
    assert bad.status_code == 400
    assert "&#39;Mars/Olympus&#39; is not a time zone name" in bad.get_data(as_text=True)
    ok = client.post(
        "/account/time-zone", data={"tz-time_zone": "Africa/Nairobi", "tz-csrf_token": token}
    )
    assert ok.status_code == 302
    event = session.exec(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    from zoneinfo import ZoneInfo

    from core.models import as_utc

    local = as_utc(event.at).astimezone(ZoneInfo("Africa/Nairobi")).strftime("%Y-%m-%d %H:%M:%S")
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "When (Africa/Nairobi)" in page and local in page
