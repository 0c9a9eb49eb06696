"""Recording models: one uploaded or ingested stream video, and the items it sells."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.catalog.models import Item
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
    # No foreign keys (SQLite would rebuild the table): services clear a deleted account's id.
    live_account_id: Mapped[int | None] = mapped_column(index=True)
    updated_by_id: Mapped[int | None]
    container: Mapped[str] = mapped_column(String(64), default="")
    duration_s: Mapped[float] = mapped_column(default=0.0)
    width: Mapped[int] = mapped_column(default=0)
    height: Mapped[int] = mapped_column(default=0)
    fps: Mapped[float] = mapped_column(default=0.0)
    video_codec: Mapped[str] = mapped_column(String(32), default="")
    audio_codec: Mapped[str] = mapped_column(String(32), default="")


class StreamItem(OrgOwned, db.Model):
    """An item on a recording's item list (the live-commerce cart, 小黄车).

    ``link_number`` is the number of the item's link in the cart ("3号链接"): optional, at most
    once per recording. The list reads in link-number order, unnumbered items last in
    ``position`` order.
    """

    __table_args__ = (
        UniqueConstraint("recording_id", "item_id", name="uq_stream_item_recording_id_item_id"),
        UniqueConstraint(
            "recording_id", "link_number", name="uq_stream_item_recording_id_link_number"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recording_id: Mapped[int] = mapped_column(ForeignKey("recording.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id", ondelete="CASCADE"), index=True)
    link_number: Mapped[int | None]
    position: Mapped[int] = mapped_column(default=0)

    item: Mapped[Item] = relationship()
