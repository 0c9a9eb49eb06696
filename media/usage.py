"""How much space an organisation or user uses (what their storage quotas count).

The uploads are counted here; every feature that keeps merchant media (recordings) adds what it
holds with ``add_usage_source`` at app creation, so this module imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app
from sqlalchemy import func, select

from media.uploads.models import Upload
from portal.extensions import db

_USAGE_SOURCES = "media-usage-sources"


@dataclass(frozen=True)
class UsageSource:
    """The bytes a feature keeps for an organisation (``of_org``) and for a user without one
    (``of_user``), counted against their quota."""

    of_org: Callable[[int], int]
    of_user: Callable[[int], int]


def add_usage_source(app: Flask, source: UsageSource) -> None:
    """Count what ``source`` keeps against ``app``'s quotas."""
    app.extensions.setdefault(_USAGE_SOURCES, []).append(source)


def _usage_sources() -> list[UsageSource]:
    return current_app.extensions.get(_USAGE_SOURCES, [])


def total_bytes(size_column: Any, *conditions: Any) -> int:
    """The sum of ``size_column`` over the rows that meet ``conditions`` (0 without any)."""
    query = select(func.coalesce(func.sum(size_column), 0)).where(*conditions)
    return int(db.session.scalar(query) or 0)


def org_usage_bytes(org_id: int) -> int:
    """Return the bytes organisation ``org_id`` holds or has reserved (quota usage)."""
    uploads = total_bytes(Upload.length, Upload.org_id == org_id)
    return uploads + sum(source.of_org(org_id) for source in _usage_sources())


def user_usage_bytes(user_id: int) -> int:
    """Return the bytes a user without an organisation holds or has reserved (quota usage).

    Their uploads (reserved at full length from creation) and what the features keep for them
    (the course and practice videos they added).
    """
    uploads = total_bytes(Upload.length, Upload.owner_id == user_id, Upload.org_id.is_(None))
    return uploads + sum(source.of_user(user_id) for source in _usage_sources())
