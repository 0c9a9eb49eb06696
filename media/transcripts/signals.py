"""Signals other features listen to: a transcript's text changed."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent with ``recording_id`` and ``org_id`` after a sentence was corrected.
transcript_edited = _signals.signal("transcript-edited")

# Sent with ``recording_id`` and ``org_id`` after a recognition result was stored.
transcript_saved = _signals.signal("transcript-saved")
