"""Which injects a team sees, and from which drill minute: a pure function of the scenario,
the team's tags and the team's own answers. The drill console computes it at read time (so
it is right even while the scheduler is down), the scheduler uses it to record releases, and
the trainer's preview uses it with a team that has answered nothing.

Branching is per team and stable: once an inject is released to a team it stays released.
- no condition: released at its offset;
- `correct`: at its offset, or when the team first answers that response correctly, if later;
- `incorrect`: at its offset, unless the team answered correctly before then;
- `unanswered`: `minutes` after the referenced inject reached the team, if the team has not
  answered by then (and not before the inject's own offset).
An inject whose condition depends on an inject the team never receives is never released.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from scenarios.format.model import Inject, Scenario


@dataclass(frozen=True)
class TeamAnswer:
    minute: float  # drill minute the answer was submitted
    correct: bool | None  # None: waiting for an evaluator


def reaches(inject: Inject, team_tags: frozenset[str]) -> bool:
    return inject.audience_tags is None or bool(team_tags & set(inject.audience_tags))


def release_minutes(
    scenario: Scenario,
    team_tags: Sequence[str] | frozenset[str],
    answers: Mapping[str, Sequence[TeamAnswer]],
) -> dict[str, float | None]:
    """{inject id: drill minute it reaches this team, or None if it never does}. `answers`
    maps "<inject id>.<response id>" to the team's answers to that response."""
    tags = frozenset(team_tags)
    by_id = {inject.id: inject for inject in scenario.injects}
    result: dict[str, float | None] = {}

    def release(inject_id: str, visiting: frozenset[str]) -> float | None:
        if inject_id in result:
            return result[inject_id]
        inject = by_id[inject_id]
        minute: float | None = None
        if reaches(inject, tags) and inject_id not in visiting:
            minute = _conditional(
                inject, answers, lambda target: release(target, visiting | {inject_id})
            )
        result[inject_id] = minute
        return minute

    for inject in scenario.injects:
        release(inject.id, frozenset())
    return result


def _conditional(inject: Inject, answers, release_of) -> float | None:
    condition = inject.condition
    if condition is None:
        return float(inject.offset_minutes)
    target_id = condition.response.partition(".")[0]
    target_release = release_of(target_id)
    if target_release is None:
        return None
    given = sorted(answers.get(condition.response, ()), key=lambda a: a.minute)
    first_correct = next((a.minute for a in given if a.correct), None)
    offset = max(float(inject.offset_minutes), target_release)
    if condition.is_ == "correct":
        return None if first_correct is None else max(offset, first_correct)
    if condition.is_ == "incorrect":
        return None if first_correct is not None and first_correct <= offset else offset
    deadline = target_release + (condition.minutes or 0)
    if any(a.minute <= deadline for a in given):
        return None
    return max(offset, deadline)


def in_release_order(
    scenario: Scenario, minutes: Mapping[str, float | None], elapsed: float
) -> list[tuple[float, Inject]]:
    """(release minute, inject) of every inject released by drill minute `elapsed`, in the
    one release order: by release minute, then scheduled offset, then id. `minutes` is
    `release_minutes` or a copy the drill has changed (a trainer's manual releases)."""
    shown = [(m, i) for i in scenario.injects if (m := minutes[i.id]) is not None and m <= elapsed]
    return sorted(shown, key=lambda pair: (pair[0], pair[1].offset_minutes, pair[1].id))


def released(scenario: Scenario, team_tags, answers, elapsed: float) -> list[tuple[float, Inject]]:
    """(release minute, inject) for what the team sees at drill minute `elapsed`, in order."""
    return in_release_order(scenario, release_minutes(scenario, team_tags, answers), elapsed)


def visible(scenario: Scenario, team_tags, answers, elapsed: float) -> list[Inject]:
    """The injects the team sees at drill minute `elapsed`, in release order."""
    return [inject for _minute, inject in released(scenario, team_tags, answers, elapsed)]
