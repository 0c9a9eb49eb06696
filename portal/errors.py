"""Error pages and the ``ServiceError`` that services raise with a user-safe message."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime, timedelta

from flask import Flask, render_template, session
from flask.typing import ResponseReturnValue
from flask_babel import format_time, format_timedelta
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from portal.extensions import db, limiter
from portal.web import wants_partial

log = logging.getLogger(__name__)
RETRY_AT_KEY = "rate_limited_until"  # session: when a rate-limited visitor may try again (epoch s)


class ServiceError(Exception):
    """A rule was broken; ``message`` is translated and safe to show to the user."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ConflictError(ServiceError):
    """The action does not fit the object's current state (HTTP 409)."""

    status_code = 409


HANDLED_CODES = (400, 403, 404, 405, 409, 410, 413, 429, 500)


def _titles() -> dict[int, str]:
    return {
        400: _("Bad request"),
        403: _("Not allowed"),
        404: _("Page not found"),
        405: _("Method not allowed"),
        409: _("Conflict"),
        410: _("Gone"),
        413: _("File too large"),
        429: _("Too many requests"),
        500: _("Something went wrong"),
    }


def _messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood. Please go back and try again."),
        403: _("You do not have permission to see this page."),
        404: _("We could not find that page. It may have moved or you may not have access."),
        405: _("This address does not accept that kind of request."),
        409: _("This action does not fit the current state. Reload the page and try again."),
        410: _("This item has expired."),
        413: _("The file is larger than allowed."),
        429: _("Too many attempts. Please wait a minute and try again."),
        500: _("An unexpected error happened. It has been logged; please try again later."),
    }


def render_error(code: int, message: str | None = None) -> ResponseReturnValue:
    """Render the error page (or the htmx message partial) for ``code``."""
    template = "errors/_message.html" if wants_partial() else "errors/error.html"
    body = render_template(
        template,
        code=code,
        title=_titles().get(code, str(code)),
        message=message or _messages().get(code, ""),
    )
    return body, code


def _handle_http(exc: HTTPException) -> ResponseReturnValue:
    code = exc.code or 500
    if code not in HANDLED_CODES:
        return exc
    if code == 429:
        return _handle_rate_limit()
    return render_error(code)


def _handle_rate_limit() -> ResponseReturnValue:
    """Say that there were too many attempts and when to try again; remember it for the form."""
    current = limiter.current_limit
    if current is not None:
        session[RETRY_AT_KEY] = int(current.reset_at)
    return render_error(429, rate_limit_notice() or None)


def rate_limit_notice() -> str:
    """Tell a visitor stopped by a rate limit when to try again ("" once the wait is over)."""
    if RETRY_AT_KEY not in session:
        return ""
    wait_s = int(session[RETRY_AT_KEY]) - time.time()
    if wait_s <= 0:
        del session[RETRY_AT_KEY]
        return ""
    return _(
        "Too many attempts from this connection. Try again %(when)s (at %(time)s).",
        when=format_timedelta(timedelta(seconds=wait_s), add_direction=True, threshold=2),
        time=format_time(datetime.now(UTC) + timedelta(seconds=wait_s), "short"),
    )


def _handle_csrf(exc: CSRFError) -> ResponseReturnValue:
    return render_error(400, _("Your form expired or was sent twice. Reload the page and retry."))


def _handle_service(exc: ServiceError) -> ResponseReturnValue:
    db.session.rollback()
    return render_error(exc.status_code, exc.message)


def _handle_missing_file(exc: FileNotFoundError) -> ResponseReturnValue:
    # A media file the database still names is gone (deleted by hand, volume not mounted).
    db.session.rollback()
    log.warning("missing file: %s", exc.filename)
    return render_error(404)


def _handle_500(exc: Exception) -> ResponseReturnValue:
    db.session.rollback()
    log.exception("unhandled error", exc_info=exc)
    return render_error(500)


def register_error_handlers(app: Flask) -> None:
    """Attach the translated error pages to ``app``."""
    app.register_error_handler(CSRFError, _handle_csrf)
    app.register_error_handler(ServiceError, _handle_service)
    app.register_error_handler(HTTPException, _handle_http)
    app.register_error_handler(FileNotFoundError, _handle_missing_file)
    app.register_error_handler(500, _handle_500)
