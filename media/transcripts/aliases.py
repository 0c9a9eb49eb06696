"""Corrections teach the catalog: spot a misheard item name in a corrected text.

When a merchant corrects "非翠手镯" to "翡翠手镯", the original words that now read as an
item's name are a misheard form worth adding as an alias, so the next recording's hotwords
and matching catch it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

from flask_babel import gettext as _

from portal.audit.services import record_event
from portal.auth.models import User
from portal.catalog.models import Item
from portal.catalog.services import active_items
from portal.catalog.signals import catalog_changed
from portal.errors import ServiceError
from portal.extensions import db
from portal.punctuation import tidy_punctuation

MAX_ALIASES = 50


@dataclass(frozen=True)
class AliasOffer:
    """Offer to add ``misheard`` as an alias of ``item``."""

    item: Item
    misheard: str


def _original_spans(original: str, corrected: str) -> list[tuple[int, int] | None]:
    """For each character of ``corrected``, the stretch of ``original`` it kept or replaced.

    Inserted characters map to None. Original characters deleted between two mapped ones are
    not lost: a name's heard form is the whole original stretch its characters cover.
    """
    spans: list[tuple[int, int] | None] = [None] * len(corrected)
    matcher = SequenceMatcher(a=original, b=corrected, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for offset in range(j2 - j1):
                spans[j1 + offset] = (i1 + offset, i1 + offset + 1)
        elif tag == "replace":
            for j in range(j1, j2):
                spans[j] = (i1, i2)
    return spans


def misheard_forms(original: str, corrected: str, names: Iterable[str]) -> list[tuple[str, str]]:
    """Return (name, misheard) pairs: names the correction introduced, as they were heard."""
    original = unicodedata.normalize("NFKC", original)
    corrected = unicodedata.normalize("NFKC", corrected)
    if original == corrected:
        return []
    spans = _original_spans(original, corrected)
    found = []
    for name in dict.fromkeys(n for n in names if len(n) >= 2):
        start = corrected.find(name)
        while start != -1:
            covered = [span for span in spans[start : start + len(name)] if span is not None]
            heard = original[covered[0][0] : covered[-1][1]].strip() if covered else ""
            if heard and heard != name and name not in original and len(heard) <= 2 * len(name):
                found.append((name, heard))
                break
            start = corrected.find(name, start + 1)
    return found


def alias_offers_for(org_id: int, original: str, corrected: str) -> list[AliasOffer]:
    """Offers for one corrected text, against the organisation's active items."""
    return alias_offers_for_texts(org_id, [(original, corrected)])


def alias_offers_for_texts(org_id: int, texts: Iterable[tuple[str, str]]) -> list[AliasOffer]:
    """Offers for (original, corrected) texts, each (item, misheard) once; one catalog query."""
    tidied = (
        (tidy_punctuation(original), tidy_punctuation(corrected)) for original, corrected in texts
    )
    texts = [(original, corrected) for original, corrected in tidied if original != corrected]
    if not texts:
        return []
    by_name = {name: item for item in active_items(org_id) for name in item.spoken_names}
    offers: dict[tuple[int, str], AliasOffer] = {}
    for original, corrected in texts:
        for name, heard in misheard_forms(original, corrected, by_name):
            item = by_name[name]
            if heard not in item.spoken_names:
                offers.setdefault((item.id, heard), AliasOffer(item=item, misheard=heard))
    return list(offers.values())


def add_alias(item: Item, actor: User, alias: str) -> None:
    """Add a misheard form as an alias of ``item``."""
    alias = " ".join(alias.split())
    if not alias or len(alias) > 100:
        raise ServiceError(_("An alias needs 1 to 100 characters."))
    if alias in item.spoken_names:
        return
    if len(item.aliases) >= MAX_ALIASES:
        raise ServiceError(_("This item has too many aliases already."))
    item.aliases = [*item.aliases, alias]
    record_event(actor, "item.alias_learned", item, org_id=item.org_id, alias=alias)
    db.session.commit()
    catalog_changed.send(org_id=item.org_id)
