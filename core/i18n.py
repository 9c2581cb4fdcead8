"""Languages: the six UN languages; Arabic is laid out right-to-left."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import Babel, get_locale, get_timezone
from werkzeug.datastructures import LanguageAccept

RTL_LANGUAGES = frozenset({"ar"})
LANGUAGE_NAMES = {
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "ar": "العربية",
    "ru": "Русский",
    "zh": "中文",
}


def select_locale() -> str:
    if not has_request_context():  # e-mail written by the scheduler or a command
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    # The account's choice from an earlier session, if the user is loaded already: loading
    # it here could translate a message of the loading itself, and come back here.
    user = g.get("_login_user")  # where Flask-Login keeps the loaded user
    return choose_locale(session.get("lang"), user, request.accept_languages)


def choose_locale(chosen, user, accepted: LanguageAccept) -> str:
    """The language of a reply: the one chosen in this session, else the account's, else
    the browser's best that we have, else English."""
    languages = current_app.config["LANGUAGES"]
    if chosen in languages:
        return chosen
    if getattr(user, "locale", None) in languages:
        return user.locale
    return accepted.best_match(languages) or "en"


def locale_of(user) -> str:
    """The language to write to `user` in when no request says it (e-mail): the one they
    last chose, else the platform's default."""
    languages = current_app.config["LANGUAGES"]
    chosen = getattr(user, "locale", None)
    return chosen if chosen in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    # Stored times are UTC; each person sees them in the zone of their account.
    from flask_login import current_user

    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_TIMEZONE"]
    return getattr(current_user, "time_zone", None) or "UTC"


def text_direction() -> str:
    return "rtl" if str(get_locale()).split("_")[0] in RTL_LANGUAGES else "ltr"


def init_app(app: Flask) -> None:
    Babel(
        app,
        locale_selector=select_locale,
        timezone_selector=select_timezone,
        default_translation_directories=str(Path(__file__).parent / "translations"),
    )
    app.jinja_env.globals.update(
        text_direction=text_direction,
        language_names=LANGUAGE_NAMES,
        get_locale=get_locale,
        get_timezone=get_timezone,
    )
