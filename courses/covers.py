"""Course cover images: checked and re-encoded with Pillow, stored under a generated name.

A cover is whatever readable JPEG, PNG, WebP or GIF the trainer sends, turned upright, flattened
onto white, shrunk to at most ``MAX_SIDE`` pixels and saved as a JPEG, so nothing but pixels
reaches a learner. Files are stored under ``course_cover_key`` (``courses/covers/<hex>.jpg``).
"""

from __future__ import annotations

import io
import uuid
from pathlib import Path
from typing import IO

from flask import url_for
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from courses.models import Course
from portal.errors import ServiceError
from portal.storage import course_cover_key, media_storage

MAX_SIDE = 1600
MAX_PIXELS = 40_000_000
JPEG_QUALITY = 85
ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF"})


def cover_path(stored_name: str) -> Path:
    """Return the path of a stored cover (a bare name)."""
    return media_storage().path(course_cover_key(stored_name))


def cover_url(course: Course) -> str | None:
    """Return the address of the course's cover (changes with the image), or None."""
    if not course.cover_name:
        return None
    return url_for("courses_authoring.cover", course_id=course.id, v=course.cover_name[:8])


def _flatten(image: Image.Image) -> Image.Image:
    """Return an RGB copy; transparent pixels become white, not black."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def reencode_cover(data: bytes) -> bytes:
    """Check an uploaded image and return it as a size-capped JPEG (``ServiceError`` if not)."""
    not_image = ServiceError(_("This file is not a readable image."), field="cover")
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in ACCEPTED_FORMATS:
                raise ServiceError(_("Upload a JPEG, PNG, WebP or GIF image."), field="cover")
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ServiceError(_("The image has too many pixels."), field="cover")
            image.draft("RGB", (MAX_SIDE, MAX_SIDE))
            upright = ImageOps.exif_transpose(image)
            picture = _flatten(upright)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError) as exc:
        raise not_image from exc
    picture.thumbnail((MAX_SIDE, MAX_SIDE))
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return buffer.getvalue()


def store_cover(stream: IO[bytes], max_bytes: int) -> str:
    """Check, re-encode and store an uploaded cover; return its generated file name."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ServiceError(
            _("The image is larger than %(size)s MB.", size=round(max_bytes / 1024**2, 1)),
            field="cover",
        )
    body = reencode_cover(data)
    name = f"{uuid.uuid4().hex}.jpg"
    media_storage().save(course_cover_key(name), body)
    return name


def delete_cover(stored_name: str | None) -> None:
    """Remove a stored cover if there is one."""
    if stored_name:
        media_storage().delete(course_cover_key(stored_name))
