"""The ``flask worker`` command: a Huey consumer plus a sweeper for lost, expired and stale work."""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterable
from datetime import datetime

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from huey.consumer import Consumer
from redis.exceptions import RedisError
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from portal.database import utcnow
from portal.extensions import db
from portal.jobs import services
from portal.jobs.queue import queue_of
from portal.jobs.scratch import sweep_scratch

log = logging.getLogger(__name__)

_PERIODIC = "periodic-tasks"

# What a round meets while something it needs is briefly unavailable; the next round retries.
UNAVAILABLE: tuple[type[Exception], ...] = (
    DBAPIError,  # the database: locked, read-only, restarting, connection dropped
    PoolTimeoutError,  # every pooled database connection stayed busy
    sqlite3.Error,  # Huey's SQLite queue file (re-queued jobs are delivered): locked, read-only
    RedisError,  # Huey's Redis queue: unreachable, timing out
    OSError,  # the media volume (expired uploads' files): unmounted, read-only
)

# While rounds fail, the wait between them doubles from the sweep interval up to this.
MAX_BACKOFF_S = 300.0

Step = tuple[str, Callable[[], object]]
PeriodicTask = Callable[[datetime], object]


def _requeue_lost_jobs() -> None:
    requeued = services.sweep_expired_leases()
    if requeued:
        log.info("sweeper: re-queued %s", requeued)


def _redeliver_lost_messages() -> None:
    redelivered = services.redeliver_stale_queued()
    if redelivered:
        log.info("sweeper: redelivered %s", redelivered)


def _remove_stale_scratch() -> None:
    removed = sweep_scratch()
    if removed:
        log.info("sweeper: removed scratch %s", [path.name for path in removed])


def _steps() -> list[Step]:
    steps: list[Step] = [
        ("re-queue", _requeue_lost_jobs),
        ("redeliver", _redeliver_lost_messages),
        ("scratch", _remove_stale_scratch),
    ]
    for task in current_app.extensions.get(_PERIODIC, []):
        name = f"{task.__module__}:{task.__name__}"
        steps.append((name, lambda task=task: task(utcnow())))
    return steps


def add_periodic_tasks(app: Flask, tasks: Iterable[PeriodicTask]) -> None:
    """Let ``app``'s sweeper run ``tasks`` (housekeeping, given the current time) every round."""
    app.extensions.setdefault(_PERIODIC, []).extend(tasks)


def _run_step(name: str, step: Callable[[], object]) -> bool:
    """Run one step in a session of its own; False (logged) if something was unavailable."""
    try:
        step()
    except UNAVAILABLE:
        log.warning("sweeper: %s failed", name, exc_info=True)
        return False
    finally:
        # Drops a failed transaction too (its rollback cannot raise: the pool logs errors).
        db.session.remove()
    return True


def sweep_once() -> bool:
    """Re-queue jobs of dead workers, redeliver lost messages, remove stale scratch, housekeep.

    A step whose database, queue or files are unavailable is logged and the others still run;
    return True when every step succeeded.
    """
    results = [_run_step(name, step) for name, step in _steps()]  # each step, whatever failed
    return all(results)


class Sweeper(threading.Thread):
    """Runs ``sweep_once`` every ``interval_s`` until stopped, backing off while it fails."""

    def __init__(self, app: Flask, interval_s: float, max_delay_s: float = MAX_BACKOFF_S) -> None:
        super().__init__(name="sweeper", daemon=True)
        self.app, self.interval_s = app, interval_s
        self.max_delay_s = max(interval_s, max_delay_s)
        self.stopped = threading.Event()

    def run(self) -> None:
        """Sweep until stopped; after a failed round wait twice as long (up to the cap)."""
        delay = self.interval_s
        while not self.stopped.wait(delay):
            if self._round():
                delay = self.interval_s
            else:
                delay = min(delay * 2, self.max_delay_s)
                log.warning("sweeper: round failed; next round in %s s", delay)

    def _round(self) -> bool:
        with self.app.app_context():
            try:
                return sweep_once()
            except Exception:
                # Deliberately broad: this daemon thread alone recovers dead workers' jobs and
                # removes expired uploads, and if it ended the consumer would run on with no
                # sign of it while jobs stay "running". An error not foreseen in UNAVAILABLE
                # (a bug) is logged with its traceback and retried with the same backoff.
                log.exception("sweeper: unexpected error")
                db.session.remove()
                return False


@click.command("worker")
@click.option("--threads", type=int, help="Jobs run at once (default: BELTCAST_WORKER_THREADS).")
@with_appcontext
def worker_command(threads: int | None) -> None:
    """Run background jobs until stopped (Ctrl-C)."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    with app.app_context():
        sweep_once()
    sweeper = Sweeper(app, app.config["JOB_SWEEP_S"])
    sweeper.start()
    consumer = Consumer(
        queue_of(app).huey,
        workers=threads or app.config["WORKER_THREADS"],
        worker_type="thread",
        check_worker_health=True,
    )
    click.echo(f"worker started ({consumer.workers} thread(s)); Ctrl-C stops it")
    try:
        consumer.run()
    finally:
        sweeper.stopped.set()
