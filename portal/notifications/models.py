"""A notification for one person, and each person's mail digest setting."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.database import UTCDateTime, utcnow
from portal.extensions import db


class Digest(StrEnum):
    """How often unread notifications are mailed (at most one mail per period)."""

    NONE = "none"
    HOURLY = "hourly"
    DAILY = "daily"


DEFAULT_DIGEST = Digest.HOURLY


class Notification(db.Model):
    """Something that asks ``user`` to act: ``kind`` about one object, text arguments kept.

    The text is written when shown, in the reader's language, from ``kind`` and ``params``;
    the link is found from ``object_type`` and ``object_id`` for the reader's role.
    """

    __table_args__ = (Index("ix_notification_user_id_read_at", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int]
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    mailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class NotificationSetting(db.Model):
    """A person's choice of mail digest (no row: ``DEFAULT_DIGEST``) and when one was sent."""

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    digest: Mapped[Digest] = mapped_column(String(10), default=DEFAULT_DIGEST)
    last_digest_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
