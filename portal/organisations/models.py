"""The ``Organisation`` model: one merchant company and its screening status."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.database import TimestampMixin
from portal.extensions import db

# The base's own organisation: it owns course videos (lesson and practice recordings) so they go
# through the media pipeline like any recording. It is not a merchant: merchant lists leave it out.
BASE_ORG_SLUG = "beltcast-base"


class OrgStatus(StrEnum):
    """Where a merchant organisation stands in screening."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    SUSPENDED = "suspended"


class Organisation(TimestampMixin, db.Model):
    """A merchant organisation; its members see only its data."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[OrgStatus] = mapped_column(String(20), default=OrgStatus.PENDING)
    contact_name: Mapped[str] = mapped_column(String(100), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    shop_links: Mapped[str] = mapped_column(Text, default="")
    main_categories: Mapped[str] = mapped_column(String(200), default="")
    status_reason: Mapped[str] = mapped_column(Text, default="")
    # The merchant's subtitle template (media.render.styles; None: the base's default) and the
    # stored name of its logo PNG (portal.organisations.logos; None: no logo).
    subtitle_template: Mapped[str | None] = mapped_column(String(20))
    logo_stem: Mapped[str | None] = mapped_column(String(64))

    @property
    def is_approved(self) -> bool:
        """Tell whether the organisation passed screening and is not suspended."""
        return self.status == OrgStatus.APPROVED
