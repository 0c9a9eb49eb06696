"""Run one job: claim it, keep its lease alive, call its handler, record the outcome."""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import import_module
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from portal.extensions import db
from portal.jobs import services
from portal.jobs.models import Job, JobState
from portal.jobs.queue import worker_identity

log = logging.getLogger(__name__)

# Each job kind and the function that does it: "module:function", called with a JobContext.
HANDLERS: dict[str, str] = {
    "recording.transcribe": "media.recordings.tasks:transcribe_recording",
    "recording.mentions": "media.clips.discovery:refresh_mentions_job",
    "clip.render": "media.clips.tasks:render_version",
}


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


class JobContext:
    """What a handler gets: its job, and ways to report steps and progress."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self._last_percent = -1

    def step(self, name: str) -> None:
        """Start a named step (shown to the user) at 0 %."""
        self._check_cancelled()
        services.report_progress(self.job, step=name)
        self._last_percent = 0

    def progress(self, fraction: float) -> None:
        """Report progress of the current step (0.0–1.0); raises if cancelled."""
        percent = round(max(0.0, min(1.0, fraction)) * 100)
        if percent != self._last_percent:
            self._check_cancelled()
            services.report_progress(self.job, progress=percent)
            self._last_percent = percent

    @contextmanager
    def workdir(self) -> Iterator[Path]:
        """Give the job a private folder under ``instance/tmp`` for its temporary files.

        The folder goes when the block ends, whatever happens. A worker killed mid-job cannot
        clean up, so the folders an earlier attempt of this job left go first.
        """
        root = Path(current_app.instance_path) / "tmp"
        root.mkdir(parents=True, exist_ok=True)
        for leftover in root.glob(f"job-{self.job.id}-*"):
            shutil.rmtree(leftover, ignore_errors=True)
        folder = Path(tempfile.mkdtemp(prefix=f"job-{self.job.id}-", dir=root))
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def _check_cancelled(self) -> None:
        if services.cancel_requested(self.job.id):
            raise JobCancelled


def load_handler(kind: str) -> Callable[[JobContext], None]:
    """Return the function that runs jobs of ``kind``."""
    module_name, function = HANDLERS[kind].split(":")
    return getattr(import_module(module_name), function)


class Heartbeat:
    """Renews a running job's lease from a background thread."""

    def __init__(self, app: Flask, job_id: int, worker_id: str) -> None:
        self.app, self.job_id, self.worker_id = app, job_id, worker_id
        self.interval_s = max(1.0, app.config["JOB_LEASE_S"] / 3)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"lease-{job_id}", daemon=True)

    def _beat(self) -> None:
        with self.app.app_context():
            while not self._stop.wait(self.interval_s):
                try:
                    services.renew_lease(self.job_id, self.worker_id)
                except SQLAlchemyError:
                    # Keep beating: one failed renewal must not let the lease lapse for good.
                    log.exception("job %s: lease renewal failed; retrying", self.job_id)
                    db.session.rollback()
            db.session.remove()

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def execute_job(job_id: int, worker_id: str) -> JobState | None:
    """Run job ``job_id`` if it can be claimed; return its new state (None if not claimed)."""
    if not services.claim_job(job_id, worker_id):
        log.info("job %s not claimable (done, running elsewhere or cancelled)", job_id)
        return None
    job = db.session.get(Job, job_id)
    assert job is not None
    db.session.refresh(job)
    app: Any = current_app._get_current_object()
    try:
        with Heartbeat(app, job_id, worker_id):
            load_handler(job.kind)(JobContext(job))
    except JobCancelled:
        db.session.rollback()
        services.finish_job(job, JobState.CANCELLED)
    except PermanentJobError as exc:
        db.session.rollback()
        services.finish_job(job, JobState.FAILED, exc.failure)
    except Exception as exc:
        log.exception("job %s (%s) failed", job_id, job.kind)
        db.session.rollback()
        crash = services.Failure(detail=f"{type(exc).__name__}: {exc}", internal=True)
        if job.attempts < job.max_attempts:
            services.requeue_job(job, crash)
        else:
            services.finish_job(job, JobState.FAILED, crash)
    else:
        services.finish_job(job, JobState.SUCCEEDED)
    return job.state


def run_queued_jobs(limit: int = 100) -> list[int]:
    """Run queued jobs in this process, oldest first (``--wait`` and tests); return their ids."""
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
