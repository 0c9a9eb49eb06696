"""Scale-out: two ``flask worker`` processes share one Redis queue and one media root; twenty
render jobs are each done exactly once, by either worker, with every file where the web
process serves it from.

The whole suite also runs on PostgreSQL + Redis in CI (``.ci/run``); this test uses Redis
(``BELTCAST_REDIS_URL``, else a Redis on 127.0.0.1:6379) and is skipped where there is none.
"""

from __future__ import annotations

import os
import socket
import urllib.parse
from collections import Counter
from pathlib import Path

import pytest

from portal.jobs.models import JobState
from tests.reliability.helpers import add_renderable_clip, clip_files, render_jobs, versions
from tests.support.mediagen import make_test_video
from tests.support.workers import Workers, worker_environment

pytestmark = pytest.mark.slow

JOBS = 20


def _redis_url() -> str | None:
    url = os.environ.get("BELTCAST_REDIS_URL", "redis://127.0.0.1:6379/0")
    parts = urllib.parse.urlparse(url)
    try:
        socket.create_connection((parts.hostname, parts.port or 6379), timeout=1).close()
    except OSError:
        return None
    return url


@pytest.fixture
def extra_config() -> dict:
    url = _redis_url()
    if url is None:
        pytest.skip("no Redis on 127.0.0.1:6379 (CI starts one for the PostgreSQL + Redis run)")
    return {"REDIS_URL": url}


@pytest.fixture(scope="session")
def one_second(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_test_video(tmp_path_factory.mktemp("tiny") / "tiny.mp4", seconds=1.5)


def test_two_workers_on_redis_do_each_of_twenty_jobs_exactly_once(
    app, client_as, merchant, merchant_org, one_second, tmp_path
):
    assert app.config["REDIS_URL"]
    logs = tmp_path / "worker-logs"
    logs.mkdir()
    pool = Workers(worker_environment(app, REDIS_URL=app.config["REDIS_URL"]), logs)
    browser = client_as(merchant)
    clip_ids = [add_renderable_clip(app, merchant_org.id, one_second, seconds=1.0)
                for _ in range(JOBS)]  # fmt: skip
    try:
        workers = [pool.start("worker-1"), pool.start("worker-2")]
        pool.wait_for(lambda: pool.logs().count("worker started") == 2, 60, "both workers")
        for clip_id in clip_ids:
            answer = browser.post(
                f"/media/clips/{clip_id}/render", data={"profile": "original", "fill": "blur"}
            )
            assert answer.status_code == 302

        def all_done() -> bool:
            assert all(w.poll() is None for w in workers), pool.logs()
            jobs = render_jobs(app)
            assert not [j for j in jobs if j.state == JobState.FAILED], pool.logs()
            return len(jobs) == JOBS and all(j.state == JobState.SUCCEEDED for j in jobs)

        pool.wait_for(all_done, 300, "twenty renders")
    finally:
        pool.stop_all()

    jobs = render_jobs(app)
    assert [job.attempts for job in jobs] == [1] * JOBS
    by_worker = Counter(job.worker_id.split(":")[1] for job in jobs)
    assert set(by_worker) == {str(w.pid) for w in workers}, by_worker
    outputs = []
    for clip_id in clip_ids:
        (version,) = versions(app, clip_id)
        assert version.is_ready
        outputs += [f"{version.stored_stem}{suffix}" for suffix in (".jpg", ".mp4", ".vtt")]
    assert clip_files(app, merchant_org.id) == sorted(outputs)
    video = browser.get(f"/media/clips/{clip_ids[-1]}/versions/{version.id}/video")
    assert video.status_code == 200
    assert video.data[4:8] == b"ftyp"
