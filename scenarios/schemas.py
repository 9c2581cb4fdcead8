"""marshmallow schemas of the scenario API."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from scenarios.format import model


class ProblemOut(Schema):
    place = fields.String()
    line = fields.Integer(allow_none=True)
    message = fields.String()
    severity = fields.String()


class ScenarioSummaryOut(Schema):
    slug = fields.String()
    title = fields.String()
    summary = fields.String()
    duration_minutes = fields.Integer()
    difficulty = fields.String()
    tags = fields.List(fields.String())
    languages = fields.List(fields.String())
    injects = fields.Integer()
    version = fields.Integer()
    state = fields.String()


class ScenarioOut(Schema):
    slug = fields.String()
    version = fields.Integer()
    state = fields.String()
    revision = fields.String(
        metadata={"description": "Version and revision (e.g. 2.5); send it back with a save"}
    )
    document = fields.Dict()
    problems = fields.List(fields.Nested(ProblemOut))


class LibraryQuery(Schema):
    q = fields.String(validate=validate.Length(max=200))
    tag = fields.String(validate=validate.Length(max=60))
    capability = fields.String(validate=validate.OneOf(model.CAPABILITIES))
    pillar = fields.String(validate=validate.OneOf(model.PILLARS))
    language = fields.String(validate=validate.OneOf(model.LANGUAGES))
    max_minutes = fields.Integer(validate=validate.Range(min=1))


class ImportIn(Schema):
    text = fields.String(required=True, metadata={"description": "The file: YAML or JSON"})
    as_new = fields.Boolean(load_default=False)


class DocumentIn(Schema):
    document = fields.Dict(required=True)


class DraftIn(Schema):
    document = fields.Dict(required=True)
    revision = fields.String(
        required=True,
        metadata={
            "description": "The revision token the editor loaded; another is refused with 409"
        },
    )


class ExportQuery(Schema):
    format = fields.String(load_default="yaml", validate=validate.OneOf(["yaml", "json"]))


class ScenarioCloneIn(Schema):
    title = fields.String(
        load_default=None, validate=validate.Length(min=1, max=200),
        metadata={"description": "The clone's title; 'Copy of …' when left out"},
    )  # fmt: skip


class MselIn(Schema):
    csv = fields.String(
        required=True, validate=validate.Length(min=1, max=512 * 1024),
        metadata={"description": "The master scenario events list as CSV text"},
    )  # fmt: skip
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    summary = fields.String(load_default="", validate=validate.Length(max=2000))
    preview = fields.Boolean(
        load_default=False, metadata={"description": "Only say how the CSV was understood"}
    )
