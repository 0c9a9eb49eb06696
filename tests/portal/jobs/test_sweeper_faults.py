"""The sweeper thread outlives a database outage: it logs, backs off, and recovers the jobs of
dead workers once the database answers again.

The outage is real (``tests/support/databases.py``): on SQLite another connection holds the write
lock, on PostgreSQL the database refuses connections and its sessions are ended.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, update
from sqlalchemy.exc import DBAPIError

from portal.database import utcnow
from portal.extensions import db
from portal.jobs import services
from portal.jobs.models import Job, JobState
from portal.jobs.worker import Sweeper
from tests.portal.jobs import test_jobs
from tests.support import queues

# A queue of each test's own, flushed after it; the job helpers of the jobs tests.
extra_config = queues.extra_config
app_config = queues.app_config
flush_queue = queues.flush_queue
enqueue = test_jobs.enqueue
load = test_jobs.load


@pytest.fixture
def impatient_sqlite(app: Flask) -> None:
    """SQLite writers give up on a held lock after 50 ms, not 10 s, so an outage shows at once."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "sqlite":
        return

    def shorten(dbapi_connection: Any, _record: object) -> None:
        dbapi_connection.execute("PRAGMA busy_timeout=50")  # after the app's own pragmas

    event.listen(engine, "connect", shorten)
    engine.dispose()


def wait_until(condition: Callable[[], bool], what: str, timeout_s: float = 10) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def failed_rounds(caplog: pytest.LogCaptureFixture) -> list[float]:
    """The delays the sweeper announced after each failed round, in order."""
    return [r.args[0] for r in caplog.records if r.getMessage().startswith("sweeper: round failed")]


def step_errors(caplog: pytest.LogCaptureFixture) -> list[BaseException | None]:
    """The exceptions logged by failing sweeper steps."""
    return [r.exc_info[1] for r in caplog.records if r.exc_info and r.name == "portal.jobs.worker"]


def lose_worker(app: Flask, job_id: int, worker: str, lease_left_s: float) -> None:
    """Let ``worker`` claim the job and die: its lease runs out in ``lease_left_s``."""
    with app.app_context():
        services.claim_job(job_id, worker)
        db.session.execute(
            update(Job)
            .where(Job.id == job_id)
            .values(lease_expires_at=utcnow() + timedelta(seconds=lease_left_s))
        )
        db.session.commit()


def requeued_after(app: Flask, job_id: int, attempt: int) -> None:
    """Wait until the sweeper re-queued the job after its dead worker's ``attempt``."""
    wait_until(lambda: load(app, job_id).state == JobState.QUEUED, "the job to be re-queued")
    job = load(app, job_id)
    assert (job.attempts, job.lease_expires_at) == (attempt, None)


@pytest.mark.usefixtures("impatient_sqlite")
def test_sweeper_survives_a_database_outage_and_then_requeues_a_dead_workers_job(
    app, databases, enqueue, caplog
):
    caplog.set_level(logging.WARNING, logger="portal.jobs.worker")
    job_id = enqueue("test.succeeds")
    lose_worker(app, job_id, "dead-worker", lease_left_s=-5)
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    sweeper = Sweeper(app, interval_s=0.1, max_delay_s=0.4)
    try:
        with databases.unavailable(url):
            sweeper.start()
            wait_until(lambda: len(failed_rounds(caplog)) >= 4 or not sweeper.is_alive(), "rounds")
            assert sweeper.is_alive(), "the sweeper thread died on a database error"
        # While rounds fail, the wait doubles from the interval up to the cap.
        assert failed_rounds(caplog)[:4] == [0.2, 0.4, 0.4, 0.4]
        errors = step_errors(caplog)  # logged with the database's own error, none unforeseen
        assert errors
        assert all(isinstance(error, DBAPIError) for error in errors)
        requeued_after(app, job_id, attempt=1)

        # A round that succeeded resets the wait: the next outage starts again from the start.
        lose_worker(app, job_id, "another-dead-worker", lease_left_s=0.8)
        seen = len(failed_rounds(caplog))
        with databases.unavailable(url):
            wait_until(lambda: len(failed_rounds(caplog)) > seen, "a failed round")
        assert failed_rounds(caplog)[seen] == 0.2
        requeued_after(app, job_id, attempt=2)
        assert sweeper.is_alive()
    finally:
        sweeper.stopped.set()
        sweeper.join(timeout=10)
