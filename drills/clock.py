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


def _merged(timing: Timing) -> list[tuple[datetime, datetime | None]]:
    """The pauses from the start on, sorted, overlaps merged (so no second counts twice);
    an open pause (end None) swallows everything after it."""
    merged: list[tuple[datetime, datetime | None]] = []
    for pause in sorted(timing.pauses, key=lambda p: p.started_at):
        start = max(pause.started_at, timing.starts_at)
        end = pause.ended_at
        if end is not None and end <= start:
            continue
        if merged and (merged[-1][1] is None or start <= merged[-1][1]):
            last_start, last_end = merged[-1]
            merged[-1] = (
                last_start,
                None if last_end is None or end is None else max(last_end, end),
            )
        else:
            merged.append((start, end))
    return merged


def _paused_seconds(timing: Timing, until: datetime) -> float:
    total = 0.0
    for start, end in _merged(timing):
        end = min(end or until, until)
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


def real_time_at(timing: Timing, minute: float) -> datetime | None:
    """When the drill clock reaches `minute`, given the pauses known so far; None when it
    will not (the drill ended before, or a pause is still open before that minute)."""
    moment = timing.starts_at + timedelta(minutes=minute / timing.compression)
    for start, end in _merged(timing):
        if start >= moment:
            break
        if end is None:
            return None
        moment += end - start
    if timing.ended_at is not None and moment > timing.ended_at:
        return None
    return moment
