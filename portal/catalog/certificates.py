"""Certificate images: decoded and re-encoded with Pillow, stored under generated names."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import IO

from portal.catalog.images import read_image

MAX_SIDE = 4000


def certificate_dir(media_root: str, org_id: int) -> Path:
    """Return the folder that holds one organisation's certificate images."""
    return Path(media_root) / "certificates" / str(org_id)


def store_certificate_image(stream: IO[bytes], media_root: str, org_id: int, max_bytes: int) -> str:
    """Decode an uploaded image, re-encode it as JPEG and return its stored name.

    Re-encoding drops anything that is not pixels (scripts, metadata, polyglots).
    """
    picture = read_image(stream.read(max_bytes + 1), max_bytes, "cert_image")
    picture.thumbnail((MAX_SIDE, MAX_SIDE))
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
