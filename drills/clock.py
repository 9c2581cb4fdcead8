"""The drill clock: drill minutes elapsed, as a pure function of the start, the pauses, the
time compression and now. The database keeps those facts; nothing here keeps state, so the
console and the scheduler always agree and a restart loses nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Pause:
    started_at: datetime
    ended_at: datetime | None = None  # None: still paused


@dataclass(frozen=True)
class Timing:
    starts_at: datetime
    compression: float = 1.0  # drill minutes per real minute (2.0: twice as fast)
    pauses: tuple[Pause, ...] = ()
    ended_at: datetime | None = None

    def __post_init__(self):
        if not self.compression > 0:  # also refuses NaN
            raise ValueError("compression must be positive")


def _paused_seconds(timing: Timing, until: datetime) -> float:
    total = 0.0
    for pause in timing.pauses:
        start = max(pause.started_at, timing.starts_at)
        end = min(pause.ended_at or until, until)
        if end > start:
            total += (end - start).total_seconds()
    return total


def elapsed_minutes(timing: Timing, now: datetime) -> float:
    """Drill minutes elapsed at `now` (0 before the start; frozen while paused or ended)."""
    until = min(now, timing.ended_at) if timing.ended_at else now
    if until <= timing.starts_at:
        return 0.0
    running = (until - timing.starts_at).total_seconds() - _paused_seconds(timing, until)
    return max(0.0, running) * timing.compression / 60


def is_paused(timing: Timing, now: datetime) -> bool:
    return any(
        p.started_at <= now and (p.ended_at is None or now < p.ended_at) for p in timing.pauses
    )


def real_time_at(timing: Timing, minute: float) -> datetime | None:
    """When the drill clock reaches `minute`, given the pauses known so far; None when it
    will not (the drill ended before, or a pause is still open before that minute)."""
    moment = timing.starts_at + timedelta(minutes=minute / timing.compression)
    for pause in sorted(timing.pauses, key=lambda p: p.started_at):
        if pause.started_at >= moment:
            break
        if pause.ended_at is None:
            return None
        moment += pause.ended_at - max(pause.started_at, timing.starts_at)
    if timing.ended_at is not None and moment > timing.ended_at:
        return None
    return moment
