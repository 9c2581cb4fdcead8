"""The questionnaire's answer autosave endpoint under gunicorn (2 sync workers) with 50
focal points, each saving their own country's answer on top of the version the last save
returned (as the page does), beside a bare Flask "hello" app on the same server settings; on
SQLite, and on PostgreSQL when a URL is given. Two runs, because they answer two questions:

- saturation (closed loop): every focal point sends its next save as soon as the last one
  returns, 50 at once, with no pause. This measures the most saves per second the server
  can take, and its ratio to the bare endpoint at the same concurrency (issue 4: at least
  30%). Its latencies are queueing, not service time: with 50 requests always waiting,
  p50 is about 50 / throughput (Little's law), whatever the server does per request.
- paced (open loop): each focal point saves about once per second (the page sends a save
  1.2 s after the last keystroke, so one person sends at most about one per second),
  50 saves/s in all, at random moments, each sent at its time whether or not the server
  kept up. This is the load the issue describes; its p50/p95 is what a focal point waits
  for "Saved." (issue 4: p95 under 50 ms). The same paced load on the bare endpoint shows
  the floor that the client and the network add.

    .venv/bin/python bench/autosave_bench.py [--seconds 10] [--focal-points 50]
        [--rate 1.0] [--postgres postgresql+psycopg://user@host/db]   # emptied first

Prints figures; asserts nothing about time. The load generator runs on the same machine as
the server (one thread per focal point, a new connection per request as gunicorn's sync
workers close each one), so the saturation figures are a share of the same CPUs: read the
ratio, not the absolute. "CPU ms" is the gunicorn workers' CPU time per request (from /proc),
"PG ms" that of PostgreSQL's processes serving the bench's database, on the same CPUs: they
depend less on what else the machine runs, and hello's CPU over the autosave's is the
throughput ratio the server would reach with CPUs of its own (no load generator, no
neighbours, the database elsewhere) and no waiting on the database. In the paced
run the generator needs little CPU; "late" counts the saves it sent more than 10 ms after
their time (a busy machine), so the latencies are the server's and not the generator's.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
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

from bench.drill_bench import cpu_seconds, database_backends  # noqa: E402
from bench.http_bench import (  # noqa: E402
    BIN,
    free_port,
    gunicorn,
    reset_postgres,
    session_cookie,
    wait_until_up,
)

PASSWORD = "bench-password-123"
USER_AGENT = f"Python-urllib/{sys.version_info[0]}.{sys.version_info[1]}"  # as at sign-in
CYCLE = "GCI-2025"  # the demo's open cycle
QUESTION = "LEG.3.2"


def make_focal_points(database_url: str, count: int) -> list[tuple[str, str, int]]:
    """(e-mail, iso3, stored version of the answer) of `count` focal points, one per country
    whose questionnaire they may still change (the demo hands some in), created in the
    database."""
    from sqlmodel import select

    from core import accounts, create_app, db
    from core.models import Country, Role
    from gci.cycles import service as cycles
    from gci.questionnaire import answers, reading, workflow

    app = create_app(
        {"DATABASE_URL": database_url, "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_KIB": 8192},
        environ={},
    )
    out = []
    with app.app_context():
        session = db.session()
        cycle = cycles.cycle_by_code(session, CYCLE)
        for country in session.exec(select(Country).order_by(Country.iso3)):
            if len(out) == count:
                break
            if not workflow.editable(
                reading.state_of(reading.questionnaire(session, cycle, country))
            ):
                continue
            stored = answers.stored_answers(session, cycle, country).get(QUESTION)
            email = f"bench.{country.iso3.lower()}@bench.example"
            accounts.create_user(
                session,
                email=email,
                name="Bench " + country.iso3,
                role=Role.focal_point,
                password=PASSWORD,
                country_iso3=country.iso3,
            )
            out.append((email, country.iso3, stored.version if stored else 0))
        session.commit()
        db.engine().dispose()
    return out


def csrf_token(base: str, cookie: str, iso3: str) -> str:
    url = f"{base}/gci/questionnaires/{CYCLE}/{iso3}/pillars/LEG"
    request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310 - localhost
    html = urllib.request.urlopen(request).read().decode()  # noqa: S310 - localhost
    return re.search(r'data-csrf="([^"]+)"', html).group(1)


def _save(port: int, person: dict, value: str) -> tuple[int, dict]:
    path = f"/gci/questionnaires/{CYCLE}/{person['iso3']}/answers/{QUESTION}"
    headers = {
        "Cookie": person["cookie"],
        "X-CSRFToken": person["csrf"],
        "Content-Type": "application/json",
        "Accept": "application/json",
        # A browser sends the same User-Agent as when it signed in; a different one would
        # make Flask-Login mark the session not fresh and send a new cookie every time.
        "User-Agent": USER_AGENT,
    }
    body = json.dumps({"value": value, "version": person["version"]})
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("POST", path, body=body, headers=headers)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, json.loads(data)


def _hello(port: int, _person: dict, _value: str) -> tuple[int, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/")
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status, {}


def run_load(
    port: int,
    people: list[dict],
    seconds: float,
    send,
    rate: float | None,
    server: int,
    backends: list[int] = (),
) -> dict:
    """Each focal point saves its answer again and again, yes and no in turn, each time on
    top of the version the last save returned. `rate` None: closed loop (the next save as
    soon as the last returns); else open loop, about `rate` saves per second per focal point
    at random moments (intervals uniform in [0.5, 1.5] / rate), starting at random."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    late = 0
    lock = threading.Lock()
    cpu_before, database_before = cpu_seconds([server]), cpu_seconds(backends)
    started = time.monotonic()
    stop_at = started + seconds

    def worker(person, seed):
        nonlocal late
        rng = random.Random(seed)
        mine, codes, lateness, value = [], {}, 0, "yes"
        due = started + (rng.uniform(0, 1 / rate) if rate else 0)
        while due < stop_at:
            if rate:
                pause = due - time.monotonic()
                if pause > 0:
                    time.sleep(pause)
                elif pause < -0.010:
                    lateness += 1
            value = "no" if value == "yes" else "yes"
            sent = time.perf_counter()
            status, body = send(port, person, value)
            mine.append(time.perf_counter() - sent)
            codes[status] = codes.get(status, 0) + 1
            person["version"] = body.get("version", person["version"])
            due = due + rng.uniform(0.5, 1.5) / rate if rate else time.monotonic()
        with lock:
            latencies.extend(mine)
            late += lateness
            for code, n in codes.items():
                statuses[code] = statuses.get(code, 0) + n

    threads = [threading.Thread(target=worker, args=(p, n)) for n, p in enumerate(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    server_cpu = cpu_seconds([server]) - cpu_before
    database_cpu = cpu_seconds(backends) - database_before
    latencies.sort()
    return {
        "cpu_ms": server_cpu / len(latencies) * 1000,
        "database_cpu_ms": database_cpu / len(latencies) * 1000,
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000,
        "statuses": statuses,
        "late": late,
    }


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
        for email, iso3, version in focal_points:
            cookie = session_cookie(base, email, PASSWORD)
            people.append(
                {
                    "iso3": iso3,
                    "cookie": cookie,
                    "csrf": csrf_token(base, cookie, iso3),
                    "version": version,
                }
            )
        app_pid, hello_pid = processes[0].pid, processes[1].pid
        run_load(app_port, people, 1, _save, None, app_pid)  # warm-up: every connection open
        run_load(hello_port, people[:2], 1, _hello, None, hello_pid)
        backends = database_backends(database_url if database_url.startswith("postgres") else None)
        seconds, rate = args.seconds, args.rate
        rows = [
            ("saturation", "bare Flask hello", hello_port, _hello, None, hello_pid, ()),
            ("saturation", "answer autosave (POST)", app_port, _save, None, app_pid, backends),
            ("paced", "bare Flask hello", hello_port, _hello, rate, hello_pid, ()),
            ("paced", "answer autosave (POST)", app_port, _save, rate, app_pid, backends),
        ]
        rows = [
            (run, name, run_load(port, people, seconds, send, pace, pid, pg))
            for run, name, port, send, pace, pid, pg in rows
        ]
        for run_name, name, r in rows:
            print(
                f"{label:<12}{run_name:<12}{name:<24}{r['requests']:>9}{r['rps']:>8.0f}"
                f"{r['p50_ms']:>9.1f}{r['p95_ms']:>9.1f}{r['late']:>6}{r['cpu_ms']:>8.2f}"
                f"{r['database_cpu_ms']:>7.2f}"
                f"  {r['statuses']}"
            )
        ratio = rows[1][2]["rps"] / rows[0][2]["rps"]
        print(f"{label:<12}saturation: autosave / hello throughput {ratio:.0%} (target >= 30%)")
        cpu_ratio = rows[0][2]["cpu_ms"] / rows[1][2]["cpu_ms"]
        print(
            f"{label:<12}server CPU per request: autosave {rows[1][2]['cpu_ms']:.2f} ms, hello "
            f"{rows[0][2]['cpu_ms']:.2f} ms: on CPUs of its own the server would serve "
            f"{cpu_ratio:.0%} of hello's rate"
        )
        print(f"{label:<12}paced: autosave p95 {rows[3][2]['p95_ms']:.1f} ms (target < 50 ms)")
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=15)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--focal-points", type=int, default=50)
    parser.add_argument("--rate", type=float, default=1.0, help="paced saves/s per focal point")
    parser.add_argument("--postgres", help="a PostgreSQL URL whose database may be emptied")
    args = parser.parse_args()
    print(
        f"CyberReady autosave benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs; "
        f"gunicorn -w 2 (sync); {args.focal_points} focal points x {args.seconds:.0f} s per run; "
        f"paced: {args.rate:g} save/s each; load average {os.getloadavg()[0]:.2f} at start"
    )
    print(
        f"{'database':<12}{'run':<12}{'target':<24}{'requests':>9}{'req/s':>8}{'p50 ms':>9}"
        f"{'p95 ms':>9}{'late':>6}{'CPU ms':>8}{'PG ms':>7}  statuses"
    )
    workdir = Path(tempfile.mkdtemp(prefix="cyberready-autosave-"))
    run("SQLite", f"sqlite:///{workdir / 'bench.sqlite'}", args)
    if args.postgres:
        reset_postgres(args.postgres)
        run("PostgreSQL", args.postgres, args)


if __name__ == "__main__":
    main()
