"""Kill the worker mid-transcription: another worker finishes the job, once, cleanly.

Real ``flask worker`` processes on the test's database and queue (Huey on SQLite by default, on
Redis when ``BELTCAST_REDIS_URL`` is set, as in CI's second run).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask

from media.transcripts.models import Transcript
from portal import PROJECT_ROOT
from portal.jobs.models import JobState
from tests.media.recordings.helpers import (
    count,
    ingest,
    job_temp_leftovers,
    load_job,
    sentences_of,
    spoken_words,
)

pytestmark = pytest.mark.slow

LEASE_S = 4


def worker_environment(app: Flask, model_dir: Path) -> dict[str, str]:
    """The settings a worker of the test app needs, and nothing else of ours."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BELTCAST_")}
    env.update(
        FLASK_APP="wsgi",
        BELTCAST_INSTANCE_PATH=app.instance_path,
        BELTCAST_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        BELTCAST_MEDIA_ROOT=app.config["MEDIA_ROOT"],
        BELTCAST_WHISPER_MODEL=str(model_dir),
        BELTCAST_JOB_LEASE_SECONDS=str(LEASE_S),
        BELTCAST_JOB_SWEEP_SECONDS="1",
        BELTCAST_QUEUE_NAME=app.config["QUEUE_NAME"],
        BELTCAST_SECRET_KEY=app.config["SECRET_KEY"],
        BELTCAST_DEFAULT_LOCALE="en",
    )
    if os.environ.get("BELTCAST_REDIS_URL"):
        env["BELTCAST_REDIS_URL"] = os.environ["BELTCAST_REDIS_URL"]
    return env


@pytest.fixture
def start_worker(
    app: Flask, whisper_model_dir: Path, tmp_path: Path
) -> Iterator[Callable[[str], subprocess.Popen[bytes]]]:
    """Start ``flask worker`` processes (each in its own process group); kill them afterwards."""
    started: list[subprocess.Popen[bytes]] = []
    env = worker_environment(app, whisper_model_dir)

    def start(name: str) -> subprocess.Popen[bytes]:
        log = (tmp_path / f"{name}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "flask", "worker"],
            cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        log.close()
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


def logs(tmp_path: Path) -> str:
    return "\n".join(f"--- {p.name}\n{p.read_text()[-3000:]}" for p in tmp_path.glob("*.log"))


def wait_for(condition: Callable[[], bool], timeout_s: float, what: str, tmp_path: Path) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}\n{logs(tmp_path)}"
        time.sleep(0.1)


def test_killed_worker_job_is_finished_once_by_another_worker(
    app, merchant_org, long_speech_video, start_worker, tmp_path
):
    first = start_worker("worker-1")
    recording_id = ingest(app, merchant_org, long_speech_video)  # delivered through Huey
    job_id = load_job(app, recording_id).id

    def transcribing() -> bool:
        assert first.poll() is None, f"worker 1 stopped\n{logs(tmp_path)}"
        return load_job(app, recording_id).step == "transcribing"

    wait_for(transcribing, 90, "worker 1 to start transcribing", tmp_path)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=30)

    job = load_job(app, recording_id)
    assert (job.state, job.attempts) == (JobState.RUNNING, 1)
    assert str(first.pid) in job.worker_id
    assert job_temp_leftovers(app), "the killed attempt left its audio behind"
    assert count(app, Transcript) == 0

    second = start_worker("worker-2")

    def succeeded() -> bool:
        state = load_job(app, recording_id).state
        assert state in (JobState.RUNNING, JobState.QUEUED, JobState.SUCCEEDED), logs(tmp_path)
        return state == JobState.SUCCEEDED

    wait_for(succeeded, 120, "worker 2 to finish the job", tmp_path)

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
