"""The scheduler process (`flask drills scheduler`): the only place that runs timed work.

APScheduler is just the clock that wakes `tick` every few seconds; the database is the
source of truth. Each tick writes this process's heartbeat (read by /healthz) and runs the
dispatcher (drills/dispatcher.py): start due drills, record due releases, end drills. Never
start this inside web workers: with several workers each would run every job (harmless for
the dispatcher's claims, but wasteful).
"""

from __future__ import annotations

import logging
import os
import signal
import socket
from datetime import UTC

from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask, current_app

from core import db, outbox
from core.models import SchedulerHeartbeat, utcnow
from drills import dispatcher
from drills.reports import service as report_service

log = logging.getLogger(__name__)


def process_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def beat(session, process: str) -> None:
    row = session.get(SchedulerHeartbeat, process)
    if row is None:
        row = SchedulerHeartbeat(process=process)
    row.beat_at = utcnow()
    session.add(row)
    session.commit()


def tick(app: Flask, process: str) -> None:
    with app.app_context():
        session = db.session()
        beat(session, process)
        done = dispatcher.dispatch(session, utcnow(), reports=False)
        outbox.deliver_due(session, app.config, utcnow())
        if done.started or done.released or done.ended:
            log.info(
                "drills started %s, releases recorded %s, drills ended %s",
                done.started,
                len(done.released),
                done.ended,
            )


def report(app: Flask) -> None:
    """The after-action reports of drills that ended: a job beside the tick (see dispatch)."""
    with app.app_context():
        made = report_service.generate_due(db.session(), utcnow())
        if made:
            log.info("after-action reports made for drills %s", made)


def forget(app: Flask, process: str) -> None:
    with app.app_context():
        session = db.session()
        row = session.get(SchedulerHeartbeat, process)
        if row is not None:
            session.delete(row)
            session.commit()


def run(app: Flask) -> None:
    process = process_name()
    scheduler = BlockingScheduler(timezone=UTC)
    scheduler.add_job(
        tick,
        "interval",
        seconds=app.config["SCHEDULER_TICK_SECONDS"],
        args=[app, process],
        id="tick",
        max_instances=1,
        coalesce=True,
        next_run_time=utcnow(),
    )
    scheduler.add_job(
        report,
        "interval",
        seconds=app.config["SCHEDULER_TICK_SECONDS"],
        args=[app],
        id="reports",
        max_instances=1,
        coalesce=True,
    )

    def stop(signum, _frame):
        # Ctrl-C reaches both `flask serve` and this process, and serve then sends SIGTERM:
        # the second signal finds the scheduler stopped already.
        log.info("scheduler %s: signal %s, stopping", process, signum)
        if scheduler.running:
            scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"Scheduler {process} running; Ctrl-C or SIGTERM stops it.", flush=True)
    scheduler.start()  # blocks until stop()
    forget(app, process)
    print(f"Scheduler {process} stopped.", flush=True)


def scheduler_command():
    """Run the scheduler process (heartbeat now; drill starts and inject releases later)."""
    run(current_app._get_current_object())
