"""Catalog models: base-wide categories, and items owned by one organisation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.database import OrgOwned, TimestampMixin, UTCDateTime
from portal.extensions import db
from portal.organisations.models import Organisation


class Category(db.Model):
    """A product category such as 翡翠 or 和田玉 (an editable, base-wide list)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(50), unique=True)
    name_en: Mapped[str] = mapped_column(String(50))
    position: Mapped[int] = mapped_column(default=0)

    def label(self, locale: str) -> str:
        """Return the name in ``locale`` (Chinese unless English is asked)."""
        return self.name_en if locale == "en" else self.name_zh


class Item(OrgOwned, TimestampMixin, db.Model):
    """One catalog item of a merchant, with spoken aliases and an optional certificate."""

    __table_args__ = (UniqueConstraint("org_id", "sku", name="uq_item_org_id_sku"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("category.id", ondelete="SET NULL"), index=True
    )
    price_cents: Mapped[int | None]
    description: Mapped[str] = mapped_column(Text, default="")
    cert_lab: Mapped[str] = mapped_column(String(100), default="")
    cert_number: Mapped[str] = mapped_column(String(100), default="")
    cert_grade: Mapped[str] = mapped_column(String(100), default="")
    cert_image: Mapped[str | None] = mapped_column(String(100))
    is_designer_new: Mapped[bool] = mapped_column(default=False)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    category: Mapped[Category | None] = relationship()
    org: Mapped[Organisation] = relationship()
    photos: Mapped[list[ItemPhoto]] = relationship(
        back_populates="item",
        order_by="ItemPhoto.position, ItemPhoto.id",
        cascade="all, delete-orphan",
    )

    @property
    def primary_photo(self) -> ItemPhoto | None:
        """Return the first photo (the primary one), if the item has any."""
        return self.photos[0] if self.photos else None

    @property
    def is_archived(self) -> bool:
        """Tell whether the item is archived (hidden from new work, kept for history)."""
        return self.archived_at is not None

    @property
    def has_certificate(self) -> bool:
        """Tell whether the item carries a certificate (lab and number)."""
        return bool(self.cert_lab and self.cert_number)

    @property
    def spoken_names(self) -> list[str]:
        """Return the name and every alias: what a streamer may say for this item."""
        return [self.name, *self.aliases]


class ItemPhoto(OrgOwned, TimestampMixin, db.Model):
    """A photo of an item, re-encoded as JPEG at two sizes; position 0 is the primary one.

    Files: ``<stored_stem>.jpg`` and ``<stored_stem>-thumb.jpg`` under ``catalog.photos``.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    stored_stem: Mapped[str] = mapped_column(String(32))
    width: Mapped[int]
    height: Mapped[int]
    thumb_width: Mapped[int]
    thumb_height: Mapped[int]
    size_bytes: Mapped[int]

    item: Mapped[Item] = relationship(back_populates="photos")


class CatalogImport(OrgOwned, TimestampMixin, db.Model):
    """A parsed CSV file waiting for the merchant to confirm its preview."""

    id: Mapped[int] = mapped_column(primary_key=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    filename: Mapped[str] = mapped_column(String(255))
    rows: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
