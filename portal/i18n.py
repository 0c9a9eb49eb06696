"""Interface language: a user's setting, a visitor's ``?lang=`` choice, else the default."""

from __future__ import annotations

from flask import current_app, has_request_context, request, session
from flask_babel import gettext
from flask_login import current_user

SUPPORTED_LOCALES = ("zh_CN", "en")


def _normalise(value: str | None) -> str | None:
    if not value:
        return None
    value = value.replace("-", "_")
    if value.lower().startswith("zh"):
        return "zh_CN"
    if value.lower().startswith("en"):
        return "en"
    return None


def select_locale() -> str:
    """Pick the language for this request (remembering a visitor's ``?lang=``).

    Outside a request (CLI, workers) the default language applies.
    """
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = _normalise(request.args.get("lang"))
    if chosen:
        session["lang"] = chosen
        return chosen
    if current_user.is_authenticated and current_user.locale:
        return current_user.locale
    return _normalise(session.get("lang")) or current_app.config["BABEL_DEFAULT_LOCALE"]


def N_(message: str) -> str:  # noqa: N802 (the name pybabel extracts by default)
    """Mark ``message`` for translation without translating it: it is stored, shown later."""
    return message


def translate_message(key: str, args: dict[str, object] | None = None) -> str:
    """Translate a stored message id with its arguments in the current language."""
    return gettext(key, **(args or {}))
