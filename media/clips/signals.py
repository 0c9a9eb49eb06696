"""Signals other features listen to (search indexing): a clip's content or state changed."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent with ``clip_id`` and ``org_id`` after a clip was created, edited (title, description,
# items, range, subtitle lines) or moved to another state (published, unpublished, archived...).
clip_changed = _signals.signal("clip-changed")
