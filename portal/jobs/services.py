"""Job lifecycle: enqueue, claim with a lease, report progress, finish, cancel, retry, sweep."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import or_, select, update

from portal.audit.services import record_event
from portal.database import utcnow
from portal.errors import ConflictError
from portal.extensions import db
from portal.i18n import N_
from portal.jobs.models import ACTIVE_STATES, Job, JobState
from portal.jobs.queue import deliver
from portal.jobs.signals import job_failed


@dataclass(frozen=True)
class Failure:
    """Why an attempt failed, kept untranslated so each reader sees it in their own language.

    ``key`` is a msgid (marked with ``N_``) and ``args`` its named arguments; ``detail`` is
    technical text for administrators. An ``internal`` failure shows merchants a generic
    message instead.
    """

    key: str = ""
    args: Mapping[str, str | int | float] = field(default_factory=dict)
    detail: str = ""
    internal: bool = False


def _record_failure(job: Job, failure: Failure | None) -> None:
    failure = failure or Failure()
    job.error_key, job.error_args = failure.key, dict(failure.args)
    job.error, job.error_is_internal = failure.detail, failure.internal


def _lease_deadline() -> Any:
    return utcnow() + timedelta(seconds=current_app.config["JOB_LEASE_S"])


def enqueue_job(kind: str, subject: Any, *, org_id: int | None, actor: Any = None) -> Job:
    """Create a queued job about ``subject``, commit, and hand it to the queue."""
    job = Job(
        kind=kind,
        subject_type=type(subject).__name__,
        subject_id=subject.id,
        org_id=org_id,
        max_attempts=current_app.config["JOB_MAX_ATTEMPTS"],
    )
    db.session.add(job)
    record_event(actor, "job.queued", job, org_id=org_id, kind=kind)
    db.session.commit()
    deliver(job.id)
    return job


def jobs_about(subject: Any) -> list[Job]:
    """Return every job about ``subject`` (of any kind), oldest first."""
    return list(
        db.session.scalars(
            select(Job)
            .where(Job.subject_type == type(subject).__name__, Job.subject_id == subject.id)
            .order_by(Job.id)
        )
    )


def latest_job(kind: str, subject: Any) -> Job | None:
    """Return the newest job of ``kind`` about ``subject``."""
    return db.session.scalar(
        select(Job)
        .where(
            Job.kind == kind,
            Job.subject_type == type(subject).__name__,
            Job.subject_id == subject.id,
        )
        .order_by(Job.id.desc())
        .limit(1)
    )


def claim_job(job_id: int, worker_id: str) -> bool:
    """Atomically take a queued job (or one whose lease expired); False if someone has it."""
    now = utcnow()
    claimable = or_(
        Job.state == JobState.QUEUED,
        (Job.state == JobState.RUNNING) & (Job.lease_expires_at < now),
    )
    result = db.session.execute(
        update(Job)
        .where(Job.id == job_id, claimable, Job.cancel_requested.is_(False))
        .values(
            state=JobState.RUNNING,
            attempts=Job.attempts + 1,
            worker_id=worker_id,
            lease_expires_at=_lease_deadline(),
            started_at=now,
            step_started_at=now,
            error="",
            error_key="",
            error_args={},
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def renew_lease(job_id: int, worker_id: str) -> bool:
    """Extend a running job's lease; False if the job is no longer this worker's."""
    result = db.session.execute(
        update(Job)
        .where(Job.id == job_id, Job.worker_id == worker_id, Job.state == JobState.RUNNING)
        .values(lease_expires_at=_lease_deadline())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def report_progress(job: Job, *, step: str | None = None, progress: float | None = None) -> None:
    """Save the job's current step and percentage (and renew its lease)."""
    if step is not None and step != job.step:
        job.step = step
        job.step_started_at = utcnow()
        job.progress = 0
    if progress is not None:
        job.progress = max(0, min(100, round(progress)))
    job.lease_expires_at = _lease_deadline()
    db.session.commit()


def cancel_requested(job_id: int) -> bool:
    """Tell whether someone asked to cancel the job (read fresh from the database)."""
    return bool(db.session.scalar(select(Job.cancel_requested).where(Job.id == job_id)))


def finish_job(job: Job, state: JobState, failure: Failure | None = None) -> None:
    """Record the job's end, and why it failed if it did."""
    job.state = state
    _record_failure(job, failure)
    job.finished_at = utcnow()
    job.lease_expires_at = None
    if state == JobState.SUCCEEDED:
        job.progress = 100
    elif state == JobState.FAILED:
        job_failed.send(job=job)
    db.session.commit()


def requeue_job(job: Job, failure: Failure) -> None:
    """Put a failed attempt back in the queue; a job asked to stop ends cancelled instead."""
    if job.cancel_requested:
        # Queued with the flag set, no worker could ever claim it again.
        finish_job(job, JobState.CANCELLED, failure)
        return
    job.state = JobState.QUEUED
    _record_failure(job, failure)
    job.lease_expires_at = None
    db.session.commit()
    deliver(job.id)


def retry_or_fail(job: Job, failure: Failure) -> None:
    """Re-queue a failed attempt, or fail the job once it has used all its attempts."""
    if job.attempts >= job.max_attempts:
        finish_job(job, JobState.FAILED, failure)
    else:
        requeue_job(job, failure)


def time_limit_failure(job: Job, limit_s: float, detail: str = "") -> Failure:
    """Say that the job's attempt ran past its time limit of ``limit_s`` and was stopped."""
    whole = math.ceil(limit_s)
    limit = f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"
    return Failure(
        N_(
            "The job ran longer than its time limit of %(limit)s and was stopped "
            "(attempt %(n)s of %(max)s)."
        ),
        {"limit": limit, "n": job.attempts, "max": job.max_attempts},
        detail,
    )


def give_up_attempt(job_id: int, worker_id: str, limit_s: float) -> None:
    """End a stuck attempt past its time limit: re-queue or fail the job, if still this worker's.

    For an attempt whose handler cannot stop itself (stuck inside native code). A job that is
    no longer this worker's running attempt (the sweeper took a lapsed lease) is left alone.
    """
    job = db.session.scalar(
        select(Job).where(
            Job.id == job_id, Job.worker_id == worker_id, Job.state == JobState.RUNNING
        )
    )
    if job is not None:
        detail = f"the attempt on {worker_id} did not stop at its time limit; it was given up"
        retry_or_fail(job, time_limit_failure(job, limit_s, detail))


def cancel_job(job: Job, actor: Any) -> None:
    """Cancel a queued job at once, or ask a running one to stop."""
    if job.state not in ACTIVE_STATES:
        raise ConflictError(_("Only a queued or running job can be cancelled."))
    job.cancel_requested = True
    if job.state == JobState.QUEUED:
        job.state = JobState.CANCELLED
        job.finished_at = utcnow()
    record_event(actor, "job.cancel_requested", job, org_id=job.org_id)
    db.session.commit()


def retry_job(job: Job, actor: Any) -> None:
    """Run a failed or cancelled job again from the start."""
    if job.state in ACTIVE_STATES or job.state == JobState.SUCCEEDED:
        raise ConflictError(_("Only a failed or cancelled job can be retried."))
    job.state = JobState.QUEUED
    job.attempts = 0
    _record_failure(job, None)
    job.cancel_requested = False
    job.progress = 0
    job.step = ""
    job.finished_at = None
    record_event(actor, "job.retried", job, org_id=job.org_id)
    db.session.commit()
    deliver(job.id)


def sweep_expired_leases() -> list[int]:
    """Re-queue running jobs whose worker stopped renewing; fail those out of attempts."""
    expired = db.session.scalars(
        select(Job).where(Job.state == JobState.RUNNING, Job.lease_expires_at < utcnow())
    ).all()
    for job in expired:
        lost = Failure(
            N_("The worker stopped while running this job (attempt %(n)s of %(max)s)."),
            {"n": job.attempts, "max": job.max_attempts},
        )
        retry_or_fail(job, lost)
    return [job.id for job in expired]


def redeliver_stale_queued(older_than_s: int = 600) -> list[int]:
    """Hand queued jobs that waited too long to the queue again (a lost delivery)."""
    cutoff = utcnow() - timedelta(seconds=older_than_s)
    stale = db.session.scalars(
        select(Job.id).where(Job.state == JobState.QUEUED, Job.updated_at < cutoff)
    ).all()
    if stale:
        # Restart each job's wait, so the next sweeps do not pile up more copies.
        db.session.execute(
            update(Job)
            .where(Job.id.in_(stale), Job.state == JobState.QUEUED)
            .values(updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
    for job_id in stale:
        deliver(job_id)
    return list(stale)


def list_jobs(state: str | None, page: int) -> Any:
    """Return one page of jobs, newest first (admin jobs page)."""
    statement = select(Job).order_by(Job.id.desc())
    if state:
        statement = statement.where(Job.state == state)
    return db.paginate(statement, page=page, per_page=50, error_out=False)
