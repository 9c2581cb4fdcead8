"""A drill at scale under gunicorn: one drill, 200 teams of 5 participants, 30 injects, and
1,000 simulated consoles polling the feed as core/static/js/console.js does (the session
cookie of each participant, If-None-Match, 2 s after each answer or just after the moment
its Poll-After header names, keep-alive).

    .venv/bin/python bench/drill_bench.py                     # SQLite in a temporary file
    .venv/bin/python bench/drill_bench.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test_scale
    .venv/bin/python bench/drill_bench.py --worker-class sync --threads 1   # compare

gunicorn runs 2 workers of 4 threads (gthread) with keep-alive: on this 2-core machine that
served the 1,000 consoles with less CPU and far less waiting than 2 sync workers, which
close every connection. The scheduler ticks every second here (5 s by default) so that the
drill starts on time: the console shows nothing while a drill is still "scheduled".

The PostgreSQL database is emptied first (its public schema is dropped). Prints figures;
asserts nothing about time. The consoles run in this process (aiohttp) on the same machine
as the server, so the server's CPU is measured from /proc for gunicorn and the scheduler
only. Phases, in one run:

1. release: the scheduler starts the drill; an inject falls due every 60/compression s;
   release-to-visible is the time from an inject's due time to the first poll of each
   console that returns it.
2. idle: nothing falls due; requests per second and server CPU (CPU s / wall s).
3. answers: participants submit answers (form POST with the CSRF token) at --answer-rate
   while the consoles keep polling; latency of the POST (a redirect when accepted), seen
   by the answering client (a process of its own) and in the server (gunicorn's log).
4. pages: every team then has answered every inject (the rest inserted directly); the
   trainer's control room, the scoreboard, the evaluators' page and a team console are
   fetched one at a time: that time is the server's (nothing else is running).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import multiprocessing
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

from bench.http_bench import free_port, reset_postgres, wait_until_up  # noqa: E402

USER_AGENT = "cyberready-drill-bench"
SECRET_KEY = "drill-bench-secret-not-for-production"  # noqa: S105 - a throwaway bench server
PASSWORD = "bench-password-unused"  # noqa: S105 - consoles get session cookies directly


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(len(ordered) * share + 0.5) - 1))]


# --- the data ------------------------------------------------------------------------------


def scenario_text(injects: int, duration: int) -> str:
    """A valid scenario: `injects` injects one drill minute apart from minute 1, each with
    one automatically scored question."""
    return json.dumps(
        {
            "format": "cyberready-scenario/1",
            "id": "drill-bench",
            "title": "Benchmark drill",
            "summary": "Many injects for many teams.",
            "audience": "CIRT analysts",
            "languages": ["en"],
            "duration_minutes": duration,
            "difficulty": "introductory",
            "tags": ["bench"],
            "tlp": "GREEN",
            "objectives": [
                {"id": "O1", "text": "Detect.", "capability": "Detect", "gci_pillar": "TEC"}
            ],
            "injects": [
                {
                    "id": f"I{n:02d}",
                    "offset_minutes": n,
                    "title": f"Alert number {n}",
                    "channel": "soc_alert",
                    "body": f"Alert **{n}** fired on the SOC console. Look at the log.",
                    "objectives": ["O1"],
                    "responses": [
                        {
                            "id": "R1",
                            "prompt": "Which IP logged in?",
                            "type": "exact",
                            "answer": f"203.0.113.{n}",
                            "match": "exact",
                            "points": 10,
                            "scoring": "auto",
                            "decay": {"full_minutes": 10, "zero_minutes": 40, "floor": 0.5},
                            "objectives": ["O1"],
                        }
                    ],
                }
                for n in range(1, injects + 1)
            ],
        }
    )


def build(app, teams: int, members: int, injects: int, duration: int, compression: float):
    """One drill, scheduled far ahead (the bench moves its start when consoles are ready),
    its teams and participants (inserted in bulk with one password hash), a trainer."""
    from sqlalchemy import insert
    from sqlmodel import select

    from core import db
    from core.accounts import _hasher
    from core.models import Role, User
    from drills.models import Drill, Team, TeamMember
    from scenarios.authoring import service as scenarios

    with app.app_context():
        session = db.session()
        password_hash = _hasher().hash(PASSWORD)  # one hash for all: argon2 is slow on purpose
        trainer = User(
            email="trainer@bench.example",
            name="Trainer",
            role=Role.trainer,
            password_hash=password_hash,
            session_token=os.urandom(16).hex(),
        )
        session.add(trainer)
        session.flush()
        version = scenarios.import_text(
            session, scenario_text(injects, duration), publish=True, actor=trainer
        )
        drill = Drill(
            name="Bench drill",
            starts_at=datetime.now(UTC) + timedelta(days=1),
            scenario_version_id=version.id,
            compression=compression,
        )
        session.add(drill)
        session.flush()
        session.execute(
            insert(Team),
            [{"drill_id": drill.id, "name": f"Team {n:03d}"} for n in range(teams)],
        )
        session.execute(
            insert(User),
            [
                {
                    "email": f"p{n:04d}@bench.example",
                    "name": f"Participant {n}",
                    "role": Role.participant,
                    "password_hash": password_hash,
                    "session_token": os.urandom(16).hex(),
                    "active": True,
                    "time_zone": "UTC",
                    "created_at": datetime.now(UTC),
                }
                for n in range(teams * members)
            ],
        )
        team_ids = list(session.exec(select(Team.id).where(Team.drill_id == drill.id)))
        user_ids = list(
            session.exec(select(User.id).where(User.role == Role.participant).order_by(User.id))
        )
        session.execute(
            insert(TeamMember),
            [
                {"team_id": team_ids[n // members], "user_id": user_id}
                for n, user_id in enumerate(user_ids)
            ],
        )
        session.commit()
        return drill.id, trainer.id, team_ids, user_ids


def cookies(app, user_ids: list[int]) -> dict[int, tuple[str, str]]:
    """Each user's session cookie and CSRF token, as a sign-in would leave them."""
    from flask import g
    from flask import session as flask_session
    from flask_login import login_user
    from flask_wtf.csrf import generate_csrf
    from sqlmodel import select

    from core import db
    from core.models import User

    serializer = app.session_interface.get_signing_serializer(app)
    found = {}
    with app.app_context():
        users = {u.id: u for u in db.session().exec(select(User).where(User.id.in_(user_ids)))}
        for user_id in user_ids:
            with app.test_request_context(
                headers={"User-Agent": USER_AGENT}, environ_base={"REMOTE_ADDR": "127.0.0.1"}
            ):
                g.pop("csrf_token", None)  # generate_csrf keeps one per app context
                login_user(users[user_id])
                token = generate_csrf()
                found[user_id] = (serializer.dumps(dict(flask_session)), token)
    return found


def move_start(app, drill_id: int, starts_at: datetime) -> None:
    from core import db
    from drills.models import Drill

    with app.app_context():
        session = db.session()
        drill = session.get(Drill, drill_id)
        drill.starts_at = starts_at
        session.add(drill)
        session.commit()


def answer_everything(app, drill_id: int, team_ids, user_ids, members: int, injects: int):
    """Every team answers every inject (what the answer phase did not), directly."""
    from sqlalchemy import insert, update
    from sqlmodel import select

    from core import db
    from drills.models import Submission, Team, new_revision

    now = datetime.now(UTC)
    with app.app_context():
        session = db.session()
        done = set(
            session.exec(
                select(Submission.team_id, Submission.inject_id).where(
                    Submission.drill_id == drill_id
                )
            ).all()
        )
        rows = [
            {
                "drill_id": drill_id,
                "team_id": team_id,
                "inject_id": f"I{n:02d}",
                "response_id": "R1",
                "attempt": 1,
                "answer": {"v": f"203.0.113.{n}"},
                "submitted_at": now,
                "submitted_by_id": user_ids[index * members],
                "drill_minute": n + 2.0,
                "release_minute": float(n),
                "hints_opened": 0,
                "max_points": 10.0,
                "correct": True,
                "points": 10.0,
                "verdict_minute": n + 2.0,
                "scored_at": now,
                "rule": "auto: exact match",
                "note": "",
            }
            for index, team_id in enumerate(team_ids)
            for n in range(1, injects + 1)
            if (team_id, f"I{n:02d}") not in done
        ]
        if rows:
            session.execute(insert(Submission), rows)
            # a bulk insert skips the ORM's flush, so it stamps the teams itself
            session.execute(
                update(Team).where(Team.drill_id == drill_id).values(revision=new_revision())
            )
        session.commit()
        return len(rows)


def submission_count(app, drill_id: int) -> int:
    from sqlalchemy import func
    from sqlmodel import select

    from core import db
    from drills.models import Submission

    with app.app_context():
        return (
            db.session()
            .exec(
                select(func.count()).select_from(Submission).where(Submission.drill_id == drill_id)
            )
            .one()
        )


# --- the server ----------------------------------------------------------------------------


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of these processes and of their children, from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in _with_children(pids):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def cpu_each(pids: list[int]) -> dict[int, float]:
    """CPU seconds of each of these processes' children (gunicorn's workers) and of the
    processes without children (the scheduler)."""
    found = {}
    for pid in pids:
        children = [c for c in _with_children([pid]) if c != pid]
        for each in children or [pid]:
            found[each] = cpu_seconds([each])  # a worker or the scheduler: no children
    return found


def _with_children(pids: list[int]) -> list[int]:
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], list(pids)
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += parents.get(pid, [])
    return found


# --- the consoles --------------------------------------------------------------------------


class Stats:
    def __init__(self):
        self.polls: list[tuple[float, int, float]] = []  # (finished at, status, seconds)
        self.visible: list[float] = []  # release-to-visible, seconds
        self.answers: list[tuple[int, float]] = []  # (status, seconds)
        self.errors = 0
        self.refusal = ""  # the first answer that was not accepted


async def console(http, base, team_id, cookie, due, stats: Stats, stop: asyncio.Event):
    """One browser tab: the page's ETag first, then a poll 2 s after each answer."""
    import aiohttp

    url = f"{base}/drills/teams/{team_id}/feed"
    headers = {"Cookie": f"session={cookie}", "Accept": "application/json"}
    seen: set[str] = set()
    etag = None
    await asyncio.sleep(random.uniform(0, 2))  # noqa: S311 - spreading the tabs
    while not stop.is_set():
        asked = {**headers, **({"If-None-Match": etag} if etag else {})}
        started = time.perf_counter()
        wait = 2.0
        try:
            async with http.get(url, headers=asked) as response:
                body = await response.read()
                finished = time.time()
                stats.polls.append((finished, response.status, time.perf_counter() - started))
                soon = response.headers.get("Poll-After")
                if soon is not None and int(soon) < 2000:
                    wait = int(soon) / 1000 + 0.1  # as the console: just after it falls due
                if response.status == 200:
                    etag = response.headers.get("ETag")
                    for inject_id in json.loads(body)["injects"]:
                        if inject_id not in seen:
                            seen.add(inject_id)
                            if etag is not None and inject_id in due and due[inject_id][1]:
                                stats.visible.append(finished - due[inject_id][0])
        except (aiohttp.ClientError, TimeoutError):
            stats.errors += 1
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), wait)


async def answerer(base, plan, rate, seconds) -> tuple[list[tuple[int, float]], str, float]:
    """Answers at `rate` per second: one POST per (team, inject), by one of its members.
    Returns (status, seconds) of each, the first refusal's text, and how long it sent."""
    import aiohttp

    started = time.monotonic()
    tasks, answers, refusal = [], [], []

    async def post(http, team_id, inject_id, answer, cookie, token):
        began = time.perf_counter()
        url = f"{base}/drills/teams/{team_id}/injects/{inject_id}/responses/R1/submit"
        async with http.post(
            url,
            data={"answer": answer, "attempt": "1", "csrf_token": token},
            headers={"Cookie": f"session={cookie}"},
            allow_redirects=False,
        ) as response:
            body = await response.read()
            answers.append((response.status, time.perf_counter() - began))
            if response.status != 302 and not refusal:
                text = body.decode(errors="replace")
                refusal.append(text[text.find("<main") :][:400])

    async with aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=100),
        headers={"User-Agent": USER_AGENT},
        cookie_jar=aiohttp.DummyCookieJar(),
    ) as http:
        for n, item in enumerate(plan):
            at = started + n / rate
            if at - started >= seconds:
                break
            await asyncio.sleep(max(0.0, at - time.monotonic()))
            tasks.append(asyncio.create_task(post(http, *item)))
        sending = time.monotonic() - started
        await asyncio.gather(*tasks, return_exceptions=True)
    return answers, (refusal[0] if refusal else ""), sending


def answer_process(base, plan, rate, seconds):
    """The answerers in a process of their own, as they are other people's browsers: their
    latency is not held up by the event loop of the 1,000 polling consoles."""
    return asyncio.run(answerer(base, plan, rate, seconds))


async def run_load(args, base, drill_start, team_of_user, cookie_of, team_ids, members, pids):
    import aiohttp

    stats = Stats()
    stop = asyncio.Event()
    # One connection per tab, kept alive as a browser does (when the server keeps it).
    sessions = [
        aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=1, force_close=False),
            headers={"User-Agent": USER_AGENT},
            cookie_jar=aiohttp.DummyCookieJar(),
            timeout=aiohttp.ClientTimeout(total=30),
        )
        for _ in cookie_of
    ]
    # Due time of each inject, and whether it is measured (it falls due after the start).
    due = {
        f"I{n:02d}": ((drill_start + timedelta(minutes=n / args.compression)).timestamp(), True)
        for n in range(1, args.injects + 1)
    }
    tasks = [
        asyncio.create_task(
            console(http, base, team_of_user[user_id], cookie_of[user_id][0], due, stats, stop)
        )
        for http, user_id in zip(sessions, cookie_of, strict=True)
    ]
    lags: list[float] = []

    async def loop_lag():  # how late the client's own event loop runs: is the client the limit?
        while not stop.is_set():
            began = time.perf_counter()
            await asyncio.sleep(0.1)
            lags.append(time.perf_counter() - began - 0.1)

    lag_task = asyncio.create_task(loop_lag())
    figures = {}
    last_due = max(at for at, _ in due.values())
    await asyncio.sleep(max(0.0, last_due + 4 - time.time()))
    figures["release"] = list(stats.visible)

    # Idle: nothing falls due, nothing is written.
    await asyncio.sleep(2)
    polls_before, cpu_before, wall_before = len(stats.polls), cpu_seconds(pids), time.time()
    client_before, lags_before = time.process_time(), len(lags)
    backends = database_backends(args.postgres)
    database_before = cpu_seconds(backends)
    await asyncio.sleep(args.idle_seconds)
    wall = time.time() - wall_before
    idle = stats.polls[polls_before:]
    idle_lags = lags[lags_before:]
    figures["idle"] = {
        "rps": len(idle) / wall,
        "cpu": (cpu_seconds(pids) - cpu_before) / wall,
        "database_cpu": (cpu_seconds(backends) - database_before) / wall,
        "client_cpu": (time.process_time() - client_before) / wall,
        "client_lag": percentile(idle_lags, 0.95),
        "p50": percentile([s for _, _, s in idle], 0.5),
        "p95": percentile([s for _, _, s in idle], 0.95),
        "statuses": _count(status for _, status, _ in idle),
    }

    # Answers while the consoles keep polling.
    plan = []
    first_member = {team_id: i * members for i, team_id in enumerate(team_ids)}
    user_list = list(cookie_of)
    for n in range(1, args.injects + 1):
        for team_id in team_ids:
            user_id = user_list[first_member[team_id] + n % members]
            cookie, token = cookie_of[user_id]
            plan.append((team_id, f"I{n:02d}", f"203.0.113.{n}", cookie, token))
    answering = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
    await asyncio.get_running_loop().run_in_executor(answering, time.sleep, 0)  # started
    polls_before, cpu_before, wall_before = len(stats.polls), cpu_seconds(pids), time.time()
    client_before, lags_before = time.process_time(), len(lags)
    each_before = cpu_each(pids)
    stats.answers, stats.refusal, sending = await asyncio.get_running_loop().run_in_executor(
        answering, answer_process, base, plan, args.answer_rate, args.answer_seconds
    )
    answering.shutdown()
    wall = time.time() - wall_before
    during = stats.polls[polls_before:]
    answer_lags = lags[lags_before:]
    figures["answers"] = {
        # accepted per second of sending (n answers are sent over n intervals of 1/rate)
        "rate": sum(1 for status, _ in stats.answers if status == 302)
        / (sending + 1 / args.answer_rate),
        "wall": wall,
        "refusal": stats.refusal,
        "p50": percentile([s for _, s in stats.answers], 0.5),
        "p95": percentile([s for _, s in stats.answers], 0.95),
        "statuses": _count(status for status, _ in stats.answers),
        "poll_rps": len(during) / wall,
        "poll_p95": percentile([s for _, _, s in during], 0.95),
        "cpu": (cpu_seconds(pids) - cpu_before) / wall,
        "client_cpu": (time.process_time() - client_before) / wall,
        "client_lag": percentile(answer_lags, 0.95),
        # one gunicorn worker busier than the other is a queue the total does not show
        "each": sorted(
            (
                round((cpu - each_before.get(pid, 0.0)) / wall, 2)
                for pid, cpu in cpu_each(pids).items()
            ),
            reverse=True,
        ),
    }
    stop.set()
    await asyncio.gather(*tasks, lag_task)
    for http in sessions:
        await http.close()
    figures["errors"] = stats.errors
    figures["all_polls"] = _count(status for _, status, _ in stats.polls)
    return figures


def database_backends(url: str | None) -> list[int]:
    """The PostgreSQL server processes serving this bench's database (their CPU is the
    server's too); none for SQLite, which runs inside the workers."""
    if not url:
        return []
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        pids = connection.execute(
            text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        ).scalars()
        found = list(pids)
    engine.dispose()
    return found


def database_note(args, figures) -> str:
    if not args.postgres:
        return ""
    return f", and {figures['database_cpu']:.2f} in PostgreSQL's own processes"


def _count(values) -> dict:
    counts: dict = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


async def page_times(base, pages, repeat):
    import aiohttp

    found = {}
    async with aiohttp.ClientSession(
        headers={"User-Agent": USER_AGENT}, cookie_jar=aiohttp.DummyCookieJar()
    ) as http:
        for name, path, cookie in pages:
            times, status, size = [], None, 0
            for n in range(repeat + 1):
                began = time.perf_counter()
                async with http.get(base + path, headers={"Cookie": f"session={cookie}"}) as r:
                    body = await r.read()
                    status, size = r.status, len(body)
                if n:  # the first one warms the worker
                    times.append(time.perf_counter() - began)
            found[name] = (percentile(times, 0.5), percentile(times, 0.95), status, size)
    return found


def server_times(access_log: Path) -> dict[str, tuple[float, float]]:
    """p50 and p95 in ms of the answers' and the polls' request time, from gunicorn's log."""
    found: dict[str, list[float]] = {"answer": [], "poll": []}
    for line in access_log.read_text().splitlines():
        method, path, _status, micros = line.split()
        if method == "POST" and path.endswith("/submit"):
            found["answer"].append(int(micros) / 1000)
        elif method == "GET" and path.endswith("/feed"):
            found["poll"].append(int(micros) / 1000)
    return {k: (percentile(v, 0.5), percentile(v, 0.95)) for k, v in found.items()}


# --- the run -------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", metavar="URL", help="PostgreSQL URL (emptied first)")
    parser.add_argument("--teams", type=int, default=200)
    parser.add_argument("--members", type=int, default=5)
    parser.add_argument("--injects", type=int, default=30)
    parser.add_argument("--compression", type=float, default=30.0, help="drill min/real min")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", default="gthread")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--keep-alive", type=int, default=5, help="gunicorn --keep-alive (s)")
    parser.add_argument("--idle-seconds", type=float, default=20)
    parser.add_argument("--answer-rate", type=float, default=50)
    parser.add_argument("--answer-seconds", type=float, default=20)
    parser.add_argument("--repeat", type=int, default=10, help="fetches of each page")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="cyberready-drill-bench-"))
    url = args.postgres or f"sqlite:///{workdir / 'bench.sqlite'}"
    if args.postgres:
        reset_postgres(url)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "FLASK_APP": "wsgi",
        "SECRET_KEY": SECRET_KEY,
        "SCHEDULER_TICK_SECONDS": "1",
    }
    os.environ.update({"DATABASE_URL": url, "SECRET_KEY": SECRET_KEY})
    flask = [str(BIN / "flask")]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)

    from core import create_app

    app = create_app()
    began = time.perf_counter()
    duration = max(240, int(args.injects + 1 + args.compression * 3))
    drill_id, trainer_id, team_ids, user_ids = build(
        app, args.teams, args.members, args.injects, duration, args.compression
    )
    cookie_of = cookies(app, [*user_ids, trainer_id])
    trainer_cookie = cookie_of.pop(trainer_id)[0]
    team_of_user = {u: team_ids[n // args.members] for n, u in enumerate(user_ids)}
    setup_seconds = time.perf_counter() - began

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    access_log = workdir / "access.log"
    gunicorn = [
        str(BIN / "gunicorn"),
        "-w", str(args.workers),
        "-k", args.worker_class,
        "--threads", str(args.threads),
        "--keep-alive", str(args.keep_alive),
        "-b", f"127.0.0.1:{port}",
        "--backlog", "4096",
        "--log-level", "warning",
        # the server's own time per request (from parsing it to the last byte sent), beside
        # what the client sees, which includes its own event loop's delays
        "--access-logfile", str(access_log),
        "--access-logformat", "%(m)s %(U)s %(s)s %(D)s",
        "wsgi:app",
    ]  # fmt: skip
    server = subprocess.Popen(gunicorn, cwd=ROOT, env=env)
    scheduler = subprocess.Popen(
        [*flask, "drills", "scheduler"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL
    )
    try:
        wait_until_up(base + "/healthz", server, seconds=60)
        drill_start = datetime.now(UTC) + timedelta(seconds=6)
        move_start(app, drill_id, drill_start)
        figures = asyncio.run(
            run_load(
                args,
                base,
                drill_start,
                team_of_user,
                cookie_of,
                team_ids,
                args.members,
                [server.pid, scheduler.pid],
            )
        )
        accepted = submission_count(app, drill_id)
        filled = answer_everything(app, drill_id, team_ids, user_ids, args.members, args.injects)
        participant_cookie = cookie_of[user_ids[0]][0]
        pages = asyncio.run(
            page_times(
                base,
                [
                    ("control room (trainer)", f"/drills/{drill_id}", trainer_cookie),
                    ("scoreboard (trainer)", f"/drills/{drill_id}/scoreboard", trainer_cookie),
                    ("evaluators (trainer)", f"/drills/{drill_id}/evaluate", trainer_cookie),
                    ("team console (member)", f"/drills/teams/{team_ids[0]}", participant_cookie),
                    ("team console (trainer)", f"/drills/teams/{team_ids[-1]}", trainer_cookie),
                    ("feed (member, 200)", f"/drills/teams/{team_ids[0]}/feed", participant_cookie),
                ],
                args.repeat,
            )
        )
    finally:
        for process in (server, scheduler):
            process.terminate()
        for process in (server, scheduler):
            process.wait(timeout=20)

    engine = "PostgreSQL" if args.postgres else "SQLite"
    served = server_times(access_log)
    release = figures["release"]
    idle, answers = figures["idle"], figures["answers"]
    print(
        f"CyberReady drill benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} CPUs; gunicorn -w {args.workers} -k {args.worker_class} "
        f"--threads {args.threads}, {engine}, scheduler tick 1 s"
    )
    print(
        f"{args.teams} teams x {args.members} = {len(user_ids)} consoles, {args.injects} injects "
        f"one every {60 / args.compression:.1f} s; set-up {setup_seconds:.1f} s"
    )
    ms = 1000
    release_p50 = statistics.median(release) if release else float("nan")
    rows = [
        ("release-to-visible p50 / p95 (s)", f"{release_p50:.2f} / {percentile(release, 0.95):.2f}",
         "p95 < 2 s", f"{len(release)} (console, inject) pairs"),
        ("idle consoles: requests/s", f"{idle['rps']:.0f}", "",
         f"poll p50 {idle['p50'] * ms:.1f} ms, p95 {idle['p95'] * ms:.1f} ms, {idle['statuses']}"),
        ("idle consoles: server CPU (cores)", f"{idle['cpu']:.2f}", "< 0.5",
         f"gunicorn + scheduler{database_note(args, idle)}; client CPU {idle['client_cpu']:.2f}, "
         f"its loop lag p95 {idle['client_lag'] * ms:.0f} ms"),
        ("answers accepted/s", f"{answers['rate']:.1f}", ">= 50",
         f"{answers['statuses']}, {accepted} recorded; the last answered "
         f"{answers['wall']:.1f} s after the first was sent"),
        ("answer p50 / p95 (ms)", f"{answers['p50'] * ms:.0f} / {answers['p95'] * ms:.0f}",
         "p95 < 100", f"seen by the client; polls meanwhile {answers['poll_rps']:.0f}/s, "
         f"p95 {answers['poll_p95'] * ms:.0f} ms; server CPU {answers['cpu']:.2f}, "
         f"client CPU {answers['client_cpu']:.2f}, its loop lag p95 "
         f"{answers['client_lag'] * ms:.0f} ms"),
        ("answer in the server p50 / p95 (ms)",
         f"{served['answer'][0]:.0f} / {served['answer'][1]:.0f}", "p95 < 100",
         f"gunicorn's time (access log); CPU of the workers, scheduler {answers['each']}"),
        ("poll in the server p50 / p95 (ms)",
         f"{served['poll'][0]:.1f} / {served['poll'][1]:.1f}", "",
         "every poll of the run, 304 and 200"),
    ]  # fmt: skip
    for name, (p50, p95, status, size) in pages.items():
        rows.append(
            (f"{name} p50 / p95 (ms)", f"{p50 * ms:.0f} / {p95 * ms:.0f}", "< 300",
             f"HTTP {status}, {size // 1024} KB")
        )  # fmt: skip
    print(f"{'measure':<42}{'value':>16}  {'target':<10} notes")
    for name, value, target, note in rows:
        print(f"{name:<42}{value:>16}  {target:<10} {note}")
    if answers["refusal"]:
        print("first answer not accepted:", answers["refusal"])
    print(
        f"pages measured with {args.teams * args.injects} answers ({filled} inserted directly); "
        f"client errors {figures['errors']}; all polls {figures['all_polls']}"
    )


if __name__ == "__main__":
    main()
