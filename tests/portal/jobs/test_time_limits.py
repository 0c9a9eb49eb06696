"""Job time limits and scratch folders: an attempt past its limit is stopped, retried or failed
with the time-limit message; a stuck one is given up; scratch of dead attempts goes.

Test-only job kinds are added to ``job_kinds(app)``; the runner, the services, the sweeper and
the scratch folders are the real ones, on the real database and media root.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from portal.jobs import services
from portal.jobs.kinds import JobKind, job_kinds
from portal.jobs.models import JobState
from portal.jobs.runner import JobContext, execute_job, run_queued_jobs
from portal.jobs.scratch import scratch_root
from portal.jobs.worker import sweep_once
from tests.portal.jobs import test_jobs
from tests.support import queues

LIMIT_MESSAGE = (
    "The job ran longer than its time limit of %(limit)s and was stopped "
    "(attempt %(n)s of %(max)s)."
)

# What the handlers saw, and the event a stuck handler waits for.
seen: dict[str, Any] = {}
release = threading.Event()


def reports_forever(ctx: JobContext) -> None:
    """Write scratch and report progress for up to 20 s, well past a 0.3 s limit."""
    ctx.limit_time(0.3)
    ctx.step("working")
    with ctx.workdir() as folder:
        (folder / "audio.wav").write_bytes(b"\0" * 1024)
        for step in range(1000):
            ctx.progress(step / 1000)
            time.sleep(0.02)
    seen["finished"] = True


def stuck_once(ctx: JobContext) -> None:
    """First attempt: past a 0.2 s limit, wait without reporting (a stuck native call)."""
    seen["attempts"] = seen.get("attempts", 0) + 1
    ctx.limit_time(0.2)
    ctx.step("working")
    if seen["attempts"] == 1:
        release.wait(30)
        seen["late_return"] = True


def lists_scratch(ctx: JobContext) -> None:
    """Record which folders of this job exist while it works in its own."""
    with ctx.workdir() as folder:
        seen["folders"] = sorted(p.name for p in scratch_root().glob(f"job-{ctx.job.id}-*"))
        seen["own"] = folder.name
        (folder / "part.mp4").write_bytes(b"x")
        if seen.get("fail"):
            raise OSError("disk full")


TEST_KINDS = {
    "test.reports_forever": "reports_forever",
    "test.stuck_once": "stuck_once",
    "test.lists_scratch": "lists_scratch",
}


@pytest.fixture(autouse=True)
def test_handlers(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    seen.clear()
    release.clear()
    for kind, function in TEST_KINDS.items():
        monkeypatch.setitem(job_kinds(app), kind, JobKind(kind, globals()[function], kind))


# A queue of each test's own, flushed after it; the job helpers of the jobs tests.
extra_config = queues.extra_config
app_config = queues.app_config
flush_queue = queues.flush_queue
enqueue = test_jobs.enqueue
load = test_jobs.load


def wait_for(condition: Callable[[], bool], timeout_s: float = 10) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)


def scratch_of(app: Flask) -> list[Path]:
    with app.app_context():
        root = scratch_root()
        return sorted(root.iterdir()) if root.exists() else []


def dead_attempt_folder(app: Flask, job_id: int) -> Path:
    """A scratch folder as another worker leaves it when it dies mid-job."""
    with app.app_context():
        folder = scratch_root() / f"job-{job_id}-w2dead1"
    folder.mkdir(parents=True)
    (folder / "audio.wav").write_bytes(b"\0" * 4096)
    return folder


def test_job_past_its_limit_is_stopped_retried_then_failed_with_the_message(app, enqueue):
    job_id = enqueue("test.reports_forever")
    with app.app_context():
        started = time.monotonic()
        assert execute_job(job_id, "w1") == JobState.QUEUED
        assert time.monotonic() - started < 3
    job = load(app, job_id)
    assert job.error_key == LIMIT_MESSAGE
    assert job.error_args == {"limit": "0:00:01", "n": 1, "max": 3}
    assert "JobTimedOut" in job.error
    assert not job.error_is_internal
    assert scratch_of(app) == []  # the stopped attempt's audio went with it

    with app.app_context():
        run_queued_jobs()
    job = load(app, job_id)
    assert (job.state, job.attempts) == (JobState.FAILED, 3)
    assert job.error_args == {"limit": "0:00:01", "n": 3, "max": 3}
    assert "finished" not in seen
    assert scratch_of(app) == []


def test_admin_reads_the_time_limit_message(app, enqueue, client_as, admin):
    job_id = enqueue("test.reports_forever")
    with app.app_context():
        run_queued_jobs()
    assert load(app, job_id).state == JobState.FAILED
    html = client_as(admin).get("/admin/jobs/").get_data(as_text=True)
    assert "ran longer than its time limit of 0:00:01 and was stopped (attempt 3 of 3)" in html


@pytest.mark.parametrize("extra_config", [{"JOB_LEASE_S": 3}])  # given up 3-4 s past the limit
def test_stuck_attempt_is_given_up_and_its_late_return_is_not_recorded(app, enqueue):
    job_id = enqueue("test.stuck_once")
    ended: dict[str, Any] = {}

    def run() -> None:
        with app.app_context():
            ended["state"] = execute_job(job_id, "w1")

    runner = threading.Thread(target=run)
    started = time.monotonic()
    runner.start()
    try:
        wait_for(lambda: seen.get("attempts") == 1)
        wait_for(lambda: load(app, job_id).state != JobState.RUNNING)
        assert time.monotonic() - started < 6  # 0.2 s limit, a lease of 3 s, a beat of 1 s
        job = load(app, job_id)
        assert job.state == JobState.QUEUED, "the stuck attempt was not given up"
        assert job.lease_expires_at is None
        assert (job.error_key, job.error_args["n"]) == (LIMIT_MESSAGE, 1)
        assert "did not stop at its time limit" in job.error
        assert runner.is_alive()  # the handler is still stuck
    finally:
        release.set()
        runner.join(10)
    assert seen["late_return"]
    assert ended["state"] == JobState.QUEUED  # its success came too late to count
    assert load(app, job_id).attempts == 1

    with app.app_context():
        assert execute_job(job_id, "w2") == JobState.SUCCEEDED


def test_retry_on_any_worker_removes_the_scratch_a_dead_attempt_left(app, enqueue):
    job_id = enqueue("test.lists_scratch")
    dead = dead_attempt_folder(app, job_id)
    other_job = dead_attempt_folder(app, job_id + 1000)
    with app.app_context():
        assert execute_job(job_id, "worker-host-2:1:t") == JobState.SUCCEEDED
    assert not dead.exists()
    assert seen["folders"] == [seen["own"]]
    assert seen["own"].startswith(f"job-{job_id}-")
    assert scratch_of(app) == [other_job]  # nothing of this job is left


def test_failed_attempt_leaves_no_scratch(app, enqueue):
    seen["fail"] = True
    job_id = enqueue("test.lists_scratch")
    with app.app_context():
        run_queued_jobs()
    assert load(app, job_id).state == JobState.FAILED
    assert scratch_of(app) == []


def test_sweeper_removes_scratch_of_jobs_not_running(app, enqueue):
    finished, waiting, running = (enqueue("test.lists_scratch") for _ in range(3))
    with app.app_context():
        execute_job(finished, "w1")
        assert services.claim_job(running, "w1")
    folders = {job_id: dead_attempt_folder(app, job_id) for job_id in (finished, waiting, running)}
    unknown = dead_attempt_folder(app, 99999)
    stranger = scratch_of(app)[0].parent / "not-a-job"
    stranger.mkdir()
    with app.app_context():
        assert sweep_once()
    assert not folders[finished].exists()
    assert not folders[waiting].exists()  # queued for a retry: no attempt uses it
    assert not unknown.exists()
    assert folders[running].exists()
    assert stranger.exists()
