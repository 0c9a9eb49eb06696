"""An organisation's logo: an uploaded image re-encoded as a small PNG, laid over its renders.

The upload is decoded by ``portal.catalog.images.read_image`` (size, pixel count and format
checks; transparency kept) and written as a PNG of at most ``LOGO_EDGE`` pixels a side under a
generated name in ``MEDIA_ROOT/logos/<org_id>/``, so nothing of the uploaded file survives but
its pixels. A bad upload raises ``ServiceError`` and stores nothing; a replaced or removed logo's
file is deleted once the change is committed.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from flask import current_app
from PIL import Image

from portal.audit.services import record_event
from portal.auth.models import User
from portal.catalog.images import read_image
from portal.extensions import db
from portal.organisations.models import Organisation

LOGO_EDGE = 512
MAX_LOGO_BYTES = 2 * 1024**2
FIELD = "logo"


def logo_dir(org_id: int) -> Path:
    """Return the folder holding an organisation's logo."""
    return Path(current_app.config["MEDIA_ROOT"]) / "logos" / str(org_id)


def logo_path(org: Organisation) -> Path | None:
    """Return the organisation's logo PNG, or ``None`` when it has none."""
    if not org.logo_stem:
        return None
    path = logo_dir(org.id) / f"{Path(org.logo_stem).name}.png"
    return path if path.is_file() else None


def store_logo(org: Organisation, data: bytes, actor: User) -> None:
    """Re-encode an uploaded image as the organisation's logo, replacing the old one."""
    picture = read_image(data, MAX_LOGO_BYTES, FIELD, keep_alpha=True)
    picture.thumbnail((LOGO_EDGE, LOGO_EDGE), Image.Resampling.LANCZOS)
    folder = logo_dir(org.id)
    folder.mkdir(parents=True, exist_ok=True)
    stem = uuid.uuid4().hex
    target = folder / f"{stem}.png"
    temporary = folder / f".{stem}.tmp"
    try:
        picture.save(temporary, format="PNG", optimize=True)
        temporary.rename(target)
        _replace(org, stem, actor, "organisation.logo_changed")
    except BaseException:
        temporary.unlink(missing_ok=True)
        target.unlink(missing_ok=True)
        raise


def remove_logo(org: Organisation, actor: User) -> None:
    """Remove the organisation's logo (nothing happens when it has none)."""
    if org.logo_stem:
        _replace(org, None, actor, "organisation.logo_removed")


def _replace(org: Organisation, stem: str | None, actor: User, action: str) -> None:
    """Point the organisation at ``stem``, commit, then delete the previous file."""
    old = logo_path(org)
    org.logo_stem = stem
    record_event(actor, action, org, org_id=org.id)
    db.session.commit()
    if old is not None:
        old.unlink(missing_ok=True)
