"""Browser tests: the platform as `make run` serves it (web server and scheduler in their own
processes, demo data), driven by Debian's Chromium through Playwright. Nothing is downloaded:
the system browser is launched through `executable_path`."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.conftest import ROOT, free_port

LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    return (
        os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def live_database_url(tmp_path_factory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('live-db') / 'live.sqlite'}"


@contextlib.contextmanager
def serve(workdir, database_url: str):
    """Base URL of a server started like `make run` on `database_url`: migrate, demo load,
    `flask serve`; stopped on leaving."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SCHEDULER_TICK_SECONDS": "1",
        "PORT": str(port),
        "FLASK_APP": "wsgi",
        # Many sign-ins from one address within a minute; the limit has its own test.
        "LOGIN_RATE_LIMIT": "1000 per minute",
    }
    env.pop("TEST_DATABASE_URL", None)
    flask = [sys.executable, "-m", "flask"]
    for command in (["db", "upgrade"], ["demo", "load"]):
        subprocess.run(flask + command, cwd=ROOT, env=env, check=True, capture_output=True)
    log = (workdir / "server.log").open("w")
    server = subprocess.Popen(flask + ["serve"], cwd=ROOT, env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    break
        except OSError:
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            server.terminate()
            pytest.fail(
                "the live server did not become healthy:\n" + (workdir / "server.log").read_text()
            )
        time.sleep(0.3)
    try:
        yield base
    finally:
        server.terminate()
        server.wait(timeout=15)
        log.close()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, live_database_url):
    """The server most browser tests share (one database for the whole session)."""
    with serve(tmp_path_factory.mktemp("live"), live_database_url) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if executable is None:
        message = "no Chromium found (apt-get install chromium, or set CHROMIUM=/path)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {message}")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
        yield browser
        browser.close()


def person_page(browser, base_url: str, contexts: list, locale: str = "en-GB"):
    """A page in a browser context of its own (one per person), collecting console errors."""
    context = browser.new_context(base_url=base_url, locale=locale)
    contexts.append(context)
    page = context.new_page()
    page.console_errors = []
    page.on(
        "console",
        lambda message: message.type == "error" and page.console_errors.append(message.text),
    )
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    return page


@pytest.fixture
def new_page(browser, live_server):
    """Pages in contexts of their own (one per person), closed after the test."""
    contexts = []
    yield lambda: person_page(browser, live_server, contexts)
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()
