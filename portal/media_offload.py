"""Behind a proxy: trust its forwarded headers, and let nginx send media files.

``BELTCAST_PROXY_HOPS`` makes the portal read the client's address, scheme and host from the
``X-Forwarded-*`` headers set by that many proxies (rate limits then count each client, and
links use https). ``BELTCAST_MEDIA_ACCEL_PREFIX`` (e.g. ``/_media/``) turns every file answer
from the media root into an empty answer with ``X-Accel-Redirect: /_media/<path under the media
root>``, sent only after the route checked access; nginx then serves the file from an
``internal`` location, Range requests included, and web workers never stream video. Files
outside the media root (static assets) are still sent by the portal.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from flask import Flask, Response, request
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.utils import send_file

from portal.storage import media_storage

# Headers that describe the body the portal did not send; nginx sets its own.
_BODY_HEADERS = ("Content-Length", "Content-Range")


def install_proxy_support(app: Flask) -> None:
    """Trust ``PROXY_HOPS`` proxies and hand media files to nginx when configured."""
    hops = app.config["PROXY_HOPS"]
    if hops:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_prefix=hops
        )
    prefix = app.config["MEDIA_ACCEL_PREFIX"]
    if not prefix:
        return
    app.config["USE_X_SENDFILE"] = True
    storage = media_storage(app)

    @app.after_request
    def _hand_media_to_nginx(response: Response) -> Response:
        sendfile = response.headers.get("X-Sendfile")
        if sendfile is None:
            return response
        del response.headers["X-Sendfile"]
        path = Path(sendfile)
        key = storage.key_of(path)
        if key is None:
            return _send_here(path, response)
        if response.status_code in (206, 416):
            response.status_code = 200  # nginx answers the Range itself
        for header in _BODY_HEADERS:
            response.headers.pop(header, None)
        if response.status_code == 200:
            response.headers["X-Accel-Redirect"] = f"{prefix}{quote(key)}"
        return response


def _send_here(path: Path, offloaded: Response) -> Response:
    """Send a file from outside the media root (a static asset) the usual way."""
    if offloaded.status_code == 304:
        return offloaded
    response = send_file(
        path,
        request.environ,
        mimetype=offloaded.mimetype,
        conditional=True,
        max_age=offloaded.cache_control.max_age,
    )
    disposition = offloaded.headers.get("Content-Disposition")
    if disposition:
        response.headers["Content-Disposition"] = disposition
    return response
