"""The ``Job`` model: one unit of background work and its visible progress."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.database import TimestampMixin, UTCDateTime
from portal.extensions import db


class JobState(StrEnum):
    """Where a job is in its life."""

    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


ACTIVE_STATES = frozenset({JobState.QUEUED, JobState.RUNNING})


class Job(TimestampMixin, db.Model):
    """A background job about one subject row (e.g. a recording to transcribe)."""

    __table_args__ = (Index("ix_job_subject", "subject_type", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    subject_type: Mapped[str] = mapped_column(String(64))
    subject_id: Mapped[int]
    org_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    state: Mapped[JobState] = mapped_column(String(20), default=JobState.QUEUED, index=True)
    step: Mapped[str] = mapped_column(String(64), default="")
    progress: Mapped[int] = mapped_column(default=0)
    attempts: Mapped[int] = mapped_column(default=0)
    max_attempts: Mapped[int] = mapped_column(default=3)
    # Why it failed: users read ``error_key`` (an untranslated msgid) formatted with
    # ``error_args``, in their own language; ``error`` holds technical details for
    # administrators (rows from before error_key held the message itself there).
    error_key: Mapped[str] = mapped_column(Text, default="")
    error_args: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    error: Mapped[str] = mapped_column(Text, default="")
    error_is_internal: Mapped[bool] = mapped_column(default=False)
    worker_id: Mapped[str] = mapped_column(String(100), default="")
    cancel_requested: Mapped[bool] = mapped_column(default=False)
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    step_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_active(self) -> bool:
        """Tell whether the job is still queued or running."""
        return self.state in ACTIVE_STATES
