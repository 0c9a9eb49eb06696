"""Web helpers shared by every feature: htmx page-or-partial, security headers."""

from __future__ import annotations

import unicodedata
from typing import Any
from urllib.parse import unquote

from flask import (
    Flask,
    Response,
    abort,
    current_app,
    make_response,
    render_template,
    request,
    send_file,
    url_for,
)

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors {frame_ancestors}",
    ]
)

FRAMEABLE_ENDPOINT_ATTR = "beltcast_frameable"
FORM_MIMETYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


def wants_partial() -> bool:
    """Tell whether htmx swaps part of a page (not a boost or history restore)."""
    headers = request.headers
    return (
        headers.get("HX-Request") == "true"
        and "HX-Boosted" not in headers
        and "HX-History-Restore-Request" not in headers
    )


def render_page_or_partial(page: str, partial: str, /, **context: Any) -> Response:
    """Render ``partial`` for an htmx swap, else the full ``page``."""
    response = make_response(render_template(partial if wants_partial() else page, **context))
    response.vary.add("HX-Request")
    return response


def htmx_redirect(location: str) -> Response:
    """Tell htmx to navigate to ``location`` (a full page load)."""
    response = make_response("", 204)
    response.headers["HX-Redirect"] = location
    return response


def htmx_refresh(response: Response | None = None) -> Response:
    """Tell htmx to reload the whole page where it is (its URL, fragment included).

    On ``response`` when given (a polled partial that already shows the final state, should the
    reload not happen), else on an empty 204.
    """
    if response is None:
        response = make_response("", 204)
    response.headers["HX-Refresh"] = "true"
    return response


def absolute_url(endpoint: str, **values: Any) -> str:
    """Return the absolute URL of ``endpoint`` on the configured ``BASE_URL``.

    Mailed links, feeds and share pages use it; never the request's Host header, which anyone
    can forge (a reset link mailed to its owner would point at the forger's site).
    """
    return current_app.config["BASE_URL"] + url_for(endpoint, **values)


def send_private_file(path_or_file: Any, /, **options: Any) -> Response:
    """Send a file that only some signed-in users may see (Range and 304 as ``send_file``).

    ``Cache-Control: private``: the viewer's browser may keep it, a shared cache (a proxy, a
    CDN) never, or it would hand the file to the next visitor without asking the portal.
    """
    response = send_file(path_or_file, **options)
    response.cache_control.public = False
    response.cache_control.private = True
    return response


def safe_next(default: str) -> str:
    """Return the request's ``next`` if it is a local path, else ``default``."""
    target = request.args.get("next", "")
    return target if is_local_path(target) else default


def is_local_path(target: str) -> bool:
    """Tell whether a browser sent to ``target`` can only land on a page of this site.

    Browsers drop tabs and line breaks anywhere in a URL and read a backslash as a slash, so
    ``/<TAB>/evil.example`` means ``//evil.example``: another host. So the target must start with
    one slash and hold no whitespace, control character or backslash, neither as written nor
    with its path percent-decoded and NFKC-normalised (a fullwidth solidus becomes a slash).
    """
    path = target.partition("#")[0].partition("?")[0]
    decoded_path = unicodedata.normalize("NFKC", unquote(path))
    return target.startswith("/") and _stays_on_site(target) and _stays_on_site(decoded_path)


def _stays_on_site(text: str) -> bool:
    return not text.startswith("//") and not any(
        char == "\\" or char.isspace() or unicodedata.category(char).startswith("C")
        for char in text
    )


def frameable(view: Any) -> Any:
    """Mark a view as the only kind allowed inside frames (the embed player)."""
    setattr(view, FRAMEABLE_ENDPOINT_ATTR, True)
    return view


def _is_frameable(app: Flask) -> bool:
    view = app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, FRAMEABLE_ENDPOINT_ATTR, False))


def install_security_headers(app: Flask) -> None:
    """Add CSP, nosniff, referrer policy, frame rules and (behind TLS) HSTS to responses."""

    @app.after_request
    def _security_headers(response: Response) -> Response:
        ancestors = "*" if _is_frameable(app) else "'none'"
        headers = response.headers
        headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.format(
            frame_ancestors=ancestors
        )
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "same-origin"
        if ancestors == "'none'":
            headers["X-Frame-Options"] = "DENY"
        if app.config["SESSION_COOKIE_SECURE"]:
            headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        return response


def install_input_guard(app: Flask) -> None:
    """Refuse (400) a request whose query or form text holds a NUL character.

    Nobody types one, and PostgreSQL refuses it in a text column (the request would fail
    with 500 at the first write).
    """

    @app.before_request
    def _refuse_nul_characters() -> None:
        fields = [request.args]
        if request.mimetype in FORM_MIMETYPES:
            fields.append(request.form)
        for multidict in fields:
            for key, values in multidict.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    abort(400)
