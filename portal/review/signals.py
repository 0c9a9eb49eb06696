"""Signals other features listen to (notifications): a clip moved from one state to another."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent with ``clip``, ``source``, ``target`` (ClipState) and ``actor`` (None: the system) when a
# clip moved, before the move is committed: receivers add rows to the same unit of work.
clip_moved = _signals.signal("clip-moved")
