"""Signals other features listen to: the catalog of an organisation changed, an item was
archived or its certificate changed (publishing sends such items' clips back to review)."""

from __future__ import annotations

from blinker import Namespace

from portal.catalog.models import Item

_signals = Namespace()

# Sent with ``org_id`` after items were created, edited, archived, restored or imported.
catalog_changed = _signals.signal("catalog-changed")

# Sent with ``item`` after an item was archived (by hand or by an import), once committed.
item_archived = _signals.signal("item-archived")

# Sent with ``item`` after a live item's certificate (lab, number or grade) changed, committed.
item_certificate_changed = _signals.signal("item-certificate-changed")

# Sent with ``item_ids`` before an import archives those items or changes their certificates;
# each receiver returns how many published or approved clips that would send back to review.
recalls_counted = _signals.signal("recalls-counted")


def certificate_of(item: Item) -> tuple[str, str, str]:
    """Return an item's certificate fields (lab, number, grade): what makes it change."""
    return (item.cert_lab, item.cert_number, item.cert_grade)
