"""marshmallow schemas of the scenario API."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from scenarios import model


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
