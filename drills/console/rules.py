"""What a team's console shows, as pure rules: the feed (ETag and JSON body), the injects due,
and when the console should ask again. The console view and the pre-Flask poll
(drills/poll.py) both compute the feed with feed() here."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from flask_babel import lazy_gettext as _l

from drills.clock import real_time_at
from scenarios import model


def console_etag(state: str, inject_ids: list[str], marks: tuple) -> str:
    """What the console's poll compares (drills/poll.py computes it too, without Flask)."""
    text = f"{state}|{','.join(inject_ids)}|{','.join(str(m) for m in marks)}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def feed_body(state: str, elapsed: float, inject_ids: list[str]) -> str:
    """The feed's JSON: the same whether Flask or drills/poll.py answers."""
    body = {"elapsed": round(elapsed, 2), "injects": inject_ids, "state": state}
    return json.dumps(body, separators=(",", ":")) + "\n"


def due_injects(scenario: model.Scenario, minutes, elapsed: float) -> list[tuple]:
    """(minute, inject) of every inject that has reached the team, in the order it did."""
    return sorted(
        ((m, i) for i in scenario.injects if (m := minutes[i.id]) is not None and m <= elapsed),
        key=lambda pair: (pair[0], pair[1].offset_minutes, pair[1].id),
    )


POLL_SECONDS = 2.0  # how often a console asks (core/static/js/console.js)


POLL_AFTER_HEADER = "Poll-After"  # milliseconds; the console's next poll comes then


def poll_after_ms(seconds: float) -> str:
    return str(int(seconds * 1000))


def poll_after(due: list[datetime | None], now: datetime) -> float | None:
    """Seconds until the next of these moments (the drill's start, the next inject for the
    team) if it comes before the console's next poll: the console asks again just then, so
    a scheduled inject shows at once. The team learns no more than polling would tell it a
    moment later: at most one poll interval ahead, never what comes."""
    waits = [(at - now).total_seconds() for at in due if at is not None]
    soon = [w for w in waits if 0 <= w < POLL_SECONDS]
    return min(soon) if soon else None


def next_due(timing, minutes: dict[str, float | None], elapsed: float) -> datetime | None:
    """When the next inject reaches the team by the clock, if one is still to come."""
    upcoming = [m for m in minutes.values() if m is not None and m > elapsed]
    return real_time_at(timing, min(upcoming)) if upcoming else None


# Why a team may not submit (again), by scoring.may_submit's reason.
REFUSALS = {
    "waiting": _l("Your answer is waiting for an evaluator."),
    "right": _l("You have answered this right."),
    "exhausted": _l("You have used every submission this question allows."),
}
