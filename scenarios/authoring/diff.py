"""What changed between two versions of a scenario, for the trainer. Pure: compares two
documents of the file format by the ids of objectives, injects and responses."""

from __future__ import annotations

from dataclasses import dataclass

from scenarios.format.model import FACT_FIELDS


@dataclass(frozen=True)
class Change:
    place: str  # "facts", "objective O2", "inject I04", "response I04.R1"
    kind: str  # added | removed | changed
    fields: tuple[str, ...] = ()


def _by_id(items) -> dict[str, dict]:
    return {item.get("id"): item for item in items or [] if isinstance(item, dict)}


def _fields(a: dict, b: dict, skip=()) -> tuple[str, ...]:
    keys = (set(a) | set(b)) - set(skip)
    return tuple(sorted(k for k in keys if a.get(k) != b.get(k)))


def _compare(place: str, old: dict, new: dict, changes: list[Change], skip=()) -> None:
    for item_id in [*old, *(k for k in new if k not in old)]:
        label = f"{place} {item_id}"
        if item_id not in new:
            changes.append(Change(label, "removed"))
        elif item_id not in old:
            changes.append(Change(label, "added"))
        else:
            fields = _fields(old[item_id], new[item_id], skip)
            if fields:
                changes.append(Change(label, "changed", fields))


def difference(old: dict, new: dict) -> list[Change]:
    changes: list[Change] = []
    facts = tuple(k for k in FACT_FIELDS if old.get(k) != new.get(k))
    if facts:
        changes.append(Change("facts", "changed", facts))
    _compare("objective", _by_id(old.get("objectives")), _by_id(new.get("objectives")), changes)
    old_injects, new_injects = _by_id(old.get("injects")), _by_id(new.get("injects"))
    _compare("inject", old_injects, new_injects, changes, skip=("responses",))
    for inject_id in old_injects.keys() & new_injects.keys():
        _compare(
            f"response {inject_id}:",
            _by_id(old_injects[inject_id].get("responses")),
            _by_id(new_injects[inject_id].get("responses")),
            changes,
        )
    return changes
