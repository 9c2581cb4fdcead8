"""A scenario of hundreds of injects: its page shows them a page at a time, stays small, and
a link to an inject (as after an edit) opens the page that holds it."""

import copy

import yaml

from core import db as core_db
from scenarios.authoring import service
from scenarios.authoring.views import INJECTS_PER_PAGE, inject_page
from tests.conftest import csrf_from, login
from tests.scenarios.examples import minimal

N = 120


def large_document() -> dict:
    document = minimal()
    document["duration_minutes"] = 10 * N
    first = document["injects"][0]
    document["injects"] = []
    for n in range(N):
        inject = copy.deepcopy(first)
        inject["id"], inject["offset_minutes"] = f"X{n:03}", 10 * n
        inject["title"] = f"Event number {n:03}"
        document["injects"].append(inject)
    document["injects"][0]["objectives"] = ["O1", "O2"]
    document["injects"][0]["responses"][0]["objectives"] = ["O1", "O2"]
    return document


def test_the_page_is_chosen_by_number_or_by_inject():
    class I:  # noqa: E742 - an inject needs only its id here
        def __init__(self, id):
            self.id = id

    injects = [I(f"X{n}") for n in range(2 * INJECTS_PER_PAGE + 1)]
    assert inject_page(injects, None, None) == (1, 3)
    assert inject_page(injects, 3, None) == (3, 3)
    assert inject_page(injects, 99, None) == (3, 3) and inject_page(injects, -4, None) == (1, 3)
    assert inject_page(injects, 1, f"X{INJECTS_PER_PAGE}") == (2, 3)
    assert inject_page(injects, 2, "nope") == (2, 3)
    assert inject_page([], None, None) == (1, 1)


def test_a_large_scenario_is_shown_a_page_at_a_time(app, client, users):
    with app.app_context():
        s = core_db.session()
        service.import_text(s, yaml.safe_dump(large_document()))
        s.commit()
    login(client, users["trainer"].email)
    first = client.get("/scenarios/test-scenario").get_data(as_text=True)
    assert 'id="inject-X000"' in first and f'id="inject-X{INJECTS_PER_PAGE - 1:03}"' in first
    assert f'id="inject-X{INJECTS_PER_PAGE:03}"' not in first
    assert f"Injects 1–{INJECTS_PER_PAGE} of {N}" in first
    assert 'rel="next"' in first and 'rel="prev"' not in first
    assert len(first.encode()) < 200 * 1024
    # every inject is still on the axis and in the "go to" list
    assert first.count("<circle") == N and '<option value="X119">' in first
    last = client.get("/scenarios/test-scenario?page=5").get_data(as_text=True)
    assert 'id="inject-X119"' in last and 'id="inject-X000"' not in last
    assert 'rel="next"' not in last
    wanted = client.get("/scenarios/test-scenario?inject=X060").get_data(as_text=True)
    assert 'id="inject-X060"' in wanted and "aria-current" in wanted


def test_after_an_edit_the_trainer_lands_on_the_page_of_the_inject(app, client, users):
    with app.app_context():
        s = core_db.session()
        service.import_text(s, yaml.safe_dump(large_document()))
        s.commit()
    login(client, users["trainer"].email)
    url = "/scenarios/test-scenario/injects/X070/duplicate"
    done = client.post(url, data={"csrf_token": csrf_from(client, "/scenarios/test-scenario")})
    assert done.status_code == 302
    assert done.headers["Location"].endswith("/scenarios/test-scenario?inject=X070#inject-X070")
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert 'id="inject-X070-2"' in page
