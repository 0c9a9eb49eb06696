"""The one way to load merchant-owned rows: always filtered by organisation.

Another organisation's row is indistinguishable from a missing one (404).
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, select

from portal.extensions import db

T = TypeVar("T")


def scoped(model: type[T], org_id: int | None) -> Select[tuple[T]]:
    """Select the rows of ``model`` owned by organisation ``org_id``."""
    owner: Any = model
    return select(model).where(owner.org_id == org_id)


def get_owned_or_404(model: type[T], obj_id: int, org_id: int | None) -> T:
    """Load one owned row; a missing or foreign row answers 404."""
    owner: Any = model
    return db.first_or_404(scoped(model, org_id).where(owner.id == obj_id))


def find_owned(model: type[T], obj_id: int | None, org_id: int | None) -> T | None:
    """Load one owned row, or None when it is missing or another organisation's (a job whose
    subject was deleted after it was queued has nothing to do)."""
    owner: Any = model
    return db.session.scalar(scoped(model, org_id).where(owner.id == obj_id))


def all_orgs(model: type[T]) -> Select[tuple[T]]:
    """Select rows of every organisation, for staff (trainer, admin) read-only views."""
    return select(model)


def get_any_or_404(model: type[T], obj_id: int) -> T:
    """Load one owned row of any organisation, for staff; missing answers 404."""
    owner: Any = model
    return db.first_or_404(select(model).where(owner.id == obj_id))


def find_any(model: type[T], obj_id: int) -> T | None:
    """Load one owned row of any organisation, or None (operator commands)."""
    owner: Any = model
    return db.session.scalar(select(model).where(owner.id == obj_id))
