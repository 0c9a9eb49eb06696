"""Signals other features listen to (notifications): a trainer decided on an application."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent with ``org``, ``application`` and ``actor`` once the decision is set, before it is
# committed: receivers add rows to the same unit of work.
application_decided = _signals.signal("application-decided")
