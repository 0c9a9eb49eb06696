"""The ``Recording`` model: one uploaded or ingested stream video of an organisation."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.database import OrgOwned, TimestampMixin
from portal.extensions import db


class Language(StrEnum):
    """The spoken language of a recording, as the merchant sets it."""

    ZH = "zh"
    EN = "en"
    AUTO = "auto"


class Recording(OrgOwned, TimestampMixin, db.Model):
    """A stream recording: the source file, what the probe found, and its language."""

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    original_filename: Mapped[str] = mapped_column(String(255), default="")
    stored_name: Mapped[str] = mapped_column(String(255))
    size_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    language: Mapped[Language] = mapped_column(String(8), default=Language.ZH)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    container: Mapped[str] = mapped_column(String(64), default="")
    duration_s: Mapped[float] = mapped_column(default=0.0)
    width: Mapped[int] = mapped_column(default=0)
    height: Mapped[int] = mapped_column(default=0)
    fps: Mapped[float] = mapped_column(default=0.0)
    video_codec: Mapped[str] = mapped_column(String(32), default="")
    audio_codec: Mapped[str] = mapped_column(String(32), default="")
