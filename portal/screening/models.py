"""The ``Application`` model: one merchant organisation's screening file."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.database import OrgOwned, TimestampMixin, UTCDateTime
from portal.extensions import db
from portal.organisations.models import Organisation


class Decision(StrEnum):
    """A trainer's latest answer to a submitted application."""

    APPROVED = "approved"
    REJECTED = "rejected"
    MORE_DOCUMENTS = "more_documents"


class LicenceKind(StrEnum):
    """How a stored business licence is kept and served."""

    IMAGE = "image"
    PDF = "pdf"


class Application(OrgOwned, TimestampMixin, db.Model):
    """What a merchant sends for screening: licence, contact, shops, categories, certificates."""

    __table_args__ = (UniqueConstraint("org_id", name="uq_application_org_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_name: Mapped[str] = mapped_column(String(100), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    shop_links: Mapped[list[str]] = mapped_column(JSON, default=list)
    category_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    certificate_notes: Mapped[str] = mapped_column(Text, default="")
    licence_name: Mapped[str | None] = mapped_column(String(100))
    licence_kind: Mapped[LicenceKind | None] = mapped_column(String(10))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision: Mapped[Decision | None] = mapped_column(String(20))
    decision_message: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    org: Mapped[Organisation] = relationship()

    @property
    def is_awaiting_decision(self) -> bool:
        """Tell whether the application was submitted and no trainer answered yet."""
        return self.submitted_at is not None and self.decision is None

    @property
    def has_licence(self) -> bool:
        """Tell whether a licence file is stored."""
        return self.licence_name is not None
