"""Signals other features listen to: a clip's content or state changed (search indexing), a clip
moved from one state to another (notifications), a version's render finished (QA checks)."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent with ``clip_id`` and ``org_id`` after a clip was created, edited (title, description,
# items, range, subtitle lines) or moved to another state (published, unpublished, archived...).
clip_changed = _signals.signal("clip-changed")

# Sent with ``clip``, ``source``, ``target`` (ClipState) and ``actor`` (None: the system) when a
# clip moved, before the move is committed: receivers add rows to the same unit of work.
clip_moved = _signals.signal("clip-moved")

# Sent with the version (sender), ``clip``, ``video`` (the rendered file's Path), ``ffmpeg_bin``
# and ``timeout_s`` (seconds left) when a render finished, before the version is marked rendered:
# receivers keep what they find in the same unit of work.
render_finished = _signals.signal("clip-render-finished")
