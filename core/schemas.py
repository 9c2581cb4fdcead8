"""marshmallow schemas of the shell's API. Unknown fields are refused (marshmallow's default)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from core.models import ItuRegion, Role


class UserOut(Schema):
    id = fields.Integer()
    email = fields.String()
    name = fields.String()
    role = fields.String()
    country_id = fields.Integer(allow_none=True)


class AdminUserOut(UserOut):
    active = fields.Boolean()
    last_login_at = fields.DateTime(allow_none=True)


class UserPatchIn(Schema):
    role = fields.String(validate=validate.OneOf([r.value for r in Role]))
    country = fields.String(allow_none=True, validate=validate.Length(equal=3))
    active = fields.Boolean()


class CountryOut(Schema):
    iso3 = fields.String()
    iso2 = fields.String()
    numeric = fields.String()
    name = fields.String()
    itu_region = fields.String()
    ldc = fields.Boolean()
    lldc = fields.Boolean()
    sids = fields.Boolean()
    itu_member = fields.Boolean()


class CountryQuery(Schema):
    region = fields.String(validate=validate.OneOf([r.value for r in ItuRegion]))
    group = fields.String(validate=validate.OneOf(["ldc", "lldc", "sids"]))


class TokenIn(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=80))


class TokenOut(Schema):
    id = fields.Integer()
    name = fields.String()
    prefix = fields.String()
    created_at = fields.DateTime()
    last_used_at = fields.DateTime(allow_none=True)
    revoked_at = fields.DateTime(allow_none=True)


class NewTokenOut(TokenOut):
    token = fields.String(metadata={"description": "Shown once; store it now."})
