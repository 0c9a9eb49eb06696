"""Signals other features listen to (notifications): a job failed for good."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent with ``job`` when it failed with no attempt left, before the failure is committed:
# receivers add rows to the same unit of work.
job_failed = _signals.signal("job-failed")
