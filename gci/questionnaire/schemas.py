"""The JSON the questionnaire's answer endpoint reads (marshmallow)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate


class AnswerIn(Schema):
    value = fields.Raw(required=True, allow_none=True)
    version = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))


ANSWER_IN = AnswerIn()  # a schema holds no state between loads
