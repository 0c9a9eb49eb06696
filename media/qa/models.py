"""The QA report of one rendered set of files (shared by versions that reuse those files)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.database import OrgOwned, UTCDateTime
from portal.extensions import db


class RenderQaReport(OrgOwned, db.Model):
    """What the checks found in a render's files, with times, and the merchant's override.

    Keyed by the versions' ``stored_stem``: a version that only changed its text shares its
    files, so it shares their report. Each finding: ``check``, ``start_s`` and ``end_s``
    (seconds into the clip, ``None`` when it concerns the whole clip or its texts), ``detail``.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    stored_stem: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    findings: Mapped[list[dict[str, object]]] = mapped_column(db.JSON, default=list)
    override_reason: Mapped[str | None] = mapped_column(Text)
    overridden_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    overridden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_blocking(self) -> bool:
        """Tell whether a finding stands and nobody overrode it: submitting is refused."""
        return bool(self.findings) and self.override_reason is None
