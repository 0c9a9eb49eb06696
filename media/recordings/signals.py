"""Signals other features listen to about recordings."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent with ``recording_id`` and ``org_id`` after a recording's item list changed (committed).
stream_items_changed = _signals.signal("stream-items-changed")

# Sent with ``recording_id`` and ``org_id`` when the ``recording.names`` job, run for a list
# change, changed no sentence (committed): what reads the list (the clip workshop's mentions)
# is brought up to date now. When it changed sentences, ``transcript_edited`` says so instead:
# one of the two per list change, after the names are as the list has them.
names_unchanged = _signals.signal("names-unchanged")

# Sent with the recording as sender to ask what was found of its items in the transcript: each
# receiver answers a list whose entries carry an ``item`` (the clip workshop: its item lanes,
# most mentioned first). The recording page offers them as the stream's list when it is empty.
items_found = _signals.signal("items-found")

# Sent with ``recording`` once its transcript is saved by the transcription job (same session):
# the clip workshop finds the items mentioned in it.
recording_transcribed = _signals.signal("recording-transcribed")

# Sent with ``recording`` before a recording is deleted: a receiver that needs it kept raises
# ``ConflictError`` saying why (the clip workshop, when clips were cut from it).
recording_deleting = _signals.signal("recording-deleting")
