"""Kill the worker mid-transcription: another worker finishes the job, once, cleanly.

Real ``flask worker`` processes on the test's database and queue (Huey on SQLite by default, on
Redis when ``BELTCAST_REDIS_URL`` is set, as in CI's second run).
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from media.transcripts.models import Transcript
from portal.jobs.models import JobState
from tests.media.recordings.helpers import (
    count,
    ingest,
    job_temp_leftovers,
    load_job,
    sentences_of,
    spoken_words,
)
from tests.support.workers import Workers, worker_environment

pytestmark = pytest.mark.slow

LEASE_S = 4


@pytest.fixture
def workers(app: Flask, whisper_model_dir: Path, tmp_path: Path) -> Iterator[Workers]:
    """Real ``flask worker`` processes with the prepared model; killed afterwards."""
    pool = Workers(worker_environment(app, whisper_model_dir, lease_s=LEASE_S), tmp_path)
    yield pool
    pool.stop_all()


def test_killed_worker_job_is_finished_once_by_another_worker(
    app, merchant_org, long_speech_video, workers
):
    first = workers.start("worker-1")
    recording_id = ingest(app, merchant_org, long_speech_video)  # delivered through Huey
    job_id = load_job(app, recording_id).id

    def transcribing() -> bool:
        assert first.poll() is None, f"worker 1 stopped\n{workers.logs()}"
        return load_job(app, recording_id).step == "transcribing"

    workers.wait_for(transcribing, 90, "worker 1 to start transcribing")
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=30)

    job = load_job(app, recording_id)
    assert (job.state, job.attempts) == (JobState.RUNNING, 1)
    assert str(first.pid) in job.worker_id
    assert job_temp_leftovers(app), "the killed attempt left its audio behind"
    assert count(app, Transcript) == 0

    second = workers.start("worker-2")

    def succeeded() -> bool:
        state = load_job(app, recording_id).state
        assert state in (JobState.RUNNING, JobState.QUEUED, JobState.SUCCEEDED), workers.logs()
        return state == JobState.SUCCEEDED

    workers.wait_for(succeeded, 120, "worker 2 to finish the job")

    job = load_job(app, recording_id)
    assert job.id == job_id
    assert job.attempts == 2
    assert str(second.pid) in job.worker_id
    assert job.error == ""
    assert count(app, Transcript) == 1
    assert count(app, Transcript, Transcript.recording_id == recording_id) == 1
    sentences = sentences_of(app, recording_id)
    assert len(sentences) >= 5
    heard = spoken_words(" ".join(s.text for s in sentences))
    for word in ("welcome", "pearl", "necklace", "tomorrow"):
        assert word in heard
    assert sentences[-1].end_ms > 60_000
    assert job_temp_leftovers(app) == []
    assert second.poll() is None  # the second worker keeps serving
