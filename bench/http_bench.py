"""Requests per second and latency of /healthz and of an authenticated page under gunicorn
with 2 workers, beside a bare Flask "hello" app on the same settings, in one run.

    make bench                       # or: .venv/bin/python bench/http_bench.py --seconds 10

Prints figures; asserts nothing about time. The load generator runs on the same machine
(threads, one new connection per request, as gunicorn's sync workers close each one), so
read the figures against the hello baseline rather than as absolute capacity.
"""

from __future__ import annotations

import argparse
import http.client
import http.cookiejar
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def reset_postgres(url: str) -> None:
    """Empty a PostgreSQL database a bench may use (its public schema is dropped)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server for {url} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - localhost
                return
        except urllib.error.HTTPError:
            return  # it answers, even if not 200
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not come up")


def gunicorn(app: str, port: int, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            app,
        ],
        cwd=ROOT,
        env=env,
    )


def session_cookie(base: str, email: str, password: str) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(base + "/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    body = urllib.parse.urlencode({"email": email, "password": password, "csrf_token": token})
    opener.open(base + "/login", data=body.encode()).read()
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def load(port: int, path: str, seconds: float, concurrency: int, headers: dict) -> dict:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def worker():
        mine, codes = [], {}
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            connection.close()
            mine.append(time.perf_counter() - started)
            codes[response.status] = codes.get(response.status, 0) + 1
        with lock:
            latencies.extend(mine)
            for code, n in codes.items():
                statuses[code] = statuses.get(code, 0) + n

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="cyberready-bench-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite'}",
        "FLASK_APP": "wsgi",
        "LOGIN_RATE_LIMIT": "1000 per minute",
    }
    flask = [str(BIN / "flask")]
    for command in (["db", "upgrade"], ["demo", "load"]):
        subprocess.run(flask + command, cwd=ROOT, env=env, check=True, capture_output=True)

    app_port, hello_port = free_port(), free_port()
    processes = [
        subprocess.Popen(
            [*flask, "drills", "scheduler"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL
        ),
        gunicorn("wsgi:app", app_port, env),
        gunicorn("bench.hello:app", hello_port, env),
    ]
    try:
        base = f"http://127.0.0.1:{app_port}"
        wait_until_up(base + "/healthz", processes[1])
        wait_until_up(f"http://127.0.0.1:{hello_port}/", processes[2])
        time.sleep(1.5)  # first heartbeat
        cookie = session_cookie(base, "admin@demo.example", "cyberready-demo")
        targets = [
            ("bare Flask hello", hello_port, "/", {}),
            ("/healthz", app_port, "/healthz", {}),
            ("/account (signed in)", app_port, "/account", {"Cookie": cookie}),
        ]
        print(
            f"CyberReady HTTP benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
            f"{platform.python_implementation()} {platform.python_version()}, "
            f"{os.cpu_count()} CPUs; gunicorn -w 2 (sync), SQLite; "
            f"{args.concurrency} client threads x {args.seconds:.0f} s each"
        )
        print(f"{'target':<24}{'requests':>10}{'req/s':>10}{'p50 ms':>10}{'p95 ms':>10}  statuses")
        for name, port, path, headers in targets:
            load(port, path, 1, 2, headers)  # warm-up
            r = load(port, path, args.seconds, args.concurrency, headers)
            print(
                f"{name:<24}{r['requests']:>10}{r['rps']:>10.0f}{r['p50_ms']:>10.1f}"
                f"{r['p95_ms']:>10.1f}  {r['statuses']}"
            )
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=15)


if __name__ == "__main__":
    main()
