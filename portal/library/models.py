"""The ``ComplianceOverride`` model: a trainer's written decision that a flagged line may stay."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.database import OrgOwned, UTCDateTime, utcnow
from portal.extensions import db


class ComplianceOverride(OrgOwned, db.Model):
    """A compliance hit of one version a trainer let stand, with the reason.

    ``source`` and ``cue_index`` say where the term stands (``portal.claims.matching.Hit``).
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    clip_id: Mapped[int] = mapped_column(ForeignKey("clip.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int | None] = mapped_column(
        ForeignKey("clip_version.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[str] = mapped_column(String(20), default="subtitle")
    term: Mapped[str] = mapped_column(String(100))
    cue_index: Mapped[int]
    start_s: Mapped[float] = mapped_column(Float, default=0.0)
    reason: Mapped[str] = mapped_column(Text)
    trainer_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    trainer: Mapped[User | None] = relationship()
