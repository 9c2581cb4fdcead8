"""One place that turns every error into a page a person can act on, or, for the API and
JSON clients, into application/problem+json (RFC 9457)."""

from __future__ import annotations

import logging

from flask import Flask, current_app, jsonify, render_template, request
from flask.globals import request_ctx
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, default_exceptions

from core.auth import wants_json
from core.domain import DomainError

log = logging.getLogger(__name__)


# What to tell a person, per status, when the exception has no more specific message.
ADVICE = {
    400: _l("The request could not be understood. Check what you entered and try again."),
    401: _l("Please sign in to continue."),
    403: _l("Your account does not have access to this page. Ask an administrator if you need it."),
    404: _l("There is nothing at this address. Check the link, or start again from the home page."),
    405: _l("This address does not accept that kind of request."),
    409: _l("Someone changed this in the meantime. Reload to see the current version."),
    413: _l("The upload is too large."),
    415: _l("This kind of content is not accepted here."),
    422: _l("Some of the data is not valid; see the details."),
    429: _l("Too many attempts in a short time. Wait a minute, then try again."),
    500: _l("Something went wrong on our side. Your last change may not be saved; try again."),
    503: _l("The service is not available right now. Try again in a moment."),
}
CSRF_MESSAGE = _l(
    "This form has expired or did not come from this site. Reload the page and send it again."
)


def describe(error: HTTPException) -> str:
    code = error.code or 500
    if isinstance(error, CSRFError):
        return str(CSRF_MESSAGE)
    if code == 413:
        limit = current_app.config["UPLOAD_MAX_MB"]
        return str(_l("The upload is too large: the limit is %(mb)s MB.", mb=limit))
    if code == 429:
        return str(ADVICE[429])
    schema_message = _schema_message(error)
    if schema_message:
        return schema_message
    default_description = type(error).description
    if error.description and error.description != default_description:
        return str(error.description)
    return str(ADVICE.get(code, error.name))


def _schema_message(error: HTTPException) -> str | None:
    """webargs reports a body it cannot parse at all (not JSON) as a bare list of messages."""
    data = getattr(error, "data", None)
    messages = data.get("messages") if isinstance(data, dict) else None
    for location in (messages or {}).values():
        if isinstance(location, list) and location:
            return str(location[0])
        if isinstance(location, dict) and location.get("_schema"):
            return str(location["_schema"][0])
    return None


def problem_response(error: HTTPException, extra: dict | None = None):
    """problem+json for `error`; `extra`: machine-readable fields a DomainError adds."""
    code = error.code or 500
    body = {"type": "about:blank", "title": error.name, "status": code, "detail": describe(error)}
    body.update(extra or {})
    # webargs / flask-smorest put field errors here; keep them for the client to show.
    data = getattr(error, "data", None) or {}
    messages = data.get("messages") if isinstance(data, dict) else None
    if messages:
        body["errors"] = messages
    response = jsonify(body)
    response.status_code = code
    response.mimetype = "application/problem+json"
    for name, value in getattr(error, "get_headers", lambda: [])() or []:
        if name.lower() in ("retry-after", "www-authenticate", "allow"):
            response.headers[name] = value
    return response


def handle_http_exception(error: HTTPException):
    if error.code is None:  # a redirect-type exception (RequestRedirect): let it through
        return error
    if wants_json():
        return problem_response(error)
    if request_ctx.url_adapter is None:
        # A Host not in TRUSTED_HOSTS: no URL can be built, so no page with links either.
        return current_app.response_class(describe(error), error.code, mimetype="text/plain")
    response = current_app.make_response(
        (render_template("errors/error.html", error=error, message=describe(error)), error.code)
    )
    for name, value in error.get_headers():
        if name.lower() in ("retry-after", "allow"):
            response.headers[name] = value
    return response


def handle_domain_error(error: DomainError):
    http_error = default_exceptions.get(error.status, InternalServerError)(str(error) or None)
    if wants_json():
        return problem_response(http_error, error.problem_fields())
    return handle_http_exception(http_error)


def handle_unexpected(error: Exception):
    log.exception("Unhandled error on %s %s", request.method, request.path)
    return handle_http_exception(InternalServerError())


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(Exception, handle_unexpected)
