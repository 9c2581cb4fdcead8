"""Recompute a whole GCI cycle (every country, the full GCI 2024 framework, plausible random
answers) from the database into a stored snapshot, beside the bare query that reads all those
answers; the time of one what-if; and, with that snapshot published, the server time and
size of the public ranking page and of a country profile. On SQLite and on PostgreSQL.

    .venv/bin/python bench/gci_scoring_bench.py [--runs 7] [--postgres URL | --no-postgres]

Prints figures; asserts nothing about time. Targets from the issues: a whole cycle under
0.5 s and within 3x the bare read; one what-if under 5 ms; the ranking page and a country
profile under 30 ms server time and under 100 KB (issue 4). Page times are taken in process
through Flask's test client (the whole Flask stack, no HTTP server or network), anonymous,
without If-None-Match, so each request renders the page: the first request of a process
(which builds the edition's rows) apart, then the median and the CPU time of the rest.
"""

from __future__ import annotations

import argparse
import gc
import gzip
import json
import platform
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlmodel import select  # noqa: E402

from core import countries, create_app, db, migrate  # noqa: E402
from gci import demo  # noqa: E402
from gci.cycles import service as cycles  # noqa: E402
from gci.models import Answer  # noqa: E402
from gci.results import snapshots  # noqa: E402


def median_ms(fn, runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        gc.collect()  # each run starts with the same heap, so a collection lands in none
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), min(times)


def bench(url: str, label: str, runs: int) -> None:
    migrate.upgrade(url)
    app = create_app({"DATABASE_URL": url, "APP_ENV": "test"}, environ={})
    with app.app_context():
        session = db.session()
        countries.sync(session)
        document = json.loads(demo.FRAMEWORK_FILE.read_text())
        version = cycles.load_framework(session, document, cycle_code="BENCH", year=2024)
        cycle = cycles.cycle_by_code(session, "BENCH")
        framework = cycles.parsed(version)
        n_answers = demo.add_answers(session, cycle, framework, seed=7)
        session.commit()

        def bare_read():
            rows = session.exec(
                select(
                    Answer.country_id, Answer.question_code, Answer.value, Answer.accepted
                ).where(Answer.cycle_id == cycle.id)
            ).all()
            assert len(rows) == n_answers

        def whole_cycle():
            snapshots.recompute(session, cycle)
            session.commit()

        read_ms, read_min = median_ms(bare_read, runs)
        cycle_ms, cycle_min = median_ms(whole_cycle, runs)
        one_country = {
            code: value
            for code, (value, _ok) in demo.plausible_answers(
                framework, __import__("random").Random(1)
            ).items()
        }
        whatif_ms, whatif_min = median_ms(lambda: snapshots.what_if(framework, one_country), 200)
        n_countries = len(
            snapshots.results(session, snapshots.latest_snapshot(session, cycle, False))
        )
        print(
            f"{label:<11} {n_countries:>4} countries {len(framework.questions):>3} questions "
            f"{n_answers:>6} answers | bare read {read_ms:6.1f} ms (best {read_min:5.1f}) | "
            f"whole cycle {cycle_ms:6.1f} ms (best {cycle_min:5.1f}) = "
            f"{cycle_ms / read_ms:3.1f}x read (best {cycle_min / read_min:3.1f}x) | "
            f"what-if {whatif_ms * 1000:4.0f} µs"
        )
        pages(app, session, cycle, args_runs=max(runs, 20))
        db.engine().dispose()


def pages(app, session, cycle, args_runs: int) -> None:
    """The public ranking and a profile of the published snapshot, as a visitor gets them."""
    snapshots.publish(session, snapshots.latest_snapshot(session, cycle, published_only=False))
    session.commit()
    best = snapshots.results(session, snapshots.latest_snapshot(session, cycle))[0].country.iso3
    client = app.test_client()
    for name, path in (("ranking", "/results/"), (f"profile {best}", f"/results/countries/{best}")):
        started = time.perf_counter()
        response = client.get(path)
        first_ms = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (path, response.status_code)
        walls, cpus = [], []
        for _ in range(args_runs):
            started, cpu = time.perf_counter(), time.process_time()
            response = client.get(path)
            walls.append((time.perf_counter() - started) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        size, packed = len(response.data), len(gzip.compress(response.data))
        print(
            f"{'':<11} page {name:<14} {size / 1024:6.1f} KB ({packed / 1024:4.1f} KB gzip) | "
            f"first {first_ms:6.1f} ms | then median {statistics.median(walls):5.1f} ms, "
            f"CPU {statistics.median(cpus):5.1f} ms (targets < 30 ms, < 100 KB)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--postgres",
        default="postgresql+psycopg://root@127.0.0.1:5432/test",
        help="server to create a throwaway database on",
    )
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    print(
        f"GCI scoring benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"median of {args.runs} runs (what-if: of 200)"
    )
    with tempfile.TemporaryDirectory() as workdir:
        bench(f"sqlite:///{workdir}/bench.sqlite", "SQLite", args.runs)
    if args.no_postgres:
        return
    name = f"cyberready_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001 - say why and go on
        print(f"PostgreSQL skipped: {error.__class__.__name__}: {error}".splitlines()[0])
        return
    try:
        url = make_url(args.postgres).set(database=name).render_as_string(hide_password=False)
        bench(url, "PostgreSQL", args.runs)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
