"""Glossary services: the base-wide list of jade-trade terms, edited by administrators.

Active terms are corrected in transcripts like catalog names (``media.transcripts.corrections``)
and are good recognition hints (``glossary_terms``).
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from media.glossary.models import GlossaryTerm
from media.mentions.normalise import WIDE, normalise
from portal import term_lists
from portal.audit.services import record_event
from portal.auth.models import User
from portal.errors import ServiceError
from portal.extensions import db

MAX_TERM_CHARS = 100


def list_terms() -> list[GlossaryTerm]:
    """Return every term, active or not, Chinese first, then by term."""
    statement = select(GlossaryTerm).order_by(GlossaryTerm.language.desc(), GlossaryTerm.term)
    return list(db.session.scalars(statement))


def get_term_or_404(term_id: int) -> GlossaryTerm:
    """Load one term (the glossary is base-wide); a missing one answers 404."""
    return db.get_or_404(GlossaryTerm, term_id)


def active_terms() -> list[GlossaryTerm]:
    """Return the terms in use, oldest first."""
    statement = select(GlossaryTerm).where(GlossaryTerm.is_active).order_by(GlossaryTerm.id)
    return list(db.session.scalars(statement))


def glossary_terms(language: str | None) -> list[str]:
    """Return the active terms of ``language`` (``zh`` or ``en``; None or ``auto``: all)."""
    wanted = None if language in (None, "auto") else language
    return [row.term for row in active_terms() if wanted is None or row.language == wanted]


def term_language(term: str) -> str:
    """Return ``zh`` for a term holding a Chinese (wide) character, else ``en``."""
    return "zh" if WIDE.search(term) else "en"


def add_term(actor: User, *, term: str, note: str) -> GlossaryTerm:
    """Put a new term in the glossary."""
    text = _checked(None, term)
    row = GlossaryTerm(term=text, language=term_language(text), note=note.strip(), is_active=True)
    db.session.add(row)
    _flush_unique()
    record_event(actor, "glossary_term.added", row, term=text)
    db.session.commit()
    return row


def edit_term(actor: User, row: GlossaryTerm, *, term: str, note: str) -> GlossaryTerm:
    """Change a term's spelling or note."""
    text = _checked(row, term)
    before = row.term
    row.term, row.language, row.note = text, term_language(text), note.strip()
    _flush_unique()
    record_event(actor, "glossary_term.changed", row, before=before, term=text)
    db.session.commit()
    return row


def set_term_active(actor: User, row: GlossaryTerm, is_active: bool) -> GlossaryTerm:
    """Switch a term off or on again."""
    return term_lists.set_term_active(actor, row, is_active, audit_prefix="glossary_term")


def _checked(row: GlossaryTerm | None, term: str) -> str:
    """Return the trimmed term, or raise if it is unusable or already in the glossary."""
    text, folded = " ".join(term.split()), normalise(term)
    if len(folded) < 2:
        raise ServiceError(_("Enter at least two letters or characters."), field="term")
    if len(text) > MAX_TERM_CHARS:
        raise ServiceError(_("A term has at most 100 characters."), field="term")
    for other in db.session.scalars(select(GlossaryTerm)):
        if other is not row and normalise(other.term) == folded:
            raise ServiceError(
                _("This term is already in the glossary as “%(term)s”.", term=other.term),
                field="term",
            )
    return text


def _flush_unique() -> None:
    """Write the change; a duplicate saved meanwhile by someone else is a ServiceError."""
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise ServiceError(_("This term is already in the glossary."), field="term") from None
