"""Storage quotas of uploaders: merchants share their organisation's, others have their own.

What counts is ``media.usage``: stored files, and every upload not yet claimed at its
full declared length (reserved from its creation). ``lock_quota`` serialises the check and the
reservation of parallel creations.
"""

from __future__ import annotations

from dataclasses import dataclass

from babel import Locale
from babel.units import format_unit
from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from media.usage import org_usage_bytes, user_usage_bytes
from portal.auth.models import Role, User
from portal.database import lock_rows
from portal.extensions import db
from portal.organisations.models import Organisation

_SIZE_UNITS = (
    "digital-byte",
    "digital-kilobyte",
    "digital-megabyte",
    "digital-gigabyte",
    "digital-terabyte",
)


def format_bytes(size: int) -> str:
    """Format a byte count for people in the current language, e.g. ``1.5 GB`` (Babel's units).

    Units step by 1024; below a kilobyte the count is whole, above it has one decimal.
    """
    value, unit = float(size), _SIZE_UNITS[0]
    for larger in _SIZE_UNITS[1:]:
        if value < 1024:
            break
        value, unit = value / 1024, larger
    pattern = "#,##0" if unit == _SIZE_UNITS[0] else "#,##0.0"
    locale = get_locale() or Locale.parse("en")
    return format_unit(value, unit, length="short", format=pattern, locale=locale)


@dataclass(frozen=True)
class Quota:
    """The storage an uploader's files count against: their organisation's, else their own."""

    limit_bytes: int
    used_bytes: int  # stored files, plus every upload not yet claimed at its full length
    is_org: bool

    @property
    def free_bytes(self) -> int:
        """Return what may still be uploaded."""
        return max(0, self.limit_bytes - self.used_bytes)


def get_quota(user: User) -> Quota:
    """Return the quota ``user``'s uploads count against, with what is used or reserved.

    Merchants share their organisation's; streamers, trainers and admins each have their own.
    """
    config = current_app.config
    if user.is_merchant:
        used = org_usage_bytes(user.org_id) if user.org_id else 0
        return Quota(config["ORG_QUOTA_BYTES"], used, is_org=True)
    limit = config["STREAMER_QUOTA_BYTES" if user.role == Role.STREAMER else "STAFF_QUOTA_BYTES"]
    return Quota(limit, user_usage_bytes(user.id), is_org=False)


def over_quota_message(quota: Quota, length: int) -> str:
    """Explain why a file of ``length`` bytes does not fit ``quota``, in the user's language."""
    values = {
        "size": format_bytes(length),
        "used": format_bytes(quota.used_bytes),
        "quota": format_bytes(quota.limit_bytes),
    }
    if quota.is_org:
        return _(
            "This file (%(size)s) does not fit your organisation's storage quota: "
            "%(used)s of %(quota)s used. Delete old recordings or ask the base for more.",
            **values,
        )
    return _(
        "This file (%(size)s) does not fit your storage quota: %(used)s of %(quota)s used "
        "(uploads in progress count at their full size). Ask the base for more space.",
        **values,
    )


def lock_quota(user: User) -> None:
    """Lock the row of ``user``'s quota (organisation or user) until the session commits."""
    if user.is_merchant:
        lock_rows(db.session, select(Organisation.id).where(Organisation.id == user.org_id))
    else:
        lock_rows(db.session, select(User.id).where(User.id == user.id))
