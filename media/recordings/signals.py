"""Signals other features listen to about recordings."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent with ``recording_id`` and ``org_id`` after a recording's item list changed (committed).
stream_items_changed = _signals.signal("stream-items-changed")
