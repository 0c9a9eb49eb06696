"""Where media files live under ``MEDIA_ROOT``, and how much space an organisation or user uses.

Stored names are always generated ids; a user's file name never becomes part of a path.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from media.recordings.models import Recording
from media.uploads.models import Upload
from portal.extensions import db
from portal.organisations.models import BASE_ORG_SLUG, Organisation

UPLOAD_ID_PATTERN = re.compile(r"[0-9a-f]{32}")

# Every (model, size column) that counts against an organisation's quota. Each model has an
# ``org_id`` column. Models that hold merchant media add their pair here.
QUOTA_SOURCES: tuple[tuple[Any, Any], ...] = (
    (Upload, Upload.length),
    (Recording, Recording.size_bytes),
)


def uploads_dir(media_root: str | Path) -> Path:
    """Return the folder that holds unfinished and finished uploads."""
    return Path(media_root) / "uploads"


def upload_path(media_root: str | Path, upload_id: str) -> Path:
    """Return the ``.part`` file of upload ``upload_id`` (a 32-digit hex id)."""
    if not UPLOAD_ID_PATTERN.fullmatch(upload_id):
        raise ValueError(f"not an upload id: {upload_id!r}")
    return uploads_dir(media_root) / f"{upload_id}.part"


def _total(size_column: Any, *conditions: Any) -> int:
    query = select(func.coalesce(func.sum(size_column), 0)).where(*conditions)
    return int(db.session.scalar(query) or 0)


def org_usage_bytes(org_id: int) -> int:
    """Return the bytes organisation ``org_id`` holds or has reserved (quota usage)."""
    return sum(_total(size, model.org_id == org_id) for model, size in QUOTA_SOURCES)


def user_usage_bytes(user_id: int) -> int:
    """Return the bytes a user without an organisation holds or has reserved (quota usage).

    Their uploads (reserved at full length from creation) and the course and practice videos
    they added (recordings of the base's own organisation).
    """
    base = select(Organisation.id).where(Organisation.slug == BASE_ORG_SLUG).scalar_subquery()
    uploads = _total(Upload.length, Upload.owner_id == user_id, Upload.org_id.is_(None))
    videos = _total(
        Recording.size_bytes, Recording.created_by_id == user_id, Recording.org_id == base
    )
    return uploads + videos
