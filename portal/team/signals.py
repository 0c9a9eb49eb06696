"""Signals other features listen to about the team's live accounts."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent with ``account_id`` and ``org_id`` while a live account is deleted (before the commit):
# listeners forget the account in their rows, in the same unit of work.
live_account_deleted = _signals.signal("live-account-deleted")
