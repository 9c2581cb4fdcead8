"""Configuration, read from environment variables in this one place.

Every setting has a plain name, documented in the README; `load()` turns the environment into
the Flask config mapping, so tests pass a dict of overrides instead of touching os.environ.
"""

from __future__ import annotations

import math
import os
import string
import zlib
from pathlib import Path

DEV_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - refused in production, see check_production
ENVIRONMENTS = ("development", "production", "test")


class ConfigError(RuntimeError):
    """The configuration cannot run; the message says what to change."""


def _int(environ, name: str, default: int) -> int:
    raw = environ.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None


def default_database_url(instance_path: str | Path) -> str:
    return f"sqlite:///{Path(instance_path) / 'cyberready.sqlite'}"


def load(instance_path: str | Path, environ=None) -> dict:
    """Build the config mapping from the environment (os.environ unless given). Longer than 60
    lines: a flat table of settings, one entry each, with the checks production needs."""
    env = os.environ if environ is None else environ
    app_env = env.get("APP_ENV", "development")
    if app_env not in ENVIRONMENTS:
        raise ConfigError(f"APP_ENV must be one of {', '.join(ENVIRONMENTS)}, got {app_env!r}")
    production = app_env == "production"
    if production and env.get("FLASK_DEBUG", "").lower() in ("1", "true", "yes", "on"):
        raise ConfigError(
            "Refusing to start in production: FLASK_DEBUG is on, which would show code and "
            "let anyone run it from an error page. Unset FLASK_DEBUG."
        )
    upload_max_mb = _int(env, "UPLOAD_MAX_MB", 20)
    port = _int(env, "PORT", 5000)
    host = env.get("HOST") or "127.0.0.1"
    if host in ("0.0.0.0", "::"):  # noqa: S104 - listening everywhere: link to this machine
        host = "127.0.0.1"
    trusted_hosts = [h.strip() for h in env.get("TRUSTED_HOSTS", "").split(",") if h.strip()]
    return {
        "APP_ENV": app_env,
        "SECRET_KEY": env.get("SECRET_KEY") or DEV_SECRET_KEY,
        "DATABASE_URL": env.get("DATABASE_URL") or default_database_url(instance_path),
        "SMTP_URL": env.get("SMTP_URL", "smtp://127.0.0.1:25"),
        "MAIL_FROM": env.get("MAIL_FROM", "CyberReady <no-reply@cyberready.invalid>"),
        # Every absolute link (e-mail, open data) starts with this, never with the Host a
        # request claims; on a laptop it follows HOST and PORT.
        "PUBLIC_BASE_URL": (env.get("PUBLIC_BASE_URL") or f"http://{host}:{port}").rstrip("/"),
        # Host names the site answers to (Flask refuses others with 400); required in
        # production, where a spoofed Host would otherwise reach cached replies.
        "TRUSTED_HOSTS": trusted_hosts or None,
        "OUTBOX_MAX_ATTEMPTS": _int(env, "OUTBOX_MAX_ATTEMPTS", 6),
        # The first retry waits this long, each next one twice as long (at most an hour).
        "OUTBOX_RETRY_SECONDS": _int(env, "OUTBOX_RETRY_SECONDS", 60),
        # A message left "sending" this long by a process that died is tried again.
        "OUTBOX_SENDING_TIMEOUT_SECONDS": _int(env, "OUTBOX_SENDING_TIMEOUT_SECONDS", 600),
        "SMTP_TIMEOUT_SECONDS": _int(env, "SMTP_TIMEOUT_SECONDS", 30),
        "UPLOAD_MAX_MB": upload_max_mb,
        # Flask answers 413 above this size; the error page says the limit.
        "MAX_CONTENT_LENGTH": upload_max_mb * 1024 * 1024,
        "MAX_FORM_MEMORY_SIZE": 1024 * 1024,
        # Uploaded GCI evidence: outside the web root, files under random names.
        "EVIDENCE_DIR": env.get("EVIDENCE_DIR") or str(Path(instance_path) / "evidence"),
        "PORT": port,
        "LOGIN_RATE_LIMIT": env.get("LOGIN_RATE_LIMIT", "10 per minute"),
        # Asking for a password-reset link, and using one, per client address.
        "RESET_RATE_LIMIT": env.get("RESET_RATE_LIMIT", "5 per 15 minutes"),
        # memory:// counts per process; with several instances use redis:// or memcached://.
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "memory://"),
        "SCHEDULER_STALE_SECONDS": _int(env, "SCHEDULER_STALE_SECONDS", 60),
        "SCHEDULER_TICK_SECONDS": _int(env, "SCHEDULER_TICK_SECONDS", 5),
        # argon2id; the defaults cost about 0.1 s per check on a 2-core machine.
        "ARGON2_TIME_COST": _int(env, "ARGON2_TIME_COST", 3),
        "ARGON2_MEMORY_KIB": _int(env, "ARGON2_MEMORY_KIB", 65536),
        "ARGON2_PARALLELISM": _int(env, "ARGON2_PARALLELISM", 2),
        "BEHIND_PROXY": env.get("BEHIND_PROXY", "0") == "1",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_DURATION": 14 * 24 * 3600,
        "PERMANENT_SESSION_LIFETIME": 12 * 3600,
        "WTF_CSRF_TIME_LIMIT": 12 * 3600,
        # CSRF is checked in core.security so that API-token requests can skip it.
        "WTF_CSRF_CHECK_DEFAULT": False,
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        "LANGUAGES": ["en", "fr", "es", "ar", "ru", "zh"],
    }


def check_production(config: dict) -> None:
    """Refuse to run in production with settings that are only safe on a laptop."""
    if config["APP_ENV"] != "production":
        return
    if str(config.get("SMTP_URL", "")).startswith("file:"):
        raise ConfigError(
            "Refusing to start in production: SMTP_URL is a folder (file:…), so no e-mail "
            "would leave. Set SMTP_URL to the mail server, e.g. smtp+starttls://user:pass@host:587."
        )
    key = config.get("SECRET_KEY") or ""
    if key == DEV_SECRET_KEY or len(key) < 32 or not looks_random(key):
        raise ConfigError(
            "Refusing to start in production: SECRET_KEY is the development key, shorter than "
            "32 characters or not random (a word, a repeated pattern). Set SECRET_KEY to a long "
            "random value, for example the output of "
            "python -c 'import secrets; print(secrets.token_urlsafe(48))'."
        )
    if str(config.get("RATELIMIT_STORAGE_URI", "")).startswith("memory:"):
        raise ConfigError(
            "Refusing to start in production: RATELIMIT_STORAGE_URI is memory://, which counts "
            "sign-in attempts per worker process (an attacker gets the limit once per worker). "
            "Point it at Redis, e.g. RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/0."
        )
    if not config.get("TRUSTED_HOSTS"):
        raise ConfigError(
            "Refusing to start in production: TRUSTED_HOSTS is not set. Set it to the host "
            "names the site answers to, comma-separated, e.g. TRUSTED_HOSTS=cyberready.example.org."
        )


def looks_random(key: str) -> bool:
    """Whether a secret looks machine-made: about 128 bits or more by its length and alphabet,
    no pattern that compression finds (a word repeated) and no alphabet or keyboard-digit run.
    secrets.token_urlsafe and token_hex keys pass; 'x' * 48 or 'password1234' * 4 do not."""
    raw = key.encode()
    alphabet = 16 if set(key.lower()) <= set(string.hexdigits.lower()) else 64
    steps = sum(abs(ord(b) - ord(a)) == 1 for a, b in zip(key, key[1:], strict=False))
    return (
        len(set(key)) >= 8
        and len(key) * math.log2(alphabet) >= 128
        and len(zlib.compress(raw, 9)) >= 0.8 * len(raw)
        and steps <= 0.5 * len(key)
    )
