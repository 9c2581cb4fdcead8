"""Edits a trainer makes in the editor pages, as pure changes to a scenario document (a dict in
the file format). Each function takes the document and form values and changes the document
in place; the service stores the result as the draft. No Flask, no database."""

from __future__ import annotations

import copy

from scenarios.model import FORMAT


class EditError(ValueError):
    """An edit that names something the document does not have."""


def new_document(
    slug: str, title: str, summary: str, duration: int, difficulty: str, tlp: str
) -> dict:
    return {
        "format": FORMAT,
        "id": slug,
        "title": title,
        "summary": summary,
        "audience": "",
        "languages": ["en"],
        "duration_minutes": duration,
        "difficulty": difficulty,
        "tags": [],
        "tlp": tlp,
        "author": "",
        "objectives": [],
        "injects": [],
    }


def set_facts(doc: dict, values: dict) -> None:
    for key in (
        "title",
        "summary",
        "audience",
        "duration_minutes",
        "difficulty",
        "tlp",
        "author",
        "tags",
        "languages",
    ):
        if key in values:
            doc[key] = values[key]


def _find(items: list, item_id: str, what: str) -> dict:
    for item in items:
        if item.get("id") == item_id:
            return item
    raise EditError(f"No {what} {item_id}.")


def put_objective(doc: dict, values: dict, objective_id: str | None = None) -> None:
    objectives = doc.setdefault("objectives", [])
    if objective_id is None:
        objectives.append(dict(values))
    else:
        _find(objectives, objective_id, "objective").update(values)


def delete_objective(doc: dict, objective_id: str) -> None:
    doc["objectives"].remove(_find(doc.get("objectives", []), objective_id, "objective"))


def inject(doc: dict, inject_id: str) -> dict:
    return _find(doc.get("injects", []), inject_id, "inject")


def put_inject(doc: dict, values: dict, inject_id: str | None = None) -> None:
    injects = doc.setdefault("injects", [])
    if inject_id is None:
        injects.append({**values, "responses": []})
    else:
        target = inject(doc, inject_id)
        target.update(values)
        for key in ("condition",):
            if values.get(key) is None:
                target.pop(key, None)
    injects.sort(key=lambda i: i.get("offset_minutes", 0))


def duplicate_inject(doc: dict, inject_id: str) -> str:
    original = inject(doc, inject_id)
    taken = {i.get("id") for i in doc["injects"]}
    n = 2
    while f"{inject_id}-{n}" in taken:
        n += 1
    copy_id = f"{inject_id}-{n}"
    doc["injects"].insert(
        doc["injects"].index(original) + 1, {**copy.deepcopy(original), "id": copy_id}
    )
    return copy_id


def delete_inject(doc: dict, inject_id: str) -> None:
    doc["injects"].remove(inject(doc, inject_id))


def put_response(doc: dict, inject_id: str, values: dict, response_id: str | None = None) -> None:
    responses = inject(doc, inject_id).setdefault("responses", [])
    if response_id is None:
        responses.append(dict(values))
    else:
        target = _find(responses, response_id, "response")
        target.clear()
        target.update(values)


def delete_response(doc: dict, inject_id: str, response_id: str) -> None:
    responses = inject(doc, inject_id).get("responses", [])
    responses.remove(_find(responses, response_id, "response"))


def _artifacts(doc: dict, inject_id: str) -> list:
    return inject(doc, inject_id).setdefault("artifacts", [])


def artifact(doc: dict, inject_id: str, number: int) -> dict:
    items = inject(doc, inject_id).get("artifacts", [])
    if not 0 <= number < len(items):
        raise EditError(f"No artifact {number} on inject {inject_id}.")
    return items[number]


def add_artifact(doc: dict, inject_id: str, values: dict) -> None:
    _artifacts(doc, inject_id).append(dict(values))


def put_artifact(doc: dict, inject_id: str, number: int, values: dict) -> None:
    artifact(doc, inject_id, number).update(values)


def delete_artifact(doc: dict, inject_id: str, number: int) -> None:
    items = _artifacts(doc, inject_id)
    items.remove(artifact(doc, inject_id, number))
    if not items:
        inject(doc, inject_id).pop("artifacts")
