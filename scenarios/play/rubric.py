"""Scoring a team's answer to an expected response: the automatic checks and the points after
time decay and hints. Pure: the drill engine calls it with the release time it recorded."""

from __future__ import annotations

import math
import re

from scenarios.format.model import Response


def is_correct(response: Response, given) -> bool | None:
    """True or False for an automatic check; None when an evaluator decides."""
    if response.scoring != "auto":
        return None
    expected = response.answer
    if response.type == "exact":
        if not isinstance(given, str | int | float) or isinstance(given, bool):
            return False
        text = str(given).strip()
        if response.match == "regex":
            return re.fullmatch(str(expected), text) is not None
        if response.match == "case_insensitive":
            return text.casefold() == str(expected).strip().casefold()
        return text == str(expected).strip()
    if response.type == "single_choice":
        return given == expected
    if response.type == "multiple_choice":
        return isinstance(given, list | tuple) and set(given) == set(expected)
    if response.type == "number":
        if isinstance(given, bool) or not isinstance(given, int | float) or math.isnan(given):
            return False
        return abs(given - expected) <= response.tolerance
    return None


def decay_factor(response: Response, minutes_after_release: float) -> float:
    """1 within full_minutes of the release, then linear down to the floor at zero_minutes."""
    d = response.decay
    if d is None or minutes_after_release <= d.full_minutes:
        return 1.0
    if minutes_after_release >= d.zero_minutes:
        return d.floor
    share = (minutes_after_release - d.full_minutes) / (d.zero_minutes - d.full_minutes)
    return 1.0 - (1.0 - d.floor) * share


def points(
    response: Response, correct: bool, minutes_after_release: float, hints_opened: int = 0
) -> float:
    """Points for an automatically checked answer; hint costs come off, never below zero."""
    if not correct:
        return 0.0
    earned = response.points * decay_factor(response, max(0.0, minutes_after_release))
    cost = sum(h.cost for h in response.hints[:hints_opened])
    return max(0.0, earned - cost)
