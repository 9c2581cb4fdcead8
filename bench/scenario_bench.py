"""Validate and import a scenario of 500 injects, and render its page (time and bytes).

    .venv/bin/python bench/scenario_bench.py

Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import copy
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core import accounts, create_app, db, migrate  # noqa: E402
from core.models import Role  # noqa: E402
from scenarios.authoring import service  # noqa: E402
from scenarios.format import model, reader  # noqa: E402
from tests.scenarios.examples import minimal  # noqa: E402

N_INJECTS = 500


def big_scenario() -> str:
    document = minimal()
    document["duration_minutes"] = 10 * N_INJECTS
    first, second = document["injects"]
    injects = []
    for n in range(N_INJECTS // 2):
        a, b = copy.deepcopy(first), copy.deepcopy(second)
        a["id"], b["id"] = f"A{n}", f"B{n}"
        a["offset_minutes"], b["offset_minutes"] = 20 * n, 20 * n + 10
        b["condition"] = {"response": f"A{n}.R1", "is": "incorrect"}
        a["body"] = "## Situation\n\n" + "The SOC reports **unusual** traffic. " * 20
        injects += [a, b]
    document["injects"] = injects
    return yaml.safe_dump(document, sort_keys=False)


def timed(fn, runs=5):
    times = []
    result = None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def main() -> None:
    text = big_scenario()
    print(
        f"Scenario benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"{platform.python_implementation()} {platform.python_version()}; "
        f"{N_INJECTS} injects, {len(text) // 1024} KB of YAML; median of 5"
    )

    def validate():
        from scenarios.format import yamlines

        data, lines = yamlines.load(text)
        return reader.read(data, lines)

    ms, (_scenario, problems) = timed(validate)
    print(f"parse + validate      {ms:8.1f} ms  ({len(model.errors(problems))} errors)")
    with tempfile.TemporaryDirectory() as workdir:
        url = f"sqlite:///{workdir}/bench.sqlite"
        migrate.upgrade(url)
        app = create_app(
            {
                "DATABASE_URL": url,
                "APP_ENV": "test",
                "ARGON2_TIME_COST": 1,
                "ARGON2_MEMORY_KIB": 8,
                "ARGON2_PARALLELISM": 1,
            },
            environ={},
        )
        with app.app_context():
            session = db.session()
            accounts.create_user(
                session,
                email="t@bench.example",
                name="T",
                role=Role.trainer,
                password="bench password",
            )
            session.commit()

            def import_once():
                service.import_text(session, text, as_new=True)
                session.commit()

            ms, _ = timed(import_once)
            print(f"import (as new)       {ms:8.1f} ms")
        client = app.test_client()
        client.post(
            "/login",
            data={"email": "t@bench.example", "password": "bench password"},
            headers={"X-CSRFToken": "x"},
        )  # CSRF refuses this; sign in properly below
        with client.session_transaction() as flask_session, app.app_context():
            from sqlmodel import select

            from core.models import User

            user = db.session().exec(select(User)).one()
            flask_session["_user_id"] = user.get_id()
            flask_session["_fresh"] = True
        ms, response = timed(lambda: client.get("/scenarios/test-scenario"))
        assert response.status_code == 200, response.status_code
        print(f"render scenario page  {ms:8.1f} ms  {len(response.data) // 1024} KB HTML")


if __name__ == "__main__":
    main()
