"""The rules of a scenario that span its nodes: unique ids, references to objectives and
responses that exist, offsets inside the duration, answers a response can be scored with,
conditions that look back in time and form no cycle. Hand-written on purpose: no schema
expresses them. Each problem goes to `r.add(path, message, severity)`. Pure."""

from __future__ import annotations

import re
from typing import Protocol

from scenarios.format.model import ID, Inject, Response, Scenario


class Collector(Protocol):
    def add(self, path, message, severity="error") -> None: ...


def check(r: Collector, s: Scenario) -> None:
    _unique(r, [o.id for o in s.objectives], ("objectives",), "objective")
    _unique(r, [i.id for i in s.injects], ("injects",), "inject")
    objective_ids = {o.id for o in s.objectives}
    served, scored = set(), set()
    index = {inject.id: n for n, inject in enumerate(s.injects)}
    for n, inject in enumerate(s.injects):
        path = ("injects", n)
        if inject.id and not ID.match(inject.id):
            r.add((*path, "id"), "use letters, digits, '.', '_' or '-' (at most 40)")
        if not 0 <= inject.offset_minutes < s.duration_minutes:
            r.add(
                (*path, "offset_minutes"),
                f"{inject.offset_minutes} is outside the scenario's {s.duration_minutes} minutes",
            )
        for o in inject.objectives:
            if o not in objective_ids:
                r.add((*path, "objectives"), f"no objective {o!r}")
        served.update(inject.objectives)
        _unique(r, [x.id for x in inject.responses], (*path, "responses"), "response")
        for m, response in enumerate(inject.responses):
            _check_response(r, response, (*path, "responses", m), objective_ids)
            scored.update(response.objectives)
        if inject.condition is not None:
            _check_condition(r, s, inject, path, index)
        if not inject.responses:
            r.add((*path, "responses"), "no expected response: nothing is scored here", "warning")
    for n, objective in enumerate(s.objectives):
        if objective.id not in served:
            r.add(("objectives", n), f"objective {objective.id} is served by no inject")
        if objective.id not in scored:
            r.add(("objectives", n), f"objective {objective.id} is scored by no response")
    if not s.objectives:
        r.add(("objectives",), "a scenario needs at least one objective")
    if not s.injects:
        r.add(("injects",), "a scenario needs at least one inject")
    elif s.total_points <= 0:
        r.add(("injects",), "no response earns points: the drill cannot be scored", "warning")
    for cycle in _condition_cycles(s):
        r.add(("injects",), "branching forms a cycle: " + " -> ".join(cycle))


def _unique(r, ids, path, what) -> None:
    seen = set()
    for n, value in enumerate(ids):
        if value and value in seen:
            r.add((*path, n, "id"), f"duplicate {what} id {value!r}")
        seen.add(value)


def _check_response(r: Collector, x: Response, path, objective_ids) -> None:
    for o in x.objectives:
        if o not in objective_ids:
            r.add((*path, "objectives"), f"no objective {o!r}")
    keys = [k for k, _label in x.options]
    if x.type in ("single_choice", "multiple_choice") and len(keys) < 2:
        r.add((*path, "options"), "a choice needs at least two options")
    if len(set(keys)) != len(keys):
        r.add((*path, "options"), "option keys must be unique")
    if x.scoring == "evaluator":
        if not x.criteria:
            r.add((*path, "criteria"), "evaluator scoring needs criteria for the evaluator")
    elif x.scoring == "auto":
        problem = _answer_problem(x, keys)
        if problem:
            r.add((*path, "answer"), problem)
    if x.decay is not None:
        d = x.decay
        if not 0 <= d.floor <= 1:
            r.add((*path, "decay", "floor"), "must be between 0 and 1 (a share of the points)")
        if d.zero_minutes <= d.full_minutes:
            r.add((*path, "decay", "zero_minutes"), "must come after full_minutes")
    if sum(h.cost for h in x.hints) > x.points:
        r.add((*path, "hints"), "the hints together cost more than the response is worth")


def _answer_problem(x: Response, keys: list[str]) -> str | None:
    a = x.answer
    if x.type == "free_text":
        return "free text cannot be checked automatically: use scoring: evaluator"
    if a is None:
        return f"an automatically scored {x.type} response needs its answer"
    if x.type == "exact":
        if not isinstance(a, str | int | float) or isinstance(a, bool):
            return "must be a value"
        if x.match == "regex":
            try:
                re.compile(str(a))
            except re.error as error:
                return f"is not a valid regular expression: {error}"
    if x.type == "single_choice" and a not in keys:
        return f"{a!r} is not one of the option keys"
    if x.type == "multiple_choice" and (not isinstance(a, list) or any(v not in keys for v in a)):
        return "must be a list of option keys"
    if x.type == "number" and (isinstance(a, bool) or not isinstance(a, int | float)):
        return "must be a number"
    return None


def _check_condition(r: Collector, s: Scenario, inject: Inject, path, index) -> None:
    c = inject.condition
    inject_id, _, response_id = c.response.partition(".")
    target = s.inject(inject_id)
    cpath = (*path, "condition", "response")
    if target is None or not any(x.id == response_id for x in target.responses):
        r.add(cpath, f"no response {c.response!r} (write <inject id>.<response id>)")
        return
    if target.id != inject.id and target.offset_minutes > inject.offset_minutes:
        r.add(
            cpath,
            f"{target.id} comes later ({target.offset_minutes} min) than this inject "
            f"({inject.offset_minutes} min): a condition looks back, not forward",
        )
    if (
        c.is_ == "unanswered"
        and c.minutes is not None
        and (target.offset_minutes + c.minutes > inject.offset_minutes)
    ):
        r.add(
            (*path, "condition", "minutes"),
            f"{target.id} + {c.minutes} min is after this inject's offset; "
            f"it could never be known in time",
            "warning",
        )


def _condition_cycles(s: Scenario) -> list[list[str]]:
    """Chains of injects each conditional on the next that come back to their start."""
    depends = {}
    for inject in s.injects:
        if inject.condition is not None:
            depends[inject.id] = inject.condition.response.partition(".")[0]
    cycles, reported = [], set()
    for start in depends:
        chain, current = [start], depends.get(start)
        while current is not None and current not in chain:
            chain.append(current)
            current = depends.get(current)
        if current is not None:
            loop = chain[chain.index(current) :]
            key = frozenset(loop)
            if key not in reported:
                reported.add(key)
                cycles.append([*loop, current])
    return cycles
