"""Catalog items: name, aliases and SKU (merchant-owned; public where a published clip shows it).

An item has two rows: its catalog row (as it is now: its merchant and staff find that) and, once
a published clip shows it, its public row (name, SKU, spoken aliases and category as the newest
published clip's approved version kept them: everyone else finds that). A rename or an alias
added after publication no trainer has seen (加微信翡翠手镯 全网最低价) stays off the public's
results; the description, which no version keeps, is never in the public row. The public
thumbnail is the approved version's photo, never one uploaded since.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.orm import selectinload

from media.clips.models import Clip, ClipItem
from media.clips.signals import clip_changed
from portal.catalog.models import Item, ItemPhoto
from portal.catalog.photos import primary_photo_of
from portal.catalog.signals import catalog_changed
from portal.extensions import db
from portal.library.services import (
    approved_item,
    approved_photo,
    clips_of_item,
    kept_facts,
    published_clips,
    published_item_facts,
)
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


CATALOG_PART, PUBLIC_PART = 0, 1


def _public_document(item: Item, facts: dict[str, object]) -> Document:
    """The public row: only what the newest published clip's approved version kept (its aliases
    as approved; versions made before aliases were kept have none)."""
    approved = kept_facts(item.id, facts)
    sku, category = str(facts.get("sku") or ""), str(facts.get("category") or "")
    return Document(
        ref_id=item.id,
        org_id=item.org_id,
        part_id=PUBLIC_PART,
        title=approved.name,
        body=" ".join(part for part in (sku, "、".join(approved.aliases)) if part),
        context=" · ".join(part for part in (sku, category) if part),
        happened_at=item.updated_at,
        exact=tuple(part for part in (approved.name, *approved.aliases, sku) if part),
    )


def _items(statement: Any, org_id: int | None = None) -> Iterator[Document]:
    statement = statement.options(selectinload(Item.category))
    published = published_item_facts(org_id)
    last = 0
    while batch := db.session.scalars(
        statement.where(Item.id > last).order_by(Item.id).limit(indexing.BATCH)
    ).all():
        for item in batch:
            yield _document(item)
            if item.id in published:
                yield _public_document(item, published[item.id])
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


def _live_photo(item_id: int) -> tuple[ItemPhoto | None, str]:
    """The item's primary photo as it is now, named as it is now (its merchant's and staff's)."""
    photo = primary_photo_of(item_id)
    return photo, photo.item.name if photo is not None else ""


def _public_photo(item_id: int) -> tuple[ItemPhoto | None, str]:
    """The photo and name the newest published clip's approved version kept (the item page's)."""
    item = db.session.get(Item, item_id)
    shown = approved_item(item, clips_of_item(item)) if item is not None else None
    return (approved_photo(shown), shown.name) if shown is not None else (None, "")


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
        """Staff: every catalog row; a merchant: their own catalog rows; everyone else: the
        public rows of public item pages."""
        catalog = doc.part_id == CATALOG_PART
        if viewer.is_staff:
            return catalog
        public = and_(doc.part_id == PUBLIC_PART, public_item(doc.ref_id))
        if viewer.org_id is not None:
            return or_(
                and_(catalog, doc.org_id == viewer.org_id),
                and_(public, doc.org_id != viewer.org_id),
            )
        return public

    def about_item(self, item_id: int, doc: Any) -> ColumnElement[bool] | None:
        """The item itself."""
        return doc.ref_id == item_id

    def link(self, hit: Hit, viewer: Viewer) -> str | None:
        """The catalog page for its merchant, the staff page, else the public item page."""
        return url_for(ITEM_PAGES[_audience(hit, viewer)], item_id=hit.ref_id)

    def thumbnail(self, hit: Hit, viewer: Viewer) -> Thumbnail | None:
        """The item's primary photo, served as its page is (catalog, staff or library); the
        public gets the approved version's photo, named as published, as the item page does."""
        audience = _audience(hit, viewer)
        photo, alt = (_public_photo if audience == "public" else _live_photo)(hit.ref_id)
        if photo is None:
            return None
        url = url_for(PHOTO_FILES[audience], item_id=hit.ref_id, photo_id=photo.id, size="thumb")
        return Thumbnail(url, photo.thumb_width, photo.thumb_height, alt)

    def connect(self) -> None:
        """Re-index an organisation's items when its catalog changes, and when a clip changes
        (published or taken down, it changes its items' public rows)."""
        catalog_changed.connect(reindex_org_items)
        clip_changed.connect(reindex_clip_items)


def reindex_org_items(sender: object = None, *, org_id: int, **_: object) -> None:
    """Bring the index rows of the organisation's items up to date."""
    indexing.refresh(KIND, indexing.D.org_id == org_id, _items(scoped(Item, org_id), org_id))


def reindex_clip_items(sender: object = None, *, clip_id: int, org_id: int, **_: object) -> None:
    """Bring the index rows of a changed clip's items up to date (their public rows follow the
    newest published clip)."""
    linked = list(db.session.scalars(select(ClipItem.item_id).where(ClipItem.clip_id == clip_id)))
    if linked:
        scope = and_(indexing.D.org_id == org_id, indexing.D.ref_id.in_(linked))
        indexing.refresh(
            KIND, scope, _items(scoped(Item, org_id).where(Item.id.in_(linked)), org_id)
        )


register(ItemSource())
