"""Signals other features listen to: a transcript's text changed, or it is gone."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent with ``recording_id`` and ``org_id`` after a sentence was corrected.
transcript_edited = _signals.signal("transcript-edited")

# Sent with ``recording_id`` and ``org_id`` after a recognition result was stored.
transcript_saved = _signals.signal("transcript-saved")

# Sent with ``recording_id`` and ``org_id`` after a recording's transcript was deleted (in the
# same transaction, before the recording's own row goes).
transcript_deleted = _signals.signal("transcript-deleted")
