"""An organisation's logo: an uploaded image re-encoded as a small PNG, laid over its renders.

The upload is decoded by ``portal.catalog.images.read_image`` (size, pixel count and format
checks; transparency kept) and written as a PNG of at most ``LOGO_EDGE`` pixels a side, stored
under a generated name (``logo_key``: ``logos/<org_id>/``), so nothing of the uploaded file
survives but its pixels. A bad upload raises ``ServiceError`` and stores nothing; a replaced or
removed logo's file is deleted once the change is committed.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from PIL import Image

from portal.audit.services import record_event
from portal.auth.models import User
from portal.catalog.images import read_image
from portal.extensions import db
from portal.organisations.models import Organisation
from portal.storage import logo_key, media_storage

LOGO_EDGE = 512
MAX_LOGO_BYTES = 2 * 1024**2
FIELD = "logo"


def _key(org_id: int, stem: str) -> str:
    return logo_key(org_id, f"{stem}.png")


def logo_file(org_id: int, stem: str | None) -> Path | None:
    """Return the logo PNG stored as ``stem`` for organisation ``org_id``; None if there is none."""
    if not stem or not media_storage().exists(_key(org_id, stem)):
        return None
    return media_storage().path(_key(org_id, stem))


def logo_path(org: Organisation) -> Path | None:
    """Return the organisation's logo PNG, or ``None`` when it has none."""
    return logo_file(org.id, org.logo_stem)


def store_logo(org: Organisation, data: bytes, actor: User) -> None:
    """Re-encode an uploaded image as the organisation's logo, replacing the old one."""
    picture = read_image(data, MAX_LOGO_BYTES, FIELD, keep_alpha=True)
    picture.thumbnail((LOGO_EDGE, LOGO_EDGE), Image.Resampling.LANCZOS)
    stem = uuid.uuid4().hex
    with media_storage().writing(_key(org.id, stem)) as temporary:
        picture.save(temporary, format="PNG", optimize=True)
    try:
        _replace(org, stem, actor, "organisation.logo_changed")
    except BaseException:
        media_storage().delete(_key(org.id, stem))
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
