"""The banned terms the checks look for now."""

from __future__ import annotations

from sqlalchemy import select

from portal.claims.matching import Term
from portal.claims.models import ComplianceTerm
from portal.extensions import db


def active_terms() -> list[Term]:
    """Return the terms the check looks for."""
    statement = select(ComplianceTerm).where(ComplianceTerm.is_active).order_by(ComplianceTerm.id)
    return [
        Term(row.id, row.category, row.term, tuple(row.exceptions))
        for row in db.session.scalars(statement)
    ]
