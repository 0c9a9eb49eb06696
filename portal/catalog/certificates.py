"""Certificate images: decoded and re-encoded with Pillow, stored under generated names."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import IO

from portal.catalog.images import read_image
from portal.storage import certificate_key, media_storage

MAX_SIDE = 4000


def store_certificate_image(stream: IO[bytes], org_id: int, max_bytes: int) -> str:
    """Decode an uploaded image, re-encode it as JPEG and return its stored name.

    Re-encoding drops anything that is not pixels (scripts, metadata, polyglots).
    """
    picture = read_image(stream.read(max_bytes + 1), max_bytes, "cert_image")
    picture.thumbnail((MAX_SIDE, MAX_SIDE))
    name = f"{uuid.uuid4().hex}.jpg"
    with media_storage().writing(certificate_key(org_id, name)) as temporary:
        picture.save(temporary, format="JPEG", quality=88)
    return name


def certificate_path(org_id: int, stored_name: str) -> Path:
    """Return the path of a stored certificate image."""
    return media_storage().path(certificate_key(org_id, stored_name))


def delete_certificate_image(org_id: int, stored_name: str | None) -> None:
    """Remove a stored certificate image if it exists."""
    if stored_name:
        media_storage().delete(certificate_key(org_id, stored_name))
