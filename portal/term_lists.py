"""What the admin term lists (compliance terms, the jade glossary) share: switching a term on/off.

A term list's model has ``term`` and ``is_active``; its changes are audited as
``<prefix>.deactivated`` / ``<prefix>.reactivated``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from flask import flash, request
from flask_babel import gettext as _

from portal.audit.services import record_event
from portal.auth.models import User
from portal.extensions import db
from portal.forms import ConfirmForm


class ListedTerm(Protocol):
    """A row of a term list."""

    id: int
    term: str
    is_active: bool


T = TypeVar("T", bound=ListedTerm)


def set_term_active(actor: User, row: T, is_active: bool, *, audit_prefix: str) -> T:
    """Switch a term off or on again, audited; nothing happens if it already is."""
    if row.is_active != is_active:
        row.is_active = is_active
        action = f"{audit_prefix}.reactivated" if is_active else f"{audit_prefix}.deactivated"
        record_event(actor, action, row, term=row.term)
        db.session.commit()
    return row


def switch_posted_term(row: ListedTerm, set_active: Callable[[bool], object]) -> None:
    """Apply the posted ``active=0/1`` of a confirmed form with ``set_active`` and say so."""
    if not ConfirmForm().validate_on_submit():
        return
    is_active = request.form.get("active") == "1"
    set_active(is_active)
    if is_active:
        flash(_("Term “%(term)s” switched on.", term=row.term), "success")
    else:
        flash(_("Term “%(term)s” switched off.", term=row.term), "success")
