"""The JSON API under /api/v1 (flask-smorest: marshmallow in, OpenAPI out, problem+json errors)."""

from __future__ import annotations

from flask import Flask, abort
from flask_login import current_user
from flask_smorest import Api, Blueprint

from core import accounts, countries, db, errors
from core.models import ApiToken, Country, User
from core.policy import allow, authorize
from core.schemas import (
    AdminUserOut,
    CountryOut,
    CountryQuery,
    NewTokenOut,
    TokenIn,
    TokenOut,
    UserOut,
    UserPatchIn,
)


class CyberReadyApi(Api):
    def handle_http_exception(self, error):
        # One error format for the whole app: see core/errors.py.
        return errors.handle_http_exception(error)


bp = Blueprint("api_core", __name__, url_prefix="/api/v1", description="Accounts and countries")


@bp.get("/me")
@allow("account.manage")
@bp.response(200, UserOut)
def me():
    """The signed-in user (by session cookie or by API token)."""
    return current_user


@bp.get("/countries")
@allow("public")
@bp.arguments(CountryQuery, location="query")
@bp.response(200, CountryOut(many=True))
def list_countries(query):
    """ITU Member States with their ITU region and LDC / LLDC / SIDS groups."""
    return countries.list_countries(db.session(), query.get("region"), query.get("group"))


@bp.get("/users")
@allow("users.manage")
@bp.response(200, AdminUserOut(many=True))
def list_users():
    """Every account, with its role, country and whether it may sign in (admins)."""
    return accounts.all_users(db.session())


@bp.patch("/users/<int:user_id>")
@allow("users.manage")
@bp.arguments(UserPatchIn)
@bp.response(200, AdminUserOut)
def update_user(payload, user_id: int):
    """Change a person's role, country (ISO alpha-3, focal points only) or whether they may
    sign in; each change is audited and ends all the person's sessions (admins)."""
    session = db.session()
    user = session.get(User, user_id)
    if user is None:
        abort(404)
    country = session.get(Country, user.country_id) if user.country_id else None
    accounts.update_user(
        session,
        user,
        role=payload.get("role", user.role),
        country_iso3=payload.get("country", country.iso3 if country else None),
        active=payload.get("active", user.active),
        actor=current_user,
    )
    session.commit()
    return user


@bp.get("/tokens")
@allow("account.manage")
@bp.response(200, TokenOut(many=True))
def list_tokens():
    """Your personal API tokens (without the secret)."""
    return accounts.user_tokens(db.session(), current_user)


@bp.post("/tokens")
@allow("account.manage")
@bp.arguments(TokenIn)
@bp.response(201, NewTokenOut)
def create_token(payload):
    """Create a personal API token; the response is the only time the token is shown."""
    token, plain = accounts.create_token(db.session(), current_user, payload["name"])
    db.session().commit()
    return {**token.model_dump(), "token": plain}


@bp.delete("/tokens/<int:token_id>")
@allow("account.manage")
@bp.response(204)
def revoke_token(token_id: int):
    """Revoke one of your tokens; scripts using it get 401 from then on."""
    token = db.session().get(ApiToken, token_id)
    authorize("token.revoke", token)
    accounts.revoke_token(db.session(), token, current_user)
    db.session().commit()


def init_app(app: Flask, domain_blueprints=()) -> None:
    app.config.update(
        API_TITLE="CyberReady API",
        API_VERSION="v1",
        OPENAPI_VERSION="3.1.0",
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
    )
    api = CyberReadyApi(app)
    api.spec.components.security_scheme(
        "bearer", {"type": "http", "scheme": "bearer", "description": "Personal API token"}
    )
    api.spec.options["security"] = [{"bearer": []}]
    api.register_blueprint(bp)
    for blueprint in domain_blueprints:
        api.register_blueprint(blueprint)
