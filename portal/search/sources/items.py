"""Catalog items: name, aliases and SKU (merchant-owned; public where a published clip shows it)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, exists, or_, select, true
from sqlalchemy.orm import selectinload

from media.clips.models import Clip, ClipItem
from portal.catalog.models import Item
from portal.catalog.photos import primary_photo_of
from portal.catalog.signals import catalog_changed
from portal.extensions import db
from portal.library.services import published_clips
from portal.organisations.models import Organisation, OrgStatus
from portal.organisations.scoping import all_orgs, scoped
from portal.search import indexing
from portal.search.registry import Document, Hit, Source, Thumbnail, Viewer, register

KIND = "item"


def _document(item: Item) -> Document:
    details = " · ".join(part for part in ("、".join(item.aliases), item.description) if part)
    category = item.category.name_zh if item.category else ""
    return Document(
        ref_id=item.id,
        org_id=item.org_id,
        title=item.name,
        body=f"{item.sku} {details}".strip(),
        context=" · ".join(part for part in (item.sku, category) if part),
        happened_at=item.updated_at,
        exact=(item.name, *item.aliases, item.sku),
    )


def _items(statement: Any) -> Iterator[Document]:
    statement = statement.options(selectinload(Item.category))
    last = 0
    while batch := db.session.scalars(
        statement.where(Item.id > last).order_by(Item.id).limit(indexing.BATCH)
    ).all():
        yield from (_document(item) for item in batch)
        last = batch[-1].id


def public_item(item_id: Any) -> ColumnElement[bool]:
    """SQL: the item is live, of an approved organisation, and shown by a published clip.

    The inner test names ``Item.id``, the enclosing subquery's own column: SQLAlchemy correlates
    a subquery only with the query just around it, so naming ``item_id`` (a column of the outer
    statement) there would make it an uncorrelated "any published clip shows any item".
    """
    shown = (
        published_clips()
        .join(ClipItem, ClipItem.clip_id == Clip.id)
        .where(ClipItem.item_id == Item.id)
        .exists()
    )
    return exists(
        select(Item.id)
        .join(Organisation, Organisation.id == Item.org_id)
        .where(
            Item.id == item_id,
            Item.archived_at.is_(None),
            Organisation.status == OrgStatus.APPROVED,
            shown,
        )
    )


# Who sees a hit decides where it opens: its merchant's catalog, the staff view, the library.
ITEM_PAGES = {"owner": "catalog.detail", "staff": "catalog.staff_detail", "public": "library.item"}
PHOTO_FILES = {"owner": "catalog.photo", "staff": "catalog.staff_photo", "public": "library.photo"}


def _audience(hit: Hit, viewer: Viewer) -> str:
    if viewer.org_id is not None and viewer.org_id == hit.org_id:
        return "owner"
    return "staff" if viewer.is_staff else "public"


class ItemSource(Source):
    """Catalog items."""

    kind = KIND
    order = 10

    @property
    def label(self) -> str:
        """Group heading."""
        return str(_l("Items"))

    def documents(self) -> Iterator[Document]:
        """Every item of every organisation."""
        return _items(all_orgs(Item))

    def visible(self, viewer: Viewer, doc: Any) -> ColumnElement[bool] | None:
        """Staff: all; a merchant: their own; everyone: public item pages."""
        if viewer.is_staff:
            return true()
        if viewer.org_id is not None:
            return or_(doc.org_id == viewer.org_id, public_item(doc.ref_id))
        return public_item(doc.ref_id)

    def about_item(self, item_id: int, doc: Any) -> ColumnElement[bool] | None:
        """The item itself."""
        return doc.ref_id == item_id

    def link(self, hit: Hit, viewer: Viewer) -> str | None:
        """The catalog page for its merchant, the staff page, else the public item page."""
        return url_for(ITEM_PAGES[_audience(hit, viewer)], item_id=hit.ref_id)

    def thumbnail(self, hit: Hit, viewer: Viewer) -> Thumbnail | None:
        """The item's primary photo, served as its page is (catalog, staff or library)."""
        photo = primary_photo_of(hit.ref_id)
        if photo is None:
            return None
        url = url_for(
            PHOTO_FILES[_audience(hit, viewer)], item_id=hit.ref_id, photo_id=photo.id, size="thumb"
        )
        return Thumbnail(url, photo.thumb_width, photo.thumb_height, photo.item.name)

    def connect(self) -> None:
        """Re-index an organisation's items when its catalog changes."""
        catalog_changed.connect(reindex_org_items)


def reindex_org_items(sender: object = None, *, org_id: int, **_: object) -> None:
    """Bring the index rows of the organisation's items up to date."""
    indexing.refresh(KIND, indexing.D.org_id == org_id, _items(scoped(Item, org_id)))


register(ItemSource())
