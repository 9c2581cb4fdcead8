"""What a team's console shows, as pure rules: the feed (ETag and JSON body), the injects due,
and when the console should ask again. The console view and the pre-Flask poll
(drills/poll.py) both compute the feed with `feed` here, so that they cannot differ."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l

from drills import workflow
from drills.clock import Timing, elapsed_minutes, real_time_at
from scenarios.format import model
from scenarios.play import branching


def console_etag(state: str, inject_ids: list[str], marks: tuple) -> str:
    """What the console's poll compares (drills/poll.py computes it too, without Flask)."""
    text = f"{state}|{','.join(inject_ids)}|{','.join(str(m) for m in marks)}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def feed_body(state: str, elapsed: float, inject_ids: list[str]) -> str:
    """The feed's JSON: the same whether Flask or drills/poll.py answers."""
    body = {"elapsed": round(elapsed, 2), "injects": inject_ids, "state": state}
    return json.dumps(body, separators=(",", ":")) + "\n"


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


@dataclass(frozen=True)
class Feed:
    """What the console's feed says at one moment: the state the team sees, the drill minute,
    the injects that have reached the team (minute, inject) in order, and when to ask again."""

    state: str
    elapsed: float
    due: list[tuple[float, model.Inject]]
    marks: tuple  # the drill's and the team's revisions
    poll_after: float | None = None

    @property
    def inject_ids(self) -> list[str]:
        return [inject.id for _minute, inject in self.due]

    @property
    def etag(self) -> str:
        return console_etag(self.state, self.inject_ids, self.marks)

    @property
    def body(self) -> str:
        return feed_body(self.state, self.elapsed, self.inject_ids)


def feed(
    scenario: model.Scenario,
    timing: Timing,
    minutes: dict[str, float | None],
    *,
    stored_state: str,
    started: bool,
    extra_minutes: float,
    marks: tuple,
    now: datetime,
) -> Feed:
    """The feed of a drill that has started: the clock says how far it is, never beyond its
    length (an inject due after the end does not reach the team, even while the stored state
    lags the clock or the drill ended late)."""
    elapsed = elapsed_minutes(timing, now)
    length = scenario.duration_minutes + extra_minutes
    state = workflow.state_seen(stored_state, started, elapsed >= length)
    due = branching.in_release_order(scenario, minutes, min(elapsed, length))
    soon = poll_after([next_due(timing, minutes, elapsed)], now) if state == "running" else None
    return Feed(state, elapsed, due, marks, soon)
