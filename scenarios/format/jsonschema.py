"""The scenario file format as a JSON Schema (draft 2020-12), built from the same constants
as the reader, so the two cannot drift apart. Served at /api/v1/scenarios/schema.json for
editors and other tools; the reader (reader.py and checks.py) remains the judge, with the rules a
schema cannot say (references, branching, reachability)."""

from __future__ import annotations

from scenarios.format import model

_ID = {"type": "string", "pattern": model.ID.pattern}
_TEXT = {"type": "string", "minLength": 1}
_IDS = {"type": "array", "items": {"type": "string"}}
_NUMBER = {"type": "number", "minimum": 0}


def _object(properties: dict, required: list[str]) -> dict:
    return {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


RESPONSE = _object(
    {
        "id": _ID,
        "prompt": _TEXT,
        "type": {"enum": list(model.RESPONSE_TYPES)},
        "answer": {"type": ["string", "number", "array"]},
        "match": {"enum": list(model.MATCHES)},
        "options": {
            "type": "array",
            "items": _object({"key": _TEXT, "label": _TEXT}, ["key", "label"]),
        },
        "tolerance": _NUMBER,
        "points": _NUMBER,
        "scoring": {"enum": ["auto", "evaluator"]},
        "criteria": {"type": "array", "items": _TEXT},
        "decay": _object(
            {
                "full_minutes": _NUMBER,
                "zero_minutes": _NUMBER,
                "floor": {"type": "number", "minimum": 0, "maximum": 1},
            },
            ["full_minutes", "zero_minutes", "floor"],
        ),
        "hints": {
            "type": "array",
            "items": _object({"text": _TEXT, "cost": _NUMBER}, ["text", "cost"]),
        },
        "objectives": _IDS,
        "attempts": {"type": "integer", "minimum": 1},
    },
    ["id", "prompt", "type", "points", "scoring"],
)

INJECT = _object(
    {
        "id": _ID,
        "offset_minutes": {"type": "integer", "minimum": 0},
        "story_time": {"type": "string"},
        "title": _TEXT,
        "channel": {"enum": list(model.CHANNELS)},
        "sender": {"type": "string"},
        "body": {**_TEXT, "maxLength": model.MAX_BODY_CHARS},
        "artifacts": {
            "type": "array",
            "items": _object(
                {
                    "name": _TEXT,
                    "kind": {"enum": list(model.ARTIFACT_KINDS)},
                    "media_type": {"type": "string"},
                    "encoding": {"enum": list(model.ENCODINGS)},
                    "content": {"type": "string"},
                },
                ["name", "kind", "content"],
            )
            | {
                # base64 bytes are checked by the reader: size, and type by content
                "if": {"properties": {"encoding": {"const": "base64"}}, "required": ["encoding"]},
                "then": {"properties": {"content": {"contentEncoding": "base64"}}},
                "else": {"properties": {"content": {"maxLength": model.MAX_ARTIFACT_BYTES}}},
            },
        },
        "audience": {
            "oneOf": [
                {"const": "all"},
                _object({"tags": {"type": "array", "items": _TEXT, "minItems": 1}}, ["tags"]),
            ]
        },
        "objectives": _IDS,
        "condition": _object(
            {
                "response": {"type": "string", "pattern": r"^[^.]+\.[^.]+$"},
                "is": {"enum": list(model.CONDITIONS)},
                "minutes": {"type": "integer", "minimum": 1},
            },
            ["response", "is"],
        ),
        "responses": {"type": "array", "items": RESPONSE},
    },
    ["id", "offset_minutes", "title", "channel", "body"],
)

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://cyberready.invalid/schemas/scenario-1.json",
    "title": "CyberReady scenario (cyberready-scenario/1)",
    **_object(
        {
            "format": {"const": model.FORMAT},
            "id": {"type": "string", "pattern": model.SLUG.pattern},
            "title": _TEXT,
            "summary": _TEXT,
            "audience": {"type": "string"},
            "languages": {"type": "array", "items": {"enum": list(model.LANGUAGES)}, "minItems": 1},
            "duration_minutes": {"type": "integer", "minimum": 1},
            "difficulty": {"enum": list(model.DIFFICULTIES)},
            "tags": {"type": "array", "items": {"type": "string", "pattern": "^[^A-Z]*$"}},
            "tlp": {"enum": list(model.TLP)},
            "banner": {"type": "string"},
            "author": {"type": "string"},
            "objectives": {
                "type": "array",
                "items": _object(
                    {
                        "id": _ID,
                        "text": _TEXT,
                        "capability": {"enum": list(model.CAPABILITIES)},
                        "gci_pillar": {"enum": list(model.PILLARS)},
                    },
                    ["id", "text", "capability", "gci_pillar"],
                ),
            },
            "injects": {"type": "array", "items": INJECT, "maxItems": model.MAX_INJECTS},
        },
        [
            "format",
            "id",
            "title",
            "summary",
            "duration_minutes",
            "difficulty",
            "tlp",
            "objectives",
            "injects",
        ],
    ),
}
