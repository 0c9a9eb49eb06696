"""Run one job: claim it, keep its lease alive, call its handler, record the outcome."""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from portal.extensions import db
from portal.jobs import services
from portal.jobs.kinds import Handler, job_kinds
from portal.jobs.models import Job, JobState
from portal.jobs.queue import worker_identity
from portal.jobs.scratch import job_scratch

log = logging.getLogger(__name__)


class JobCancelled(Exception):  # noqa: N818 - a signal, not an error
    """The job was cancelled by a user; stop and clean up."""


class PermanentJobError(Exception):
    """A failure that another attempt cannot fix (e.g. a rejected file).

    ``key`` is the message users read, untranslated (mark it with ``N_``), and ``args`` its
    named arguments: the job stores both and every reader sees the message in their own
    language. ``detail`` is technical text (ffmpeg's words, say) for administrators only.
    """

    def __init__(self, key: str, *, detail: str = "", **args: str | int | float) -> None:
        super().__init__(key)
        self.failure = services.Failure(key, args, detail)


class JobTimedOut(Exception):  # noqa: N818 - a signal, not an error
    """The attempt ran past its time limit; stop and clean up."""


class JobContext:
    """What a handler gets: its job, ways to report steps and progress, a time limit, scratch."""

    # Progress is written to the database at most this often (the pages poll every 2 s or so).
    progress_interval_s = 1.0

    def __init__(self, job: Job) -> None:
        self.job = job
        self.limit_s: float | None = None
        self.deadline: float | None = None  # time.monotonic() by which the attempt must end
        self._last_percent = -1  # as last written
        self._last_checked = -1  # the percentage last reported, when cancelling was checked
        self._last_written = -math.inf  # time.monotonic() of the last step or progress written

    def limit_time(self, seconds: float) -> None:
        """Give the attempt ``seconds`` from now; past that it is stopped, retried or failed.

        Pass ``time_left()`` as the timeout of every tool the handler runs (ffmpeg is killed
        when it passes); each step and progress report after the limit raises ``JobTimedOut``.
        An attempt still running a lease later is given up (see ``Heartbeat``).
        """
        self.limit_s = seconds
        self.deadline = time.monotonic() + seconds

    def time_left(self) -> float:
        """Return the seconds left before the time limit; raise ``JobTimedOut`` once it passed."""
        if self.deadline is None:
            raise RuntimeError("time_left() needs a limit_time() first")
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise JobTimedOut
        return left

    @property
    def is_overdue(self) -> bool:
        """Tell whether the attempt has run past its time limit."""
        return self.deadline is not None and time.monotonic() >= self.deadline

    def step(self, name: str) -> None:
        """Start a named step (shown to the user) at 0 %."""
        self._check_cancelled()
        self._check_time()
        services.report_progress(self.job, step=name)
        self._last_percent = self._last_checked = 0
        self._last_written = time.monotonic()

    def progress(self, fraction: float) -> None:
        """Report progress of the current step (0.0–1.0); raises if cancelled or overdue.

        Each new percentage checks for cancelling, but is written at most every
        ``progress_interval_s`` (100 % at once); one held back is written by the first report
        after that, so report again as the work goes on.
        """
        self._check_time()
        percent = round(max(0.0, min(1.0, fraction)) * 100)
        if percent == self._last_percent:
            return
        if percent != self._last_checked:
            self._check_cancelled()
            self._last_checked = percent
        now = time.monotonic()
        if percent < 100 and now - self._last_written < self.progress_interval_s:
            return
        services.report_progress(self.job, progress=percent)
        self._last_percent, self._last_written = percent, now

    @contextmanager
    def workdir(self) -> Iterator[Path]:
        """Give the job a private scratch folder, removed when the block ends.

        It lies on the media volume every worker shares (``portal.jobs.scratch``), so the next
        attempt, on any worker, removes what an attempt whose worker died left there.
        """
        with job_scratch(self.job.id) as folder:
            yield folder

    def _check_cancelled(self) -> None:
        if services.cancel_requested(self.job.id):
            raise JobCancelled

    def _check_time(self) -> None:
        if self.is_overdue:
            raise JobTimedOut


def load_handler(kind: str) -> Handler:
    """Return the function that runs jobs of ``kind``."""
    return job_kinds(current_app)[kind].run


class Heartbeat:
    """Renews a running attempt's lease from a background thread; gives up a stuck one.

    Past the time limit the handler's tools are killed by their timeouts and its next report
    raises (the recogniser's lanes stop after their current batch). A handler still running a
    lease (``JOB_LEASE_S``) later is stuck where Python cannot stop it (inside native code,
    say): the attempt is recorded as timed out and its lease no longer renewed, so the job is
    retried on any worker, or fails; the runner then records nothing when (if ever) the
    handler returns.
    """

    def __init__(self, app: Flask, ctx: JobContext, worker_id: str) -> None:
        self.app, self.ctx, self.worker_id = app, ctx, worker_id
        self.job_id = ctx.job.id  # the job row belongs to the handler's thread and session
        self.interval_s = max(1.0, app.config["JOB_LEASE_S"] / 3)
        self.grace_s = float(app.config["JOB_LEASE_S"])
        self.gave_up = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"lease-{self.job_id}", daemon=True)

    def _beat(self) -> None:
        with self.app.app_context():
            while not self.gave_up and not self._stop.wait(self.interval_s):
                try:
                    self._beat_once()
                except SQLAlchemyError:
                    # Keep beating: one failed renewal must not let the lease lapse for good.
                    log.exception("job %s: lease renewal failed; retrying", self.job_id)
                    db.session.rollback()
            db.session.remove()

    def _beat_once(self) -> None:
        job_id, deadline = self.job_id, self.ctx.deadline
        if deadline is None or time.monotonic() < deadline + self.grace_s:
            services.renew_lease(job_id, self.worker_id)
            return
        assert self.ctx.limit_s is not None
        # Whether or not the job was still ours, the handler's end must not be recorded.
        services.give_up_attempt(job_id, self.worker_id, self.ctx.limit_s)
        log.error(
            "job %s: still running %.0f s past its time limit of %.0f s; attempt given up, "
            "its thread (%s) is left behind: restart this worker to free it",
            job_id,
            time.monotonic() - deadline,
            self.ctx.limit_s,
            self.worker_id,
        )
        self.gave_up = True

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _detail_of(exc: Exception) -> str:
    """Return what went wrong, for administrators (a permanent error's own details first)."""
    if isinstance(exc, PermanentJobError) and exc.failure.detail:
        return exc.failure.detail
    return f"{type(exc).__name__}: {exc}".rstrip(": ")


def _record_failure(ctx: JobContext, exc: Exception) -> None:
    """Record how an attempt that raised ``exc`` ended: cancelled, retried or failed."""
    job = ctx.job
    if isinstance(exc, JobCancelled):
        services.finish_job(job, JobState.CANCELLED)
    elif ctx.is_overdue:
        assert ctx.limit_s is not None
        detail = _detail_of(exc)
        log.warning("job %s (%s) stopped at its time limit: %s", job.id, job.kind, detail)
        services.retry_or_fail(job, services.time_limit_failure(job, ctx.limit_s, detail))
    elif isinstance(exc, PermanentJobError):
        services.finish_job(job, JobState.FAILED, exc.failure)
    else:
        log.error("job %s (%s) failed", job.id, job.kind, exc_info=exc)
        crash = services.Failure(detail=_detail_of(exc), internal=True)
        services.retry_or_fail(job, crash)


def execute_job(job_id: int, worker_id: str) -> JobState | None:
    """Run job ``job_id`` if it can be claimed; return its new state (None if not claimed)."""
    if not services.claim_job(job_id, worker_id):
        log.info("job %s not claimable (done, running elsewhere or cancelled)", job_id)
        return None
    job = db.session.get(Job, job_id)
    assert job is not None
    db.session.refresh(job)
    ctx = JobContext(job)
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    heartbeat = Heartbeat(app, ctx, worker_id)
    try:
        with heartbeat:
            load_handler(job.kind)(ctx)
    except Exception as exc:
        db.session.rollback()
        if not heartbeat.gave_up:
            _record_failure(ctx, exc)
    else:
        if heartbeat.gave_up:  # the attempt was recorded as timed out meanwhile
            db.session.rollback()
        else:
            services.finish_job(job, JobState.SUCCEEDED)
    if heartbeat.gave_up:
        log.warning("job %s: the attempt given up at its time limit has ended", job_id)
    return job.state


def run_queued_jobs(limit: int = 100) -> list[int]:
    """Run queued jobs in this process, oldest first (benchmarks and tests); return their ids."""
    done = []
    for _ in range(limit):
        job_id = db.session.scalar(
            select(Job.id)
            .where(Job.state == JobState.QUEUED, Job.cancel_requested.is_(False))
            .order_by(Job.id)
            .limit(1)
        )
        if job_id is None:
            break
        execute_job(job_id, worker_identity())
        done.append(job_id)
    return done
