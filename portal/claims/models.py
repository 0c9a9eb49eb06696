"""The ``ComplianceTerm`` model: one banned advertising claim, editable by administrators."""

from __future__ import annotations

from sqlalchemy import JSON, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.claims.matching import TermCategory
from portal.database import TimestampMixin
from portal.extensions import db

__all__ = ["ComplianceTerm", "TermCategory"]


class ComplianceTerm(TimestampMixin, db.Model):
    """A term that must not be said in a clip (base-wide), with why and what to say instead.

    ``exceptions`` are ordinary words holding the term that are no claim (最后 for 最).
    """

    __table_args__ = (
        UniqueConstraint("category", "term", name="uq_compliance_term_category_term"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[TermCategory] = mapped_column(String(20), index=True)
    term: Mapped[str] = mapped_column(String(100))
    note: Mapped[str] = mapped_column(Text, default="")
    exceptions: Mapped[list[str]] = mapped_column(JSON, default=list)
    is_active: Mapped[bool] = mapped_column(default=True)
