"""marshmallow schemas of the GCI API."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from core.models import ItuRegion


class CycleOut(Schema):
    code = fields.String()
    name = fields.String()
    year = fields.Integer()
    historic = fields.Boolean()
    published_snapshot_id = fields.Integer(allow_none=True)


class FrameworkOut(Schema):
    id = fields.Integer()
    version = fields.Integer()
    frozen = fields.Boolean()
    checksum = fields.String()
    document = fields.Dict()


class ScoresQuery(Schema):
    region = fields.String(validate=validate.OneOf([r.value for r in ItuRegion]))
    group = fields.String(validate=validate.OneOf(["ldc", "lldc", "sids"]))
    snapshot = fields.Integer(metadata={"description": "A snapshot id (staff only)"})


class ResultOut(Schema):
    iso3 = fields.String()
    country = fields.String()
    region = fields.String()
    overall = fields.Float()
    pillars = fields.Dict(keys=fields.String(), values=fields.Float())
    tier = fields.Integer(allow_none=True)
    tier_name = fields.String(allow_none=True)
    rank = fields.Integer(allow_none=True)
    rank_region = fields.Integer(allow_none=True)
    rank_groups = fields.Dict(keys=fields.String(), values=fields.Integer())
    change = fields.Float(allow_none=True)
    rank_change = fields.Integer(allow_none=True)


class SnapshotOut(Schema):
    id = fields.Integer()
    kind = fields.String()
    created_at = fields.DateTime()
    published_at = fields.DateTime(allow_none=True)
    placeholder_weights = fields.Boolean()
    note = fields.String()


class ScoresOut(Schema):
    cycle = fields.String()
    snapshot = fields.Nested(SnapshotOut)
    notice = fields.String(allow_none=True)
    ranks_published = fields.Boolean()
    results = fields.List(fields.Nested(ResultOut))


class ItemOut(Schema):
    code = fields.String()
    pillar = fields.String()
    max_points = fields.Float()
    earned = fields.Float()
    provisional = fields.Float()
    state = fields.String()


class MoveOut(Schema):
    code = fields.String()
    gain = fields.Float()
    why = fields.String()


class CountryScoreOut(Schema):
    cycle = fields.String()
    snapshot = fields.Nested(SnapshotOut)
    notice = fields.String(allow_none=True)
    result = fields.Nested(ResultOut)
    provisional_overall = fields.Float(allow_none=True)
    items = fields.List(
        fields.Nested(ItemOut),
        metadata={"description": "Staff and the country's own focal points only"},
    )
    what_would_move = fields.List(fields.Nested(MoveOut))


class WhatIfIn(Schema):
    answers = fields.Dict(
        keys=fields.String(validate=validate.Length(max=40)),
        values=fields.Raw(allow_none=False),
        required=True,
        metadata={"description": 'Question code -> answer, e.g. {"LEG.1.1": "yes"}'},
    )

    @validates_schema
    def _not_too_many(self, data, **_kwargs):
        if len(data.get("answers", {})) > 2000:
            raise ValidationError("At most 2000 answers.", "answers")


class WhatIfOut(Schema):
    overall = fields.Float()
    pillars = fields.Dict(keys=fields.String(), values=fields.Float())
    tier = fields.Integer(allow_none=True)
    tier_name = fields.String(allow_none=True)
    notice = fields.String(allow_none=True)
    what_would_move = fields.List(fields.Nested(MoveOut))


class CloneIn(Schema):
    cycle_code = fields.String(required=True, validate=validate.Regexp(r"^[A-Za-z0-9_.-]{2,32}$"))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    year = fields.Integer(required=True, validate=validate.Range(1990, 2200))


class NodeEditIn(Schema):
    name = fields.String(validate=validate.Length(min=1, max=500))
    text = fields.String(validate=validate.Length(min=1, max=2000))
    help_text = fields.String(validate=validate.Length(max=4000))
    weight = fields.Float(validate=validate.Range(min=0, max=1e6))

    @validates_schema
    def _something(self, data, **_kwargs):
        if not data:
            raise ValidationError("Give at least one of name, text, help_text, weight.")


class DifferenceOut(Schema):
    iso3 = fields.String()
    country = fields.String()
    before = fields.Float(allow_none=True)
    after = fields.Float(allow_none=True)
    delta = fields.Float(allow_none=True)
    tier_before = fields.String(allow_none=True)
    tier_after = fields.String(allow_none=True)
