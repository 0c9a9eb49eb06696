"""Catalog workflows: list, create, edit, archive items."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, String, cast, func, or_, select
from sqlalchemy.orm import selectinload

from portal.audit.services import record_event
from portal.auth.models import User
from portal.catalog.models import Category, Item
from portal.catalog.signals import (
    catalog_changed,
    certificate_of,
    item_archived,
    item_certificate_changed,
)
from portal.database import utcnow
from portal.errors import ServiceError
from portal.extensions import db
from portal.organisations.scoping import all_orgs, scoped

PAGE_SIZE = 50
ALIAS_SEPARATORS = ("\n", ",", "，", "、", ";", "；", "|")


@dataclass
class ItemData:
    """The editable fields of an item, already shaped by a form or a CSV row."""

    sku: str
    name: str
    aliases: list[str] = field(default_factory=list)
    category_id: int | None = None
    price_cents: int | None = None
    description: str = ""
    cert_lab: str = ""
    cert_number: str = ""
    cert_grade: str = ""
    is_designer_new: bool = False


@dataclass(frozen=True)
class ItemFilter:
    """What the catalog list shows."""

    query: str = ""
    category_id: int | None = None
    show_archived: bool = False
    org_id: int | None = None


def split_aliases(text: str) -> list[str]:
    """Split a free-text alias list (new lines, commas, 、, semicolons, bars) without repeats."""
    for separator in ALIAS_SEPARATORS[1:]:
        text = text.replace(separator, ALIAS_SEPARATORS[0])
    seen: dict[str, None] = {}
    for alias in (part.strip() for part in text.split(ALIAS_SEPARATORS[0])):
        if alias:
            seen.setdefault(alias, None)
    return list(seen)


def list_categories() -> list[Category]:
    """Return every category in display order."""
    return list(db.session.scalars(select(Category).order_by(Category.position, Category.id)))


def _filtered(statement: Select[tuple[Item]], item_filter: ItemFilter) -> Select[tuple[Item]]:
    if item_filter.query:
        text = item_filter.query.strip().lower()
        aliases = func.lower(cast(Item.aliases, String))
        statement = statement.where(
            or_(
                func.lower(Item.sku).contains(text, autoescape=True),
                func.lower(Item.name).contains(text, autoescape=True),
                aliases.contains(text, autoescape=True),
                # JSON text stores non-ASCII characters as \u-escapes (four hex digits each).
                aliases.contains(json.dumps(text)[1:-1], autoescape=True),
            )
        )
    if item_filter.category_id:
        statement = statement.where(Item.category_id == item_filter.category_id)
    if not item_filter.show_archived:
        statement = statement.where(Item.archived_at.is_(None))
    return statement.order_by(Item.sku)


def list_items(org_id: int, item_filter: ItemFilter, page: int) -> Pagination:
    """Return one page of an organisation's items."""
    statement = _filtered(scoped(Item, org_id), item_filter).options(selectinload(Item.photos))
    return db.paginate(statement, page=page, per_page=PAGE_SIZE, error_out=False)


def list_all_items(item_filter: ItemFilter, page: int) -> Pagination:
    """Return one page of every organisation's items (staff, read-only)."""
    statement = all_orgs(Item)
    if item_filter.org_id:
        statement = statement.where(Item.org_id == item_filter.org_id)
    statement = _filtered(statement, item_filter).options(selectinload(Item.photos))
    return db.paginate(statement, page=page, per_page=PAGE_SIZE, error_out=False)


def active_items(org_id: int) -> list[Item]:
    """Return every item of the organisation that is not archived."""
    return list(db.session.scalars(_filtered(scoped(Item, org_id), ItemFilter())))


def sku_taken(org_id: int, sku: str, except_id: int | None = None) -> bool:
    """Tell whether another item of the organisation already uses ``sku``."""
    statement = scoped(Item, org_id).where(Item.sku == sku)
    if except_id is not None:
        statement = statement.where(Item.id != except_id)
    return db.session.scalar(statement) is not None


def _require_free_sku(org_id: int, sku: str, except_id: int | None = None) -> None:
    if sku_taken(org_id, sku, except_id):
        raise ServiceError(_("Another item already uses this SKU."), field="sku")


def _apply(item: Item, data: ItemData) -> None:
    for name, value in asdict(data).items():
        setattr(item, name, value.strip() if isinstance(value, str) else value)


def create_item(org_id: int, actor: User, data: ItemData) -> Item:
    """Add an item to the organisation's catalog."""
    _require_free_sku(org_id, data.sku.strip())
    item = Item(org_id=org_id)
    _apply(item, data)
    db.session.add(item)
    record_event(actor, "item.created", item, org_id=org_id, sku=item.sku)
    db.session.commit()
    catalog_changed.send(org_id=org_id)
    return item


def update_item(item: Item, actor: User, data: ItemData) -> Item:
    """Save edits to an item."""
    _require_free_sku(item.org_id, data.sku.strip(), except_id=item.id)
    certificate = certificate_of(item)
    _apply(item, data)
    record_event(actor, "item.updated", item, org_id=item.org_id, sku=item.sku)
    db.session.commit()
    if certificate_of(item) != certificate:
        item_certificate_changed.send(item=item)
    catalog_changed.send(org_id=item.org_id)
    return item


def set_archived(item: Item, actor: User, archived: bool) -> None:
    """Archive an item (kept for history, hidden from new work) or bring it back."""
    item.archived_at = utcnow() if archived else None
    action = "item.archived" if archived else "item.restored"
    record_event(actor, action, item, org_id=item.org_id)
    db.session.commit()
    if archived:
        item_archived.send(item=item)
    catalog_changed.send(org_id=item.org_id)


def set_certificate_image(item: Item, actor: User, stored_name: str | None) -> None:
    """Record the item's certificate image (already stored) or remove it."""
    item.cert_image = stored_name
    record_event(actor, "item.certificate_image", item, org_id=item.org_id, image=stored_name)
    db.session.commit()
