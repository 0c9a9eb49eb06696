"""Display helpers of the compliance check: translated category names and where a hit stands."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from portal.claims.matching import Hit, TermCategory

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


SOURCE_LABELS: dict[str, LazyString] = {
    "title": _l("title"),
    "hook": _l("hook line"),
    "description": _l("description"),
    "key_fact": _l("key fact"),
    "post": _l("post hashtags"),
    "card": _l("knowledge card"),
    "alias": _l("item aliases (public search)"),
}
SPOKEN_LABELS: dict[str, LazyString] = {
    "hidden": _l("spoken, subtitle hidden"),
    "unshown": _l("spoken, not in the subtitle"),
}


def hit_source_label(hit: Hit) -> str:
    """Say where a hit stands when it is not a subtitle line ("" for subtitles)."""
    label = SPOKEN_LABELS.get(hit.note) if hit.source == "spoken" else SOURCE_LABELS.get(hit.source)
    return f"({label})" if label is not None else ""
