"""Reading uploaded images safely: size, emptiness, format and pixel-count checks, orientation.

Every image the catalog stores (certificates, item photos) is decoded here and re-encoded by its
caller, so nothing but pixels survives: no metadata (EXIF, GPS), scripts or polyglot payloads.
"""

from __future__ import annotations

import io
import warnings

from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from portal.errors import ServiceError

MAX_PIXELS = 40_000_000  # a 40-megapixel photo; more is a decompression bomb
FORMATS = frozenset({"JPEG", "PNG", "WEBP"})

Image.MAX_IMAGE_PIXELS = MAX_PIXELS


def read_image(data: bytes, max_bytes: int, field: str, *, keep_alpha: bool = False) -> Image.Image:
    """Decode uploaded bytes into an upright RGB image, or raise a ``ServiceError`` saying why.

    ``keep_alpha`` gives RGBA instead, transparency kept (a logo laid over video).
    """
    if not data:
        raise ServiceError(_("The file is empty."), field=field)
    if len(data) > max_bytes:
        raise ServiceError(
            _("The image is larger than %(size)s MB.", size=max_bytes // 1024**2), field=field
        )
    too_many_pixels = ServiceError(
        _("The image has more than %(count)s million pixels.", count=MAX_PIXELS // 1_000_000),
        field=field,
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format not in FORMATS:
                    raise ServiceError(_("Upload a JPEG, PNG or WebP image."), field=field)
                if image.width * image.height > MAX_PIXELS:
                    raise too_many_pixels
                upright = ImageOps.exif_transpose(image)
                return upright.convert("RGBA") if keep_alpha else _flattened(upright)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise too_many_pixels from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ServiceError(_("This file is not a readable image."), field=field) from exc


def _flattened(image: Image.Image) -> Image.Image:
    """Return ``image`` as RGB; transparent parts become white, not black."""
    if image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGB", rgba.size, "white")
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    return image.convert("RGB")
