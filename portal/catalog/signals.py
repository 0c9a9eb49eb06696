"""Signals other features listen to: the catalog of an organisation changed."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent with ``org_id`` after items were created, edited, archived, restored or imported.
catalog_changed = _signals.signal("catalog-changed")
