"""Administration services: user lists and category edits."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select

from portal.audit.services import record_event
from portal.auth.models import User
from portal.catalog.models import Category
from portal.errors import ServiceError
from portal.extensions import db

PAGE_SIZE = 50


def list_users(role: str | None, page: int) -> Pagination:
    """Return one page of users, optionally of one role."""
    statement = select(User).order_by(User.created_at.desc(), User.id.desc())
    if role:
        statement = statement.where(User.role == role)
    return db.paginate(statement, page=page, per_page=PAGE_SIZE, error_out=False)


def save_category(
    actor: User, category: Category | None, *, name_zh: str, name_en: str, position: int
) -> Category:
    """Create a category or rename an existing one."""
    clash = db.session.scalar(select(Category).where(Category.name_zh == name_zh.strip()))
    if clash is not None and clash is not category:
        raise ServiceError(_("This category exists already."), field="name_zh")
    category = category or Category()
    category.name_zh, category.name_en = name_zh.strip(), name_en.strip()
    category.position = position
    db.session.add(category)
    record_event(actor, "category.saved", category, name=category.name_zh)
    db.session.commit()
    return category
