"""portal.jobs: atomic claims, retries, permanent failures, leases and the sweeper, cancelling,
and the administrators' jobs page.

Test-only job kinds are added to ``job_kinds(app)`` (test setup); the runner, the services, the
sweeper and the pages are the real ones, on the real database.
"""

from __future__ import annotations

import re
import threading
import time
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select, update

from portal.auth.models import Role
from portal.database import utcnow
from portal.extensions import db
from portal.jobs import services
from portal.jobs.kinds import JobKind, job_kinds
from portal.jobs.models import Job, JobState
from portal.jobs.queue import queue_of
from portal.jobs.runner import (
    JobCancelled,
    JobContext,
    PermanentJobError,
    execute_job,
    run_queued_jobs,
)
from portal.jobs.worker import Sweeper
from portal.organisations.models import Organisation
from tests.support import queues

# How often each test job's handler ran, by job id; and what a handler saw.
calls: dict[int, int] = {}
seen: dict[str, Any] = {}


def _count_call(ctx: JobContext) -> int:
    calls[ctx.job.id] = calls.get(ctx.job.id, 0) + 1
    return calls[ctx.job.id]


def succeeds(ctx: JobContext) -> None:
    _count_call(ctx)
    ctx.step("working")
    ctx.progress(0.5)


def flaky(ctx: JobContext) -> None:
    call = _count_call(ctx)
    ctx.step("working")
    if call < 3:
        raise RuntimeError(f"flaky failure {call}")


def always_fails(ctx: JobContext) -> None:
    _count_call(ctx)
    ctx.step("working")
    raise ValueError("the stone is cracked")


def permanent(ctx: JobContext) -> None:
    _count_call(ctx)
    raise PermanentJobError("This recording cannot be read.")


def waits_for_cancel(ctx: JobContext) -> None:
    """Report progress every 20 ms for up to 20 s; a cancel stops it at the next report."""
    _count_call(ctx)
    ctx.step("waiting")
    for step in range(1000):
        ctx.progress(step / 1000)
        seen["last_progress"] = step
        time.sleep(0.02)
    seen["finished"] = True


def cancelled_while_failing(ctx: JobContext) -> None:
    """A user cancels while this attempt is failing: the cancel must win over a retry."""
    _count_call(ctx)
    ctx.step("working")
    services.cancel_job(ctx.job, None)
    raise OSError("disk full")


def quiet_and_long(ctx: JobContext) -> None:
    """Run longer than the lease without reporting progress: only the heartbeat keeps it."""
    _count_call(ctx)
    seen["started"] = True
    time.sleep(3.5)


TEST_KINDS = {
    "test.succeeds": "succeeds",
    "test.flaky": "flaky",
    "test.always_fails": "always_fails",
    "test.permanent": "permanent",
    "test.waits_for_cancel": "waits_for_cancel",
    "test.quiet_and_long": "quiet_and_long",
    "test.cancelled_while_failing": "cancelled_while_failing",
}


@pytest.fixture(autouse=True)
def test_handlers(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    calls.clear()
    seen.clear()
    for kind, function in TEST_KINDS.items():
        monkeypatch.setitem(job_kinds(app), kind, JobKind(kind, globals()[function], kind))


# A queue of each test's own with English pages, flushed after it.
extra_config = queues.extra_config
app_config = queues.app_config
flush_queue = queues.flush_queue


@pytest.fixture
def enqueue(app: Flask, merchant_org: Organisation) -> Any:
    """Queue a job of ``kind`` about the merchant organisation; return its id."""

    def build(kind: str) -> int:
        with app.app_context():
            org = db.session.get(Organisation, merchant_org.id)
            return services.enqueue_job(kind, org, org_id=org.id).id

    return build


def load(app: Flask, job_id: int) -> Job:
    with app.app_context():
        job = db.session.get(Job, job_id)
        db.session.expunge(job)
        return job


def expire_lease(app: Flask, job_id: int) -> None:
    """Make a running job look as if its worker died a while ago."""
    with app.app_context():
        db.session.execute(
            update(Job)
            .where(Job.id == job_id)
            .values(lease_expires_at=utcnow() - timedelta(seconds=5))
        )
        db.session.commit()


def pending(app: Flask) -> int:
    """Messages waiting in the Huey queue (SQLite or Redis)."""
    return queue_of(app).huey.pending_count()


def listed_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<td data-label="#">(\d+)</td>', html)]


def error_cell(html: str) -> str:
    """The text of the first job's error cell on the jobs page."""
    cell = re.search(r'<td data-label="(?:Error|错误)">(.*?)</td>', html, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", " ", cell).split())


def test_enqueue_commits_a_queued_job_and_delivers_it(app, enqueue, merchant_org):
    job_id = enqueue("test.succeeds")
    job = load(app, job_id)
    assert (job.kind, job.subject_type, job.subject_id, job.org_id) == (
        "test.succeeds", "Organisation", merchant_org.id, merchant_org.id,
    )  # fmt: skip
    assert (job.state, job.attempts, job.max_attempts, job.step, job.progress) == (
        JobState.QUEUED, 0, 3, "", 0,
    )  # fmt: skip
    assert pending(app) == 1


def test_claim_is_atomic(app, enqueue):
    job_id = enqueue("test.succeeds")
    with app.app_context():
        assert services.claim_job(job_id, "worker-1") is True
        assert services.claim_job(job_id, "worker-2") is False
    job = load(app, job_id)
    assert (job.state, job.worker_id, job.attempts) == (JobState.RUNNING, "worker-1", 1)
    assert job.lease_expires_at > utcnow()
    with app.app_context():
        assert execute_job(job_id, "worker-3") is None
    assert calls == {}


def test_concurrent_claims_give_the_job_to_exactly_one_worker(app, enqueue):
    job_id = enqueue("test.succeeds")
    start = threading.Barrier(4)
    won: list[str] = []

    def claim(name: str) -> None:
        with app.app_context():
            start.wait()
            if services.claim_job(job_id, name):
                won.append(name)
            db.session.remove()

    threads = [threading.Thread(target=claim, args=(f"w{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(won) == 1
    job = load(app, job_id)
    assert (job.worker_id, job.attempts) == (won[0], 1)


def test_claim_refuses_finished_and_cancelled_jobs_and_takes_expired_leases(app, enqueue):
    done, cancelled, lost = (enqueue("test.succeeds") for _ in range(3))
    with app.app_context():
        execute_job(done, "w")
        services.cancel_job(db.session.get(Job, cancelled), None)
        assert services.claim_job(lost, "dead-worker")
    expire_lease(app, lost)
    with app.app_context():
        assert services.claim_job(done, "w2") is False
        assert services.claim_job(cancelled, "w2") is False
        assert services.claim_job(lost, "w2") is True
    job = load(app, lost)
    assert (job.worker_id, job.attempts) == ("w2", 2)


def test_successful_job_records_its_progress(app, enqueue):
    job_id = enqueue("test.succeeds")
    with app.app_context():
        assert run_queued_jobs() == [job_id]
    job = load(app, job_id)
    assert (job.state, job.step, job.progress, job.attempts, job.error) == (
        JobState.SUCCEEDED, "working", 100, 1, "",
    )  # fmt: skip
    assert job.finished_at >= job.started_at
    assert job.lease_expires_at is None
    assert calls == {job_id: 1}


def test_handler_failing_twice_is_retried_and_succeeds(app, enqueue):
    job_id = enqueue("test.flaky")
    with app.app_context():
        assert execute_job(job_id, "w") == JobState.QUEUED
    job = load(app, job_id)
    assert (job.state, job.attempts, job.error) == (
        JobState.QUEUED, 1, "RuntimeError: flaky failure 1",
    )  # fmt: skip
    assert job.lease_expires_at is None
    assert pending(app) == 2  # delivered again

    with app.app_context():
        assert run_queued_jobs() == [job_id, job_id]
    job = load(app, job_id)
    assert (job.state, job.attempts, job.error) == (JobState.SUCCEEDED, 3, "")
    assert calls == {job_id: 3}


def test_job_failing_every_attempt_ends_failed_and_admin_sees_why(app, enqueue, client_as, admin):
    job_id = enqueue("test.always_fails")
    with app.app_context():
        assert run_queued_jobs() == [job_id] * 3
    job = load(app, job_id)
    assert (job.state, job.attempts, job.error) == (
        JobState.FAILED, 3, "ValueError: the stone is cracked",
    )  # fmt: skip
    assert job.finished_at is not None
    assert calls == {job_id: 3}

    page = client_as(admin).get("/admin/jobs/")
    assert page.status_code == 200
    assert "ValueError: the stone is cracked" in page.text
    assert "3 / 3" in page.text
    assert f'action="/admin/jobs/{job_id}/retry' in page.text


def test_permanent_error_fails_at_once(app, enqueue):
    job_id = enqueue("test.permanent")
    with app.app_context():
        assert run_queued_jobs() == [job_id]
    job = load(app, job_id)
    assert (job.state, job.attempts, job.error_key, job.error) == (
        JobState.FAILED, 1, "This recording cannot be read.", "",
    )  # fmt: skip
    assert calls == {job_id: 1}


def test_sweeper_requeues_expired_leases_then_fails_when_attempts_run_out(app, enqueue):
    job_id = enqueue("test.succeeds")
    alive = enqueue("test.succeeds")
    with app.app_context():
        assert services.claim_job(alive, "healthy-worker")
        for attempt in (1, 2, 3):
            assert services.claim_job(job_id, f"worker-{attempt}")
            expire_lease(app, job_id)
            before = pending(app)
            assert services.sweep_expired_leases() == [job_id]
            job = db.session.get(Job, job_id)
            db.session.refresh(job)
            assert (job.error_key, job.error_args) == (
                "The worker stopped while running this job (attempt %(n)s of %(max)s).",
                {"n": attempt, "max": 3},
            )
            assert job.lease_expires_at is None
            if attempt < 3:
                assert job.state == JobState.QUEUED
                assert pending(app) == before + 1
            else:
                assert job.state == JobState.FAILED
                assert job.finished_at is not None
                assert pending(app) == before
        assert services.sweep_expired_leases() == []
    assert load(app, alive).state == JobState.RUNNING  # its lease is current
    assert calls == {}


def test_failing_attempt_of_a_cancelled_job_ends_cancelled_not_requeued(app, enqueue):
    job_id = enqueue("test.cancelled_while_failing")
    later = enqueue("test.succeeds")
    with app.app_context():
        assert run_queued_jobs() == [job_id, later]
    job = load(app, job_id)
    assert (job.state, job.attempts) == (JobState.CANCELLED, 1)
    assert job.finished_at is not None
    assert calls == {job_id: 1, later: 1}


def test_sweeper_ends_a_cancelled_job_of_a_dead_worker(app, enqueue):
    job_id = enqueue("test.succeeds")
    with app.app_context():
        services.claim_job(job_id, "dead-worker")
        services.cancel_job(db.session.get(Job, job_id), None)
    expire_lease(app, job_id)
    with app.app_context():
        assert services.sweep_expired_leases() == [job_id]
        assert run_queued_jobs() == []
    job = load(app, job_id)
    assert (job.state, job.attempts) == (JobState.CANCELLED, 1)
    assert job.finished_at is not None


def test_lost_deliveries_are_redelivered_once_per_wait(app, enqueue):
    job_id = enqueue("test.succeeds")
    fresh = enqueue("test.succeeds")
    with app.app_context():
        db.session.execute(
            update(Job).where(Job.id == job_id).values(updated_at=utcnow() - timedelta(minutes=11))
        )
        db.session.commit()
        before = pending(app)
        assert services.redeliver_stale_queued() == [job_id]
        assert pending(app) == before + 1
        # The next sweep, seconds later, does not pile up another copy.
        assert services.redeliver_stale_queued() == []
        assert pending(app) == before + 1
        assert run_queued_jobs() == [job_id, fresh]


@pytest.mark.parametrize("extra_config", [{"BABEL_DEFAULT_LOCALE": "zh_CN"}])
def test_admin_reads_a_lost_jobs_error_in_their_own_language_not_the_workers(
    app, enqueue, client_as, make_user
):
    job_id = enqueue("test.succeeds")
    with app.app_context():  # the worker runs in Chinese and dies on every attempt
        for worker in ("w1", "w2", "w3"):
            services.claim_job(job_id, worker)
            expire_lease(app, job_id)
            services.sweep_expired_leases()
    assert load(app, job_id).state == JobState.FAILED

    english = error_cell(client_as(make_user(Role.ADMIN, locale="en")).get("/admin/jobs/").text)
    chinese = error_cell(client_as(make_user(Role.ADMIN, locale="zh_CN")).get("/admin/jobs/").text)

    assert english == "The worker stopped while running this job (attempt 3 of 3)."
    assert chinese == "后台处理进程在运行此任务时中断（第 3 次尝试，共 3 次）。"


def test_a_job_that_failed_before_error_keys_still_shows_its_message(
    app, enqueue, client_as, admin
):
    job_id = enqueue("test.succeeds")
    with app.app_context():  # written as before error_key: the message itself in ``error``
        db.session.execute(
            update(Job)
            .where(Job.id == job_id)
            .values(state=JobState.FAILED, error="文件已损坏，请重新上传。")
        )
        db.session.commit()
    assert error_cell(client_as(admin).get("/admin/jobs/").text) == "文件已损坏，请重新上传。"


def test_sweeper_thread_recovers_a_job_whose_worker_died(app, enqueue):
    job_id = enqueue("test.succeeds")
    with app.app_context():
        services.claim_job(job_id, "dead-worker")
    expire_lease(app, job_id)
    sweeper = Sweeper(app, interval_s=0.2)
    sweeper.start()
    try:
        deadline = time.monotonic() + 10
        while load(app, job_id).state != JobState.QUEUED:
            assert time.monotonic() < deadline, "the sweeper did not re-queue the job"
            time.sleep(0.1)
    finally:
        sweeper.stopped.set()
        sweeper.join(timeout=10)
    with app.app_context():
        assert run_queued_jobs() == [job_id]
    assert (load(app, job_id).state, load(app, job_id).attempts) == (JobState.SUCCEEDED, 2)


@pytest.mark.parametrize("extra_config", [{"JOB_LEASE_S": 2}])
def test_heartbeat_keeps_a_long_quiet_job_from_being_swept(app, enqueue):
    job_id = enqueue("test.quiet_and_long")
    outcome: list[Any] = []

    def work() -> None:
        with app.app_context():
            outcome.append(execute_job(job_id, "busy-worker"))

    thread = threading.Thread(target=work)
    thread.start()
    try:
        time.sleep(2.8)  # past the first lease of 2 s
        with app.app_context():
            assert services.sweep_expired_leases() == []
        assert load(app, job_id).state == JobState.RUNNING
    finally:
        thread.join(timeout=30)
    assert outcome == [JobState.SUCCEEDED]
    assert load(app, job_id).attempts == 1


def test_job_context_raises_cancelled_at_next_report(app, enqueue):
    job_id = enqueue("test.succeeds")
    with app.app_context():
        services.claim_job(job_id, "w")
        job = db.session.get(Job, job_id)
        ctx = JobContext(job)
        ctx.step("working")
        ctx.progress(0.1)
        services.cancel_job(job, None)
        assert job.state == JobState.RUNNING  # a running job is only asked to stop
        with pytest.raises(JobCancelled):
            ctx.progress(0.2)
        with pytest.raises(JobCancelled):
            ctx.step("next")


def test_job_context_writes_progress_at_most_every_interval(app, enqueue):
    job_id = enqueue("test.succeeds")

    def stored() -> int:
        return db.session.scalar(select(Job.progress).where(Job.id == job_id))

    with app.app_context():
        services.claim_job(job_id, "w")
        ctx = JobContext(db.session.get(Job, job_id))
        assert ctx.progress_interval_s == 1.0
        ctx.progress_interval_s = 3600.0
        ctx.step("working")
        ctx.progress(0.3)
        assert stored() == 0  # the step was written just now: held back
        ctx.progress_interval_s = 0.0
        ctx.progress(0.3)  # the held percentage, reported again once the interval passed
        assert stored() == 30
        ctx.progress_interval_s = 3600.0
        ctx.progress(0.6)
        assert stored() == 30
        ctx.progress(1.0)  # the end of a step is written at once
        assert stored() == 100


def test_admin_cancels_a_running_job(app, enqueue, client_as, admin):
    job_id = enqueue("test.waits_for_cancel")
    outcome: list[Any] = []

    def work() -> None:
        with app.app_context():
            outcome.append(execute_job(job_id, "w"))

    thread = threading.Thread(target=work)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while load(app, job_id).step != "waiting":
            assert time.monotonic() < deadline
            time.sleep(0.02)
        response = client_as(admin).post(f"/admin/jobs/{job_id}/cancel")
        assert response.status_code == 302
    finally:
        thread.join(timeout=30)
    assert outcome == [JobState.CANCELLED]
    assert "finished" not in seen
    job = load(app, job_id)
    assert (job.state, job.cancel_requested, job.error) == (JobState.CANCELLED, True, "")
    assert job.finished_at is not None
    assert job.progress < 100


def test_admin_lists_filters_cancels_and_retries_jobs(app, enqueue, client_as, admin):
    failed = enqueue("test.permanent")
    with app.app_context():
        run_queued_jobs()
    done = enqueue("test.succeeds")
    with app.app_context():
        run_queued_jobs()
    queued = enqueue("test.succeeds")
    browser = client_as(admin)

    page = browser.get("/admin/jobs/").text
    assert listed_ids(page) == [queued, done, failed]
    assert "test.permanent" in page
    assert "Organisation" in page
    assert "This recording cannot be read." in page
    assert listed_ids(browser.get("/admin/jobs/?state=failed").text) == [failed]
    assert listed_ids(browser.get("/admin/jobs/?state=succeeded").text) == [done]
    assert listed_ids(browser.get("/admin/jobs/?state=queued").text) == [queued]
    assert "No jobs are running." in browser.get("/admin/jobs/?state=running").text
    assert f'action="/admin/jobs/{queued}/cancel' in page

    cancelled = browser.post(f"/admin/jobs/{queued}/cancel?state=queued")
    assert cancelled.status_code == 302
    assert cancelled.location == "/admin/jobs/?state=queued"
    assert load(app, queued).state == JobState.CANCELLED
    listing = browser.get(cancelled.location, follow_redirects=False).text
    assert f"Job {queued}: cancel requested." in listing
    assert listed_ids(listing) == []

    retried = browser.post(f"/admin/jobs/{failed}/retry")
    assert retried.status_code == 302
    job = load(app, failed)
    assert (job.state, job.attempts, job.error, job.finished_at) == (
        JobState.QUEUED, 0, "", None,
    )  # fmt: skip
    assert browser.post(f"/admin/jobs/{queued}/retry").status_code == 302
    assert load(app, queued).state == JobState.QUEUED
    assert not load(app, queued).cancel_requested

    conflict = browser.post(f"/admin/jobs/{done}/retry")
    assert conflict.status_code == 409
    assert "Only a failed or cancelled job can be retried." in conflict.text
    assert browser.post(f"/admin/jobs/{done}/cancel").status_code == 409
    assert browser.post("/admin/jobs/999999/cancel").status_code == 404
    assert load(app, done).state == JobState.SUCCEEDED


def test_jobs_page_is_for_administrators_only(
    app, enqueue, client, client_as, merchant, trainer, streamer
):
    job_id = enqueue("test.succeeds")
    for user in (merchant, trainer, streamer):
        browser = client_as(user)
        assert browser.get("/admin/jobs/").status_code == 403
        assert browser.post(f"/admin/jobs/{job_id}/cancel").status_code == 403
        assert browser.post(f"/admin/jobs/{job_id}/retry").status_code == 403
    assert client.get("/admin/jobs/").status_code == 302
    assert client.post(f"/admin/jobs/{job_id}/cancel").status_code == 302
    assert load(app, job_id).state == JobState.QUEUED
    with app.app_context():
        assert db.session.scalar(select(Job.cancel_requested).where(Job.id == job_id)) is False
