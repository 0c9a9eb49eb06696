"""Signals other features listen to (search indexing): course content changed."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent with ``course_id`` after a course, its modules or lessons were created, edited,
# reordered, deleted, published or unpublished, or a lesson's captions were corrected.
course_changed = _signals.signal("course-changed")
