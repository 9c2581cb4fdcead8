"""CSRF, security headers and rate limits."""

from __future__ import annotations

from flask import Flask, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFProtect

from core.auth import bearer_token

csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
talisman = Talisman()

# No inline script or style anywhere: everything comes from /static.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# For a route that serves an uploaded file (scenario artifacts, GCI evidence): should a browser
# open one, nothing in it may run. Set per view with @talisman(content_security_policy=...),
# never by hand: Talisman's after_request would overwrite a header set in the view.
DOWNLOAD_CSP = "default-src 'none'; sandbox"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _check_csrf() -> None:
    # Requests that authenticate with a bearer token carry no ambient credential a foreign
    # site could ride on, so only cookie requests need the token.
    if request.method in UNSAFE_METHODS and bearer_token() is None:
        csrf.protect()


def init_app(app: Flask) -> None:
    csrf.init_app(app)
    app.before_request(_check_csrf)
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    limiter.init_app(app)
    production = app.config["APP_ENV"] == "production"
    talisman.init_app(
        app,
        force_https=False,  # TLS ends at the reverse proxy; HSTS is sent on HTTPS requests
        session_cookie_secure=production,
        content_security_policy=CONTENT_SECURITY_POLICY,
        frame_options="DENY",
        referrer_policy="strict-origin-when-cross-origin",
    )
