"""Signals other features listen to (notifications): practice sent, practice decided."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent with ``submission`` when a learner sent a practice video, before it is committed.
practice_submitted = _signals.signal("practice-submitted")

# Sent with ``submission`` and ``actor`` when a trainer decided (pass or try again, with
# feedback), before it is committed: receivers add rows to the same unit of work.
practice_decided = _signals.signal("practice-decided")
