"""Business licence files: images re-encoded with Pillow, PDFs checked by magic bytes."""

from __future__ import annotations

import io
import uuid
from pathlib import Path
from typing import IO

from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError

from portal.errors import ServiceError
from portal.screening.models import LicenceKind
from portal.storage import licence_key, media_storage

MAX_PIXELS = 40_000_000
MAX_SIDE = 4000
PDF_MAGIC = b"%PDF-"
MIME_TYPES = {LicenceKind.IMAGE: "image/jpeg", LicenceKind.PDF: "application/pdf"}


def licence_path(org_id: int, stored_name: str) -> Path:
    """Return the path of a stored licence file."""
    return media_storage().path(licence_key(org_id, stored_name))


def _reencoded_jpeg(data: bytes) -> bytes:
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in {"JPEG", "PNG"}:
                raise ServiceError(_("Upload a JPEG or PNG image, or a PDF."), field="licence")
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            picture = image.convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ServiceError(
            _("This file is neither a readable image nor a PDF."), field="licence"
        ) from exc
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=88)
    return buffer.getvalue()


def store_licence(stream: IO[bytes], org_id: int, max_bytes: int) -> tuple[str, LicenceKind]:
    """Check an uploaded licence, store it under a generated name; return name and kind.

    Images are re-encoded as JPEG (dropping anything that is not pixels); a PDF is kept
    as sent once its magic bytes and size are right, and is only ever served as a download.
    """
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ServiceError(
            _("The file is larger than %(size)s MB.", size=round(max_bytes / 1024**2, 1)),
            field="licence",
        )
    if data.startswith(PDF_MAGIC):
        kind, body, suffix = LicenceKind.PDF, data, "pdf"
    else:
        kind, body, suffix = LicenceKind.IMAGE, _reencoded_jpeg(data), "jpg"
    name = f"{uuid.uuid4().hex}.{suffix}"
    media_storage().save(licence_key(org_id, name), body)
    return name, kind


def delete_licence(org_id: int, stored_name: str | None) -> None:
    """Remove a stored licence file if it exists."""
    if stored_name:
        media_storage().delete(licence_key(org_id, stored_name))
