"""The tus 1.0 upload endpoint under ``/uploads/``: core, creation, termination, expiration
and checksum (sha1). Answers are plain text; every one carries ``Tus-Resumable``. Beside it,
``/uploads/quota``: the widget's note of the storage left.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.exceptions import HTTPException
from werkzeug.http import http_date

from media.uploads import quotas, services
from media.uploads.models import Upload
from portal.auth.access import acting_user
from portal.errors import ServiceError
from portal.extensions import db

bp = Blueprint("uploads", __name__, url_prefix="/uploads", template_folder="templates")

TUS_VERSION = "1.0.0"
TUS_EXTENSIONS = "creation,termination,expiration,checksum"
UPLOAD_CONTENT_TYPE = "application/offset+octet-stream"
WRITING_METHODS = frozenset({"POST", "PATCH"})
REASONS = {460: "Checksum Mismatch"}


def _text(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    """Answer with a plain-text message (tus clients show it as the error)."""
    reason = REASONS.get(status)
    response = Response(f"{message}\n", mimetype="text/plain", headers=dict(headers or {}))
    response.status = f"{status} {reason}" if reason else status
    return response


def _empty(status: int, headers: Mapping[str, str | int]) -> Response:
    return Response(status=status, headers={k: str(v) for k, v in headers.items()})


def _expiry_headers(upload: Upload) -> dict[str, str]:
    if upload.is_complete:
        return {}
    return {"Upload-Expires": http_date(upload.expires_at)}


def _int_header(name: str) -> int | None:
    """Read a header holding a non-negative whole number; None when missing or malformed."""
    value = request.headers.get(name, "")
    return int(value) if value.isascii() and value.isdigit() else None


def _parse_metadata(header: str) -> dict[str, str]:
    """Decode ``Upload-Metadata``: comma-separated ``key base64value`` pairs."""
    metadata: dict[str, str] = {}
    for pair in filter(None, (part.strip() for part in header.split(","))):
        key, _sep, encoded = pair.partition(" ")
        try:
            metadata[key] = base64.b64decode(encoded.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            abort(400, _("Upload-Metadata is not valid base64 text."))
    return metadata


def _parse_checksum(header: str | None) -> services.Checksum | None:
    """Decode ``Upload-Checksum: <algorithm> <base64 digest>``; unknown algorithms are 400."""
    if not header:
        return None
    algorithm, _sep, encoded = header.strip().partition(" ")
    if algorithm not in services.CHECKSUM_ALGORITHMS:
        abort(400, _("Unsupported checksum algorithm; use sha1."))
    try:
        return services.Checksum(algorithm, base64.b64decode(encoded.strip(), validate=True))
    except binascii.Error:
        abort(400, _("Upload-Checksum is not valid base64."))


@bp.before_request
def _require_tus_and_user() -> ResponseReturnValue | None:
    """Refuse other protocol versions (412), visitors (401) and users who may not upload."""
    if request.method == "OPTIONS" or request.endpoint == "uploads.quota":
        return None
    if request.headers.get("Tus-Resumable") != TUS_VERSION:
        return _text(412, _("Tus-Resumable 1.0.0 is required."), {"Tus-Version": TUS_VERSION})
    if not current_user.is_authenticated:
        return _text(401, _("Your session has ended. Sign in again, then choose the file again."))
    if request.method in WRITING_METHODS and not services.can_upload(acting_user()):
        return _text(403, _("Your account may not upload videos yet."))
    return None


@bp.after_request
def _tus_resumable(response: Response) -> Response:
    response.headers["Tus-Resumable"] = TUS_VERSION
    return response


@bp.errorhandler(ServiceError)
def _service_error(exc: ServiceError) -> ResponseReturnValue:
    db.session.rollback()
    return _text(exc.status_code, exc.message)


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> ResponseReturnValue:
    db.session.rollback()
    return _text(exc.code or 500, exc.description or exc.name)


@bp.route("/", methods=["OPTIONS"])
def options() -> ResponseReturnValue:
    """Describe the server: version, extensions, size limit and checksum algorithms."""
    return _empty(
        204,
        {
            "Tus-Version": TUS_VERSION,
            "Tus-Extension": TUS_EXTENSIONS,
            "Tus-Max-Size": current_app.config["MAX_UPLOAD_BYTES"],
            "Tus-Checksum-Algorithm": ",".join(services.CHECKSUM_ALGORITHMS),
        },
    )


@bp.get("/quota")
@login_required
def quota() -> ResponseReturnValue:
    """Say how much the user may still upload (the widget loads this note)."""
    quota = quotas.get_quota(acting_user())
    return render_template(
        "uploads/_quota.html",
        is_org=quota.is_org,
        free=quotas.format_bytes(quota.free_bytes),
        limit=quotas.format_bytes(quota.limit_bytes),
    )


@bp.post("/")
def create() -> ResponseReturnValue:
    """Create an upload of ``Upload-Length`` bytes (refused early when too large)."""
    length = _int_header("Upload-Length")
    if not length:
        return _text(400, _("Upload-Length must be a whole number of bytes, at least 1."))
    metadata = _parse_metadata(request.headers.get("Upload-Metadata", ""))
    upload = services.create_upload(
        acting_user(),
        length,
        filename=metadata.get("filename", ""),
        filetype=metadata.get("filetype", ""),
    )
    location = url_for(".status", upload_id=upload.id, _external=True)
    return _empty(201, {"Location": location, **_expiry_headers(upload)})


@bp.route("/<upload_id>", methods=["HEAD"])
def status(upload_id: str) -> ResponseReturnValue:
    """Report how many bytes of the upload have arrived."""
    upload = services.get_active_upload_or_404(upload_id, acting_user().id)
    return _empty(
        200,
        {
            "Upload-Offset": upload.offset,
            "Upload-Length": upload.length,
            "Cache-Control": "no-store",
            **_expiry_headers(upload),
        },
    )


@bp.patch("/<upload_id>")
def append(upload_id: str) -> ResponseReturnValue:
    """Append the request body at ``Upload-Offset``, streamed to disk."""
    upload = services.get_active_upload_or_404(upload_id, acting_user().id)
    if request.mimetype != UPLOAD_CONTENT_TYPE:
        return _text(415, _("Send the data as %(type)s.", type=UPLOAD_CONTENT_TYPE))
    offset = _int_header("Upload-Offset")
    if offset is None:
        return _text(400, _("Upload-Offset must be a whole number of bytes."))
    checksum = _parse_checksum(request.headers.get("Upload-Checksum"))
    new_offset = services.append_chunk(
        upload, request.stream, offset, body_length=request.content_length, checksum=checksum
    )
    return _empty(204, {"Upload-Offset": new_offset, **_expiry_headers(upload)})


@bp.delete("/<upload_id>")
def terminate(upload_id: str) -> ResponseReturnValue:
    """Cancel the upload: remove its file and record."""
    services.discard_upload(services.get_active_upload_or_404(upload_id, acting_user().id))
    return _empty(204, {})
