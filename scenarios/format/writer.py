"""Write a Scenario back as a document of the file format; reader.read(to_document(s))
gives s back. Pure."""

from __future__ import annotations

from scenarios.format.model import FORMAT, Artifact, Inject, Response, Scenario


def to_document(s: Scenario) -> dict:
    """The scenario as a document of the file format; read(to_document(s)) gives s back."""
    doc = {
        "format": FORMAT,
        "id": s.id,
        "title": s.title,
        "summary": s.summary,
        "audience": s.audience,
        "languages": list(s.languages),
        "duration_minutes": s.duration_minutes,
        "difficulty": s.difficulty,
        "tags": list(s.tags),
        "tlp": s.tlp,
        "banner": s.banner,
        "author": s.author,
        "objectives": [
            {"id": o.id, "text": o.text, "capability": o.capability, "gci_pillar": o.gci_pillar}
            for o in s.objectives
        ],
        "injects": [_inject_document(i) for i in s.injects],
    }
    return doc


def _inject_document(i: Inject) -> dict:
    doc = {
        "id": i.id,
        "offset_minutes": i.offset_minutes,
        "story_time": i.story_time,
        "title": i.title,
        "channel": i.channel,
        "sender": i.sender,
        "body": i.body,
        "audience": "all" if i.audience_tags is None else {"tags": list(i.audience_tags)},
        "objectives": list(i.objectives),
    }
    if i.artifacts:
        doc["artifacts"] = [_artifact_document(a) for a in i.artifacts]
    if i.condition is not None:
        doc["condition"] = {"response": i.condition.response, "is": i.condition.is_}
        if i.condition.minutes is not None:
            doc["condition"]["minutes"] = i.condition.minutes
    doc["responses"] = [_response_document(x) for x in i.responses]
    return doc


def _artifact_document(a: Artifact) -> dict:
    doc = {"name": a.name, "kind": a.kind, "media_type": a.media_type}
    if a.is_binary:
        doc["encoding"] = "base64"
    doc["content"] = a.content
    return doc


def _response_document(x: Response) -> dict:
    doc = {"id": x.id, "prompt": x.prompt, "type": x.type, "points": x.points, "scoring": x.scoring}
    if x.answer is not None:
        doc["answer"] = x.answer
    if x.type == "exact":
        doc["match"] = x.match
    if x.options:
        doc["options"] = [{"key": k, "label": label} for k, label in x.options]
    if x.type == "number":
        doc["tolerance"] = x.tolerance
    if x.criteria:
        doc["criteria"] = list(x.criteria)
    if x.decay is not None:
        doc["decay"] = {
            "full_minutes": x.decay.full_minutes,
            "zero_minutes": x.decay.zero_minutes,
            "floor": x.decay.floor,
        }
    if x.hints:
        doc["hints"] = [{"text": h.text, "cost": h.cost} for h in x.hints]
    doc["objectives"] = list(x.objectives)
    if x.attempts != 1:
        doc["attempts"] = x.attempts
    return doc


def new_document(
    slug: str, title: str, summary: str, duration: int, difficulty: str, tlp: str
) -> dict:
    """A document with the facts given and no objectives or injects yet (a new draft)."""
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
