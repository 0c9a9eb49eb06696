"""Compliance services: the banned-term list (edited by administrators) and the clip check."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from media.clips.kept_text import KeptLine, kept_lines
from portal import term_lists
from portal.audit.services import record_event
from portal.claims.matching import Hit, TermCategory, TimedCue, find_hits, fold_term
from portal.claims.models import ComplianceTerm
from portal.claims.terms import active_terms
from portal.errors import ServiceError
from portal.extensions import db

MAX_EXCEPTION_LENGTH = 100

if TYPE_CHECKING:
    from media.clips.models import Clip
    from portal.auth.models import User


def list_terms() -> list[ComplianceTerm]:
    """Return every term, active or not, by category and term."""
    statement = select(ComplianceTerm).order_by(ComplianceTerm.category, ComplianceTerm.term)
    return list(db.session.scalars(statement))


def get_term_or_404(term_id: int) -> ComplianceTerm:
    """Load one term (the list is base-wide); a missing one answers 404."""
    return db.get_or_404(ComplianceTerm, term_id)


def items_certified(clip: Clip) -> bool:
    """Tell whether the clip has items and every one of them carries a certificate."""
    items = clip.items
    return bool(items) and all(item.has_certificate for item in items)


def check_clip(clip: Clip, lines: Sequence[KeptLine] | None = None) -> list[Hit]:
    """Find the active terms in the clip's subtitle lines, timed into the clip.

    What the editor shows before a render. A hidden line is still said: its hits are marked
    "spoken, subtitle hidden". What is cut from the clip (a line, a word) is not said: it is not
    checked. Each hit's ``cue_index`` is the ``ClipCue`` id.
    """
    cues = [
        TimedCue(
            start_s=line.start_ms / 1000,
            end_s=line.end_ms / 1000,
            text=line.text,
            index=line.cue.id,
            source="spoken" if line.cue.is_hidden else "subtitle",
        )
        for line in (kept_lines(clip) if lines is None else lines)
    ]
    hits = find_hits(cues, active_terms(), items_certified=items_certified(clip))
    return [replace(hit, note="hidden") if hit.source == "spoken" else hit for hit in hits]


def add_term(
    actor: User, *, category: str, term: str, note: str, exceptions: Sequence[str] = ()
) -> ComplianceTerm:
    """Put a new term on the list, with the ordinary words holding it that are no claim."""
    chosen, text = _checked(None, category, term)
    words = _checked_exceptions(text, exceptions)
    row = ComplianceTerm(
        category=chosen, term=text, note=note.strip(), exceptions=words, is_active=True
    )
    db.session.add(row)
    _flush_unique()
    record_event(actor, "compliance_term.added", row, category=chosen, term=text, exceptions=words)
    db.session.commit()
    return row


def edit_term(
    actor: User,
    row: ComplianceTerm,
    *,
    category: str,
    term: str,
    note: str,
    exceptions: Sequence[str] = (),
) -> ComplianceTerm:
    """Change a term's category, text, note or exceptions."""
    chosen, text = _checked(row, category, term)
    words = _checked_exceptions(text, exceptions)
    before = {"category": str(row.category), "term": row.term, "exceptions": row.exceptions}
    row.category, row.term, row.note, row.exceptions = chosen, text, note.strip(), words
    _flush_unique()
    record_event(
        actor,
        "compliance_term.changed",
        row,
        before=before,
        category=chosen,
        term=text,
        exceptions=words,
    )
    db.session.commit()
    return row


def set_term_active(actor: User, row: ComplianceTerm, is_active: bool) -> ComplianceTerm:
    """Switch a term off or on again."""
    return term_lists.set_term_active(actor, row, is_active, audit_prefix="compliance_term")


def _checked(row: ComplianceTerm | None, category: str, term: str) -> tuple[TermCategory, str]:
    """Return the category and trimmed term, or raise if they are unusable or taken."""
    if category not in set(TermCategory):
        raise ServiceError(_("Choose a category."), field="category")
    text, folded = term.strip(), fold_term(term)
    if not folded:
        raise ServiceError(_("Enter at least one letter, digit or symbol."), field="term")
    same_category = select(ComplianceTerm).where(ComplianceTerm.category == category)
    for other in db.session.scalars(same_category):
        if other is not row and fold_term(other.term) == folded:
            raise _duplicate(other)
    return TermCategory(category), text


def _checked_exceptions(term: str, exceptions: Sequence[str]) -> list[str]:
    """Return the trimmed exceptions, or raise if one does not hold the term and more.

    Compared folded, as they are matched: 最後 is an exception of 最.
    """
    folded_term = fold_term(term)
    words = [word.strip() for word in exceptions if word.strip()]
    for word in words:
        if len(word) > MAX_EXCEPTION_LENGTH:
            message = _(
                "Each exception has at most %(count)d characters.", count=MAX_EXCEPTION_LENGTH
            )
            raise ServiceError(message, field="exceptions")
        folded = fold_term(word)
        if folded == folded_term:
            message = _("“%(word)s” is the term itself; switch the term off instead.", word=word)
            raise ServiceError(message, field="exceptions")
        if folded_term not in folded:
            message = _("“%(word)s” does not contain the term “%(term)s”.", word=word, term=term)
            raise ServiceError(message, field="exceptions")
    return words


def _duplicate(other: ComplianceTerm) -> ServiceError:
    if other.is_active:
        message = _("This term is already on the list as “%(term)s”.", term=other.term)
    else:
        message = _(
            "This term is on the list as “%(term)s” but switched off; switch it on instead.",
            term=other.term,
        )
    return ServiceError(message, field="term")


def _flush_unique() -> None:
    """Write the change; a duplicate saved meanwhile by someone else is a ServiceError."""
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise ServiceError(_("This term is already on the list."), field="term") from None
