"""Edits a trainer makes in the editor pages, as pure changes to a scenario document (a dict in
the file format). Each change function takes the document and values and changes the
document in place; the service stores the result as the draft. The translators at the end
turn a form's data (a dict of what was typed) into those values and back; a value that
cannot be read raises FieldErrors with a message template per field, which the page
translates and shows beside the field. No Flask, no database."""

from __future__ import annotations

import copy

from core.domain import DomainError


class EditError(DomainError):
    """An edit that names something the document does not have (404)."""

    status = 404


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
    return items[index_of(items, item_id, what)]


def index_of(items: list, item_id: str, what: str) -> int:
    """The position of the item with that id; EditError (404) when there is none."""
    for n, item in enumerate(items):
        if item.get("id") == item_id:
            return n
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


# --- from form data to document values, and back ----------------------------------------


def N_(message: str) -> str:
    """Marks a message for extraction; the page translates it with its parameters."""
    return message


class FieldErrors(DomainError):
    """Values typed in a form that cannot be read (400); `errors` maps a field's name to
    (message template, parameters)."""

    status = 400

    def __init__(self, errors: dict[str, tuple[str, dict]]):
        self.errors = errors
        super().__init__("; ".join(message % params for message, params in errors.values()))


def csv_list(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _number(data: dict, name: str, errors: dict, required=False):
    raw = (data.get(name) or "").strip().replace(",", ".")  # 0,5 as in fr/es/ru
    if not raw:
        if required:
            errors[name] = (N_("Give a number."), {})
        return None
    try:
        return float(raw)
    except ValueError:
        errors[name] = (N_("%(value)s is not a number."), {"value": raw})
        return None


def facts_values(data: dict) -> dict:
    return {
        "title": data["title"],
        "summary": data["summary"],
        "audience": data.get("audience") or "",
        "duration_minutes": data["duration_minutes"],
        "difficulty": data["difficulty"],
        "tlp": data["tlp"],
        "tags": [t.lower() for t in csv_list(data.get("tags"))],
        "languages": csv_list(data.get("languages")) or ["en"],
    }


def facts_form_data(doc: dict) -> dict:
    return {
        **doc,
        "tags": ", ".join(doc.get("tags", [])),
        "languages": ", ".join(doc.get("languages", [])),
    }


def objective_values(data: dict) -> dict:
    return {
        "id": data["id"].strip(),
        "text": data["text"],
        "capability": data["capability"],
        "gci_pillar": data["gci_pillar"],
    }


def inject_values(data: dict, *, new: bool) -> dict:
    tags = csv_list(data.get("audience_tags"))
    values = {
        "id": data["id"].strip(),
        "offset_minutes": data["offset_minutes"],
        "story_time": data.get("story_time") or "",
        "title": data["title"],
        "channel": data["channel"],
        "sender": data.get("sender") or "",
        "body": data.get("body") or "",
        "objectives": csv_list(data.get("objectives")),
        "audience": {"tags": tags} if tags else "all",
        "condition": None,
    }
    if data.get("condition_is"):
        values["condition"] = {
            "response": (data.get("condition_response") or "").strip(),
            "is": data["condition_is"],
        }
        if data.get("condition_minutes"):
            values["condition"]["minutes"] = data["condition_minutes"]
    if values["condition"] is None and new:
        values.pop("condition")
    return values


def inject_form_data(current: dict) -> dict:
    condition = current.get("condition") or {}
    audience = current.get("audience", "all")
    return {
        **current,
        "objectives": ", ".join(current.get("objectives", [])),
        "audience_tags": ", ".join(audience.get("tags", [])) if isinstance(audience, dict) else "",
        "condition_response": condition.get("response", ""),
        "condition_is": condition.get("is", ""),
        "condition_minutes": condition.get("minutes"),
    }


def response_values(data: dict) -> dict:
    """The response a form describes; FieldErrors for numbers, decay or hints it cannot read."""
    errors: dict[str, tuple[str, dict]] = {}
    values: dict = {
        "id": data["id"].strip(),
        "prompt": data["prompt"],
        "type": data["type"],
        "scoring": data["scoring"],
        "points": _number(data, "points", errors, required=True),
        "objectives": csv_list(data.get("objectives")),
    }
    options = []
    for line in _lines(data.get("options")):
        key, _sep, label = line.partition(":")
        options.append({"key": key.strip(), "label": label.strip() or key.strip()})
    if options:
        values["options"] = options
    answer = (data.get("answer") or "").strip()
    if answer and values["scoring"] == "auto":
        if values["type"] == "multiple_choice":
            values["answer"] = csv_list(answer)
        elif values["type"] == "number":
            values["answer"] = _number(data, "answer", errors)
        else:
            values["answer"] = answer
    if values["type"] == "exact":
        values["match"] = data["match"]
    if values["type"] == "number":
        values["tolerance"] = _number(data, "tolerance", errors) or 0.0
    criteria = _lines(data.get("criteria"))
    if criteria:
        values["criteria"] = criteria
    _scoring_values(data, values, errors)
    if errors:
        raise FieldErrors(errors)
    return values


def _scoring_values(data: dict, values: dict, errors: dict) -> None:
    """Decay, hints and attempts of a response."""
    decay = [_number(data, name, errors) for name in ("decay_full", "decay_zero", "decay_floor")]
    if any(v is not None for v in decay):
        if any(v is None for v in decay):
            errors["decay_full"] = (N_("Give all three decay values, or none."), {})
        else:
            values["decay"] = dict(
                zip(("full_minutes", "zero_minutes", "floor"), decay, strict=True)
            )
    hints = []
    for line in _lines(data.get("hints")):
        cost, _sep, text = line.partition(":")
        try:
            hints.append({"text": text.strip(), "cost": float(cost)})
        except ValueError:
            errors["hints"] = (
                N_("Write each hint as cost: text, e.g. 2: Look at the log."),
                {},
            )
    if hints:
        values["hints"] = hints
    if data.get("attempts") and data["attempts"] > 1:
        values["attempts"] = data["attempts"]


def response_form_data(response: dict) -> dict:
    answer = response.get("answer", "")
    decay = response.get("decay") or {}
    return {
        **response,
        "answer": ", ".join(answer)
        if isinstance(answer, list)
        else ("" if answer is None else str(answer)),
        "options": "\n".join(
            f"{o['key']}: {o.get('label', '')}" for o in response.get("options", [])
        ),
        "tolerance": str(response.get("tolerance", "")),
        "points": f"{response.get('points', '')}",
        "criteria": "\n".join(response.get("criteria", [])),
        "decay_full": str(decay.get("full_minutes", "")),
        "decay_zero": str(decay.get("zero_minutes", "")),
        "decay_floor": str(decay.get("floor", "")),
        "hints": "\n".join(f"{h['cost']:g}: {h['text']}" for h in response.get("hints", [])),
        "objectives": ", ".join(response.get("objectives", [])),
        "attempts": response.get("attempts", 1),
    }


def text_artifact_values(data: dict) -> dict:
    return {
        "name": data["name"].strip(),
        "kind": data["kind"],
        "media_type": "text/plain",
        "content": data["content"],
    }
