"""The ``GlossaryTerm`` model: one trade term, base-wide, editable by administrators."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.database import TimestampMixin
from portal.extensions import db


class GlossaryTerm(TimestampMixin, db.Model):
    """A jade-trade word as the trade writes it (翡翠, 籽料, Hetian), with what it means.

    ``language`` is ``zh`` when the term holds a Chinese character, else ``en``.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    term: Mapped[str] = mapped_column(String(100), unique=True)
    language: Mapped[str] = mapped_column(String(8))
    note: Mapped[str] = mapped_column(Text, default="")
    is_active: Mapped[bool] = mapped_column(default=True)
