"""A transcription whose ffmpeg hangs is stopped at its time limit, retried, then failed with
a message the merchant reads; no process, audio or scratch folder is left behind.

The hanging tool is a real process (``tests.support.stuck_tools``); the limit is the real one,
made tiny by the settings.
"""

from __future__ import annotations

import math
import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from media.recordings.models import Recording
from media.recordings.services import source_path
from media.transcripts.models import Transcript
from portal.extensions import db
from portal.jobs.models import JobState
from portal.jobs.runner import execute_job
from portal.jobs.scratch import scratch_root
from tests.media.recordings.conftest import LONG_SPEECH
from tests.media.recordings.helpers import count, ingest, job_temp_leftovers, load_job, run_jobs
from tests.support import stuck_tools
from tests.support.mediagen import make_english_speech, make_video_with_audio
from tests.support.stuck_tools import is_running, started_pids, stuck_ffmpeg

LIMIT_S = 1.5  # the base; a six-second recording adds 0.06 s
LIMIT_MESSAGE = (
    "The job ran longer than its time limit of %(limit)s and was stopped "
    "(attempt %(n)s of %(max)s)."
)


tool_folder = stuck_tools.tool_folder


@pytest.fixture
def extra_config(tool_folder: Path) -> dict[str, Any]:
    return {
        "FFMPEG_BINARY": str(stuck_ffmpeg(tool_folder)),
        "TRANSCRIBE_TIME_BASE_S": LIMIT_S,
        "TRANSCRIBE_TIME_PER_S": 0.01,
        "JOB_MAX_ATTEMPTS": 2,
    }


def dead_attempt_folder(app: Flask, job_id: int) -> Path:
    """Scratch as a worker on another host leaves it when it dies extracting the audio."""
    with app.app_context():
        folder = scratch_root() / f"job-{job_id}-otherhost"
    folder.mkdir(parents=True)
    (folder / "audio.wav").write_bytes(b"\0" * 65536)
    return folder


def test_hanging_ffmpeg_is_killed_at_the_limit_and_the_job_fails_with_the_message(
    app, merchant_org, speech_video, client_as, merchant, tool_folder
):
    recording_id = ingest(app, merchant_org, speech_video)
    dead = dead_attempt_folder(app, load_job(app, recording_id).id)

    started = time.monotonic()
    run_jobs(app)
    elapsed_s = time.monotonic() - started

    job = load_job(app, recording_id)
    assert (job.state, job.attempts) == (JobState.FAILED, 2)
    assert job.error_key == LIMIT_MESSAGE
    assert job.error_args == {"limit": "0:00:02", "n": 2, "max": 2}
    assert job.error.startswith("FfmpegError: ffmpeg timed out after")
    assert 2 * LIMIT_S <= elapsed_s < 2 * LIMIT_S + 6, "each attempt ends at its limit"
    pids = started_pids(tool_folder)
    assert len(pids) == 2  # one hanging ffmpeg per attempt
    assert not any(is_running(pid) for pid in pids)
    assert not dead.exists()  # the retry removed what the dead attempt left
    assert job_temp_leftovers(app) == []
    assert count(app, Transcript) == 0

    page = client_as(merchant).get(f"/media/recordings/{recording_id}?lang=en").text
    assert (
        "Processing failed: The job ran longer than its time limit of 0:00:02 and was "
        "stopped (attempt 2 of 2)."
    ) in " ".join(page.split())


@pytest.fixture(scope="module")
def six_minutes_of_speech(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About six minutes of espeak-ng speech: more than any 2-core machine recognises in 10 s
    (the packaged model's best real-time factor is about 0.04, so at least 15 s)."""
    folder = tmp_path_factory.mktemp("six-minutes")
    spoken = make_english_speech(" ".join([LONG_SPEECH] * 5), folder / "speech.wav",
                                 words_per_minute=160)  # fmt: skip
    return make_video_with_audio(spoken, folder / "six-minutes.mp4", size="160x120", rate=5)


@pytest.mark.slow
@pytest.mark.parametrize(
    "extra_config",
    [{"TRANSCRIBE_TIME_BASE_S": 6.0, "TRANSCRIBE_TIME_PER_S": 0.01, "JOB_MAX_ATTEMPTS": 1}],
)
def test_recognition_past_the_limit_stops_at_its_next_report(
    app, merchant_org, six_minutes_of_speech
):
    """Real Whisper on about 6 minutes of speech, given about 10 s: stopped while recognising.

    The lanes stop after the batch they are in, well before the runner would give the attempt
    up (a lease, 120 s, past the limit). The recording is long enough that no machine finishes
    it within the limit (75 s of speech did, on a quiet one).
    """
    recording_id = ingest(app, merchant_org, six_minutes_of_speech)
    with app.app_context():
        limit_s = 6.0 + 0.01 * db.session.get(Recording, recording_id).duration_s
    started = time.monotonic()
    run_jobs(app)
    elapsed_s = time.monotonic() - started

    job = load_job(app, recording_id)
    assert (job.state, job.step) == (JobState.FAILED, "transcribing")
    assert job.error == "JobTimedOut"
    assert job.error_args["limit"] == f"0:00:{math.ceil(limit_s):02d}"
    assert elapsed_s < limit_s + 60
    assert job_temp_leftovers(app) == []
    assert count(app, Transcript) == 0


@pytest.mark.parametrize(
    "extra_config",
    [
        {
            "TRANSCRIBE_TIME_BASE_S": 0.5,
            "TRANSCRIBE_TIME_PER_S": 0.01,
            "JOB_LEASE_S": 3,
            "JOB_MAX_ATTEMPTS": 1,
        }
    ],
)
def test_probe_stuck_reading_a_pipe_is_given_up_and_its_late_end_ignored(
    app, merchant_org, speech_video
):
    """The stored file became a pipe nobody writes: the probe blocks in open(), where Python
    cannot stop it. The lease thread gives the attempt up a lease (3 s) past the limit."""
    recording_id = ingest(app, merchant_org, speech_video)
    with app.app_context():
        source = source_path(db.session.get(Recording, recording_id))
    source.unlink()
    os.mkfifo(source)
    job_id = load_job(app, recording_id).id

    def work() -> None:
        with app.app_context():
            execute_job(job_id, "host-1:1:worker")

    stuck = threading.Thread(target=work)
    started = time.monotonic()
    stuck.start()
    try:
        while load_job(app, recording_id).state != JobState.FAILED:
            assert time.monotonic() - started < 10, "the stuck attempt was not given up"
            time.sleep(0.1)
        assert stuck.is_alive()  # still blocked in the probe
    finally:
        os.close(os.open(source, os.O_WRONLY))  # a writer that writes nothing: the probe ends
        stuck.join(10)
    assert not stuck.is_alive()
    job = load_job(app, recording_id)
    assert (job.error_key, job.error_args["n"]) == (LIMIT_MESSAGE, 1)
    assert "did not stop at its time limit" in job.error  # not the probe's late "empty file"
    assert job.lease_expires_at is None
