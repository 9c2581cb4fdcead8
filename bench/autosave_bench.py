"""The questionnaire's answer autosave endpoint under gunicorn (2 workers) with many focal
points saving at once (each their own country's answer, carrying its version as the page
does), beside a bare Flask endpoint on the same server settings. On SQLite, and on
PostgreSQL when a URL is given.

    .venv/bin/python bench/autosave_bench.py [--seconds 10] [--focal-points 50]
        [--postgres postgresql+psycopg://user@host/db]   # the database is emptied first

Prints figures; asserts nothing about time. Targets from issue 4: p95 under 50 ms and at
least 30% of the bare endpoint's throughput. The load generator shares the machine (one
thread per focal point, a new connection per request), so read the ratio, not the absolute.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.http_bench import (  # noqa: E402
    BIN,
    free_port,
    gunicorn,
    load,
    session_cookie,
    wait_until_up,
)

PASSWORD = "bench-password-123"
CYCLE = "GCI-2025"  # the demo's open cycle
QUESTION = "LEG.3.2"


def make_focal_points(database_url: str, count: int) -> list[tuple[str, str]]:
    """(e-mail, iso3) of `count` focal points, one per country, created in the database."""
    from sqlmodel import select

    from core import accounts, create_app, db
    from core.models import Country, Role

    app = create_app(
        {"DATABASE_URL": database_url, "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_KIB": 8192},
        environ={},
    )
    out = []
    with app.app_context():
        session = db.session()
        for country in session.exec(select(Country).order_by(Country.iso3).limit(count)):
            email = f"bench.{country.iso3.lower()}@bench.example"
            accounts.create_user(
                session,
                email=email,
                name="Bench " + country.iso3,
                role=Role.focal_point,
                password=PASSWORD,
                country_iso3=country.iso3,
            )
            out.append((email, country.iso3))
        session.commit()
        db.engine().dispose()
    return out


def csrf_token(base: str, cookie: str, iso3: str) -> str:
    url = f"{base}/gci/questionnaires/{CYCLE}/{iso3}/pillars/LEG"
    request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310 - localhost
    html = urllib.request.urlopen(request).read().decode()  # noqa: S310 - localhost
    return re.search(r'data-csrf="([^"]+)"', html).group(1)


def autosave_load(port: int, people: list[dict], seconds: float) -> dict:
    """Each focal point saves its answer again and again, yes and no in turn, each time on
    top of the version the last save returned (as the page does)."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def worker(person):
        mine, codes, version, value = [], {}, person["version"], "yes"
        path = f"/gci/questionnaires/{CYCLE}/{person['iso3']}/answers/{QUESTION}"
        headers = {
            "Cookie": person["cookie"],
            "X-CSRFToken": person["csrf"],
            "Content-Type": "application/json",
            "Accept": "application/json",
        }
        while time.monotonic() < stop_at:
            value = "no" if value == "yes" else "yes"
            body = json.dumps({"value": value, "version": version})
            started = time.perf_counter()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            connection.close()
            mine.append(time.perf_counter() - started)
            codes[response.status] = codes.get(response.status, 0) + 1
            version = json.loads(data).get("version", version)
        person["version"] = version
        with lock:
            latencies.extend(mine)
            for code, n in codes.items():
                statuses[code] = statuses.get(code, 0) + n

    threads = [threading.Thread(target=worker, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    return {
        "requests": len(latencies),
        "rps": len(latencies) / seconds,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000,
        "statuses": statuses,
    }


def reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def run(label: str, database_url: str, args) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "FLASK_APP": "wsgi",
        "LOGIN_RATE_LIMIT": "10000 per minute",
        # sign-in cost is not what is measured here
        "ARGON2_TIME_COST": "1",
        "ARGON2_MEMORY_KIB": "8192",
    }
    flask = [str(BIN / "flask")]
    for command in (["db", "upgrade"], ["demo", "load"]):
        subprocess.run(flask + command, cwd=ROOT, env=env, check=True, capture_output=True)
    focal_points = make_focal_points(database_url, args.focal_points)
    app_port, hello_port = free_port(), free_port()
    processes = [gunicorn("wsgi:app", app_port, env), gunicorn("bench.hello:app", hello_port, env)]
    try:
        base = f"http://127.0.0.1:{app_port}"
        wait_until_up(base + "/healthz", processes[0])
        wait_until_up(f"http://127.0.0.1:{hello_port}/", processes[1])
        people = []
        for email, iso3 in focal_points:
            cookie = session_cookie(base, email, PASSWORD)
            people.append(
                {
                    "iso3": iso3,
                    "cookie": cookie,
                    "csrf": csrf_token(base, cookie, iso3),
                    "version": 0,
                }
            )
        autosave_load(app_port, people[:2], 1)  # warm-up
        saves = autosave_load(app_port, people, args.seconds)
        load(hello_port, "/", 1, 2, {})  # warm-up
        hello = load(hello_port, "/", args.seconds, len(people), {})
        for name, r in (("bare Flask hello", hello), ("answer autosave (POST)", saves)):
            print(
                f"{label:<12}{name:<26}{r['requests']:>9}{r['rps']:>9.0f}{r['p50_ms']:>9.1f}"
                f"{r['p95_ms']:>9.1f}  {r['statuses']}"
            )
        print(f"{label:<12}autosave / hello throughput: {saves['rps'] / hello['rps']:.0%}")
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=15)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--focal-points", type=int, default=50)
    parser.add_argument("--postgres", help="a PostgreSQL URL whose database may be emptied")
    args = parser.parse_args()
    print(
        f"CyberReady autosave benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs; "
        f"gunicorn -w 2 (sync); {args.focal_points} focal points x {args.seconds:.0f} s"
    )
    print(f"{'database':<12}{'target':<26}{'requests':>9}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}")
    workdir = Path(tempfile.mkdtemp(prefix="cyberready-autosave-"))
    run("SQLite", f"sqlite:///{workdir / 'bench.sqlite'}", args)
    if args.postgres:
        reset_postgres(args.postgres)
        run("PostgreSQL", args.postgres, args)


if __name__ == "__main__":
    main()
