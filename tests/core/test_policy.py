"""Every route declares who may use it, and the whole role x object matrix holds."""

import pytest
from sqlmodel import select

from core import policy
from core.models import ApiToken, Country
from drills.models import Drill, Team
from gci.models import Questionnaire
from tests.conftest import login


def test_every_route_declares_a_policy(app):
    undeclared = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in policy.PUBLIC_ENDPOINTS:
            continue
        action = policy.declared_action(app.view_functions[rule.endpoint])
        if action is None:
            undeclared.append(f"{rule.endpoint} ({rule.rule})")
        else:
            assert action in policy.RULES, f"{rule.endpoint} declares unknown {action!r}"
    assert undeclared == [], "routes without @allow(...): " + ", ".join(undeclared)


def test_an_unknown_action_fails_at_import_time():
    with pytest.raises(KeyError):
        policy.allow("no.such.action")


class Anonymous:
    is_authenticated = False


ROLES = ["admin", "analyst", "focal_point", "trainer", "evaluator", "participant"]

# action -> the roles that may do it (objects aside)
ROLE_MATRIX = {
    "public": set(ROLES) | {"anonymous"},
    "account.manage": set(ROLES),
    "users.manage": {"admin"},
    "audit.read": {"admin"},
    "outbox.read": {"admin"},
    "outbox.retry": {"admin"},
    "gci.countries.list": {"admin", "analyst"},
    "gci.framework.edit": {"admin"},
    "gci.results.manage": {"admin"},
    "gci.snapshots.read": {"admin", "analyst"},
    "gci.whatif": {"admin", "analyst", "focal_point"},
    "gci.questionnaire.mine": {"focal_point"},
    "gci.questionnaire.review": {"admin", "analyst"},
    "gci.cycle.settings": {"admin"},
    "scenarios.author": {"admin", "trainer"},
    "drills.list": set(ROLES),
    "drills.create": {"admin", "trainer"},
    "drill.setup": {"admin", "trainer"},
    "drill.control": {"admin", "trainer"},
    "drill.hotwash.read": {"admin", "trainer"},
    "drill.report.edit": {"admin", "trainer"},
    "drill.report.generate": {"admin", "trainer"},
    "drill.export": {"admin", "trainer"},
}


def test_role_matrix(users):
    assert set(ROLE_MATRIX) | {
        "gci.country.read",
        "gci.questionnaire.read",
        "gci.questionnaire.answer",
        "gci.questionnaire.move",
        "drill.read",
        "team.read",
        "team.play",
        "drill.evaluate",
        "drill.scoreboard",
        "drill.observe",
        "comcheck.confirm",
        "token.revoke",
        "drill.hotwash.answer",
        "drill.reports",
        "drill.report.read",
        "drill.report.draft.read",
        "team.report.read",
    } == set(policy.RULES), "a new action needs its row in this matrix"
    for action, allowed in ROLE_MATRIX.items():
        for role in ROLES:
            assert policy.can(users[role], action) is (role in allowed), (action, role)
        assert policy.can(Anonymous(), action) is ("anonymous" in allowed), action


def test_object_matrix(app, users, session):
    kenya = session.exec(select(Country).where(Country.iso3 == "KEN")).one()
    france = session.exec(select(Country).where(Country.iso3 == "FRA")).one()
    drill = session.get(Drill, users["drill"].id)
    other_drill = session.get(Drill, users["other_drill"].id)
    team = session.get(Team, users["team"].id)
    other_team = session.get(Team, users["other_team"].id)
    kenya_answers = Questionnaire(cycle_id=1, country_id=kenya.id)
    kenya_research = Questionnaire(cycle_id=1, country_id=kenya.id, secondary_research=True)
    u = users
    expected = [
        # (role, action, object, allowed)
        ("admin", "gci.country.read", kenya, True),
        ("analyst", "gci.country.read", france, True),
        ("focal_point", "gci.country.read", kenya, True),
        ("focal_point", "gci.country.read", france, False),
        ("other_focal_point", "gci.country.read", kenya, False),
        ("trainer", "gci.country.read", kenya, False),
        ("participant", "gci.country.read", kenya, False),
        ("focal_point", "gci.questionnaire.read", kenya, True),
        ("focal_point", "gci.questionnaire.read", france, False),
        ("analyst", "gci.questionnaire.read", france, True),
        ("trainer", "gci.questionnaire.read", kenya, False),
        ("focal_point", "gci.questionnaire.answer", kenya_answers, True),
        ("other_focal_point", "gci.questionnaire.answer", kenya_answers, False),
        ("analyst", "gci.questionnaire.answer", kenya_answers, False),
        ("admin", "gci.questionnaire.answer", kenya_answers, False),
        ("analyst", "gci.questionnaire.answer", kenya_research, True),
        ("admin", "gci.questionnaire.answer", kenya_research, True),
        ("focal_point", "gci.questionnaire.answer", kenya_research, True),
        ("other_focal_point", "gci.questionnaire.answer", kenya_research, False),
        ("trainer", "gci.questionnaire.answer", kenya_research, False),
        ("focal_point", "gci.questionnaire.move", kenya, True),
        ("focal_point", "gci.questionnaire.move", france, False),
        ("analyst", "gci.questionnaire.move", france, True),
        ("evaluator", "gci.questionnaire.move", kenya, False),
        ("trainer", "drill.read", other_drill, True),
        ("evaluator", "drill.read", drill, True),
        ("evaluator", "drill.read", other_drill, False),
        ("other_evaluator", "drill.read", drill, False),
        ("participant", "drill.read", drill, True),
        ("participant", "drill.read", other_drill, False),
        ("participant", "team.read", team, True),
        ("participant", "team.read", other_team, False),
        ("other_participant", "team.read", team, False),
        ("evaluator", "team.read", other_team, True),
        ("other_evaluator", "team.read", team, False),
        ("focal_point", "team.read", team, False),
        ("analyst", "drill.read", drill, False),
        ("admin", "team.read", other_team, True),
        ("participant", "team.play", team, True),
        ("participant", "team.play", other_team, False),
        ("other_participant", "team.play", team, False),
        ("trainer", "team.play", team, False),
        ("admin", "team.play", team, False),
        ("evaluator", "drill.evaluate", drill, True),
        ("evaluator", "drill.evaluate", other_drill, False),
        ("trainer", "drill.evaluate", other_drill, True),
        ("participant", "drill.evaluate", drill, False),
        ("participant", "drill.hotwash.answer", team, True),
        ("participant", "drill.hotwash.answer", other_team, False),
        ("other_participant", "drill.hotwash.answer", team, False),
        ("trainer", "drill.hotwash.answer", team, False),
        ("evaluator", "drill.hotwash.answer", team, False),
        ("trainer", "drill.hotwash.read", other_drill, True),
        ("evaluator", "drill.hotwash.read", drill, False),
        ("admin", "drill.report.edit", drill, True),
        ("evaluator", "drill.report.edit", drill, False),
        ("participant", "drill.report.edit", drill, False),
        ("other_evaluator", "drill.evaluate", drill, False),
        ("participant", "drill.reports", drill, True),
        ("participant", "drill.report.read", drill, False),
        ("evaluator", "drill.report.read", drill, True),
        ("other_evaluator", "drill.report.read", drill, False),
        ("trainer", "drill.report.read", other_drill, True),
        ("participant", "drill.report.draft.read", drill, False),
        ("evaluator", "drill.report.draft.read", drill, True),
        ("other_evaluator", "drill.report.draft.read", drill, False),
        ("trainer", "drill.report.draft.read", other_drill, True),
        ("participant", "team.report.read", team, True),
        ("participant", "team.report.read", other_team, False),
        ("evaluator", "team.report.read", team, False),
        ("admin", "team.report.read", other_team, True),
    ]
    for role, action, obj, allowed in expected:
        assert policy.can(u[role], action, obj) is allowed, (role, action, obj)
    # an object rule never passes without its object
    assert policy.can(u["admin"], "team.read") is False


def test_token_revoke_is_only_for_its_owner(app, users, session):
    from core import accounts
    from core import db as core_db

    with app.app_context():
        token, _plain = accounts.create_token(core_db.session(), users["trainer"], "ci")
        core_db.session().commit()
    token = session.get(ApiToken, token.id)
    assert policy.can(users["trainer"], "token.revoke", token)
    assert not policy.can(users["admin"], "token.revoke", token)


@pytest.mark.parametrize(
    ("role", "path", "status"),
    [
        ("focal_point", "/gci/countries/KEN", 200),
        ("focal_point", "/gci/countries/FRA", 403),
        ("focal_point", "/gci/my-country", 302),
        ("focal_point", "/gci/", 403),
        ("analyst", "/gci/countries/FRA", 200),
        ("analyst", "/gci/countries/XXX", 404),
        ("participant", "/drills/teams/{team}", 200),
        ("participant", "/drills/teams/{other_team}", 404),
        ("other_participant", "/drills/teams/{other_team}", 200),
        ("evaluator", "/drills/teams/{other_team}", 200),
        ("other_evaluator", "/drills/teams/{team}", 404),
        ("trainer", "/admin/users", 403),
        ("admin", "/admin/users", 200),
        ("admin", "/admin/audit", 200),
        ("analyst", "/admin/audit", 403),
        ("trainer", "/scenarios/", 200),
        ("evaluator", "/scenarios/", 403),
        ("participant", "/drills/", 200),
        ("focal_point", "/drills/", 200),  # observers may have any role; the list is empty
    ],
)
def test_pages_enforce_the_policy(client, users, role, path, status):
    assert login(client, users[role].email).status_code == 302
    path = path.format(team=users["team"].id, other_team=users["other_team"].id)
    assert client.get(path).status_code == status


def test_participant_sees_only_their_team_on_the_drill_list(client, users):
    login(client, users["participant"].email)
    page = client.get("/drills/").get_data(as_text=True)
    assert "Team A" in page and "Team B" not in page
    assert "Other drill" not in page


def test_evaluator_sees_only_assigned_drills(client, users):
    login(client, users["evaluator"].email)
    page = client.get("/drills/").get_data(as_text=True)
    assert "Test drill" in page and "Other drill" not in page
