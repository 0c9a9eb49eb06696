"""Certificate images: decoded and re-encoded with Pillow, stored under generated names."""

from __future__ import annotations

import io
import uuid
from pathlib import Path
from typing import IO

from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError

from portal.errors import ServiceError

MAX_PIXELS = 40_000_000
MAX_SIDE = 4000


def certificate_dir(media_root: str, org_id: int) -> Path:
    """Return the folder that holds one organisation's certificate images."""
    return Path(media_root) / "certificates" / str(org_id)


def store_certificate_image(stream: IO[bytes], media_root: str, org_id: int, max_bytes: int) -> str:
    """Decode an uploaded image, re-encode it as JPEG and return its stored name.

    Re-encoding drops anything that is not pixels (scripts, metadata, polyglots).
    """
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ServiceError(
            _("The image is larger than %(size)s MB.", size=max_bytes // 1024**2),
            field="cert_image",
        )
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in {"JPEG", "PNG", "WEBP"}:
                raise ServiceError(_("Upload a JPEG, PNG or WebP image."), field="cert_image")
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            picture = image.convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ServiceError(_("This file is not a readable image."), field="cert_image") from exc
    folder = certificate_dir(media_root, org_id)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{uuid.uuid4().hex}.jpg"
    temporary = folder / f".{name}.tmp"
    picture.save(temporary, format="JPEG", quality=88)
    temporary.rename(folder / name)
    return name


def certificate_path(media_root: str, org_id: int, stored_name: str) -> Path:
    """Return the path of a stored certificate image."""
    return certificate_dir(media_root, org_id) / Path(stored_name).name


def delete_certificate_image(media_root: str, org_id: int, stored_name: str | None) -> None:
    """Remove a stored certificate image if it exists."""
    if stored_name:
        certificate_path(media_root, org_id, stored_name).unlink(missing_ok=True)
