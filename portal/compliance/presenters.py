"""Display helpers of the compliance check: translated category names."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from portal.compliance.matching import TermCategory

# Keyed by the plain value too: a StrEnum member and its string are the same key.
CATEGORY_LABELS: dict[str, LazyString] = {
    TermCategory.ABSOLUTE: _l("Absolute claims"),
    TermCategory.MEDICAL: _l("Medical or supernatural claims"),
    TermCategory.CONTACT: _l("Off-platform contact"),
    TermCategory.PRICE: _l("Misleading price claims"),
    TermCategory.AUTHENTICITY: _l("Authenticity and certificate claims"),
}


def category_label(category: str) -> str:
    """Return the translated name of a term category (the raw value if unknown)."""
    label = CATEGORY_LABELS.get(category)
    return str(label) if label is not None else category


def category_choices() -> list[tuple[str, LazyString]]:
    """Return the categories as select choices, in their fixed order."""
    return [(str(category), label) for category, label in CATEGORY_LABELS.items()]
