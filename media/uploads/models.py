"""The ``Upload`` model: one resumable (tus) upload of one user, finished or not."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.database import UTCDateTime, utcnow
from portal.extensions import db


def new_upload_id() -> str:
    """Return a fresh random upload id (32 hex digits); ids never come from users."""
    return secrets.token_hex(16)


class Upload(db.Model):
    """A file being uploaded (or uploaded, waiting to be claimed) by its owner.

    Only ``owner_id`` may touch it; ``org_id`` is the merchant organisation whose quota it
    counts against (none for uploads by staff or streamers).
    """

    __tablename__ = "upload"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_upload_id)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    org_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    length: Mapped[int] = mapped_column(BigInteger)
    offset: Mapped[int] = mapped_column(BigInteger, default=0)
    filename: Mapped[str] = mapped_column(String(255), default="")
    filetype: Mapped[str] = mapped_column(String(255), default="")
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def is_complete(self) -> bool:
        """Tell whether every byte has arrived."""
        return self.completed_at is not None

    def is_expired(self, now: datetime) -> bool:
        """Tell whether an unfinished upload has passed its expiry time."""
        return not self.is_complete and self.expires_at <= now
