"""The transcription job's overview step (issue 16) never costs the merchant their transcript."""

from __future__ import annotations

import logging
import threading

from media.recordings.models import Recording
from media.recordings.overview import overview_files
from media.recordings.services import source_path
from portal.extensions import db
from portal.jobs.models import JobState
from tests.media.recordings.helpers import ingest, load_job, run_jobs, sentences_of


def test_transcription_succeeds_when_the_overview_cannot_be_stored(
    app, merchant_org, speech_video, caplog
):
    recording_id = ingest(app, merchant_org, speech_video)
    with app.app_context():
        recording = db.session.get(Recording, recording_id)
        json_path, sprite_path = overview_files(source_path(recording))
    sprite_path.mkdir()  # a folder where the thumbnails should go: writing them fails

    with caplog.at_level(logging.WARNING, logger="media.recordings.overview"):
        run_jobs(app)

    job = load_job(app, recording_id)
    assert job.state == JobState.SUCCEEDED, job.error
    assert sentences_of(app, recording_id)
    assert not json_path.exists()
    assert [r.getMessage() for r in caplog.records if "no overview for" in r.getMessage()]


def test_the_overview_is_drawn_while_the_transcript_is_saved(
    app, merchant_org, speech_video, monkeypatch
):
    """The overview's ffmpeg runs use one core; so does the second recognition while saving.

    Run one after the other, the second core idled for both (session 9 of issue 16): the
    overview now waits here until saving has begun, which only a job running both at once passes.
    """
    from media.recordings import overview, tasks

    saving = threading.Event()
    save, store = tasks.save_transcript, overview.try_store_overview

    def save_noting_the_start(*args, **kwargs):
        saving.set()
        return save(*args, **kwargs)

    def store_once_saving(*args, **kwargs):
        overlapped.append(saving.wait(timeout=30))
        return store(*args, **kwargs)

    overlapped: list[bool] = []
    monkeypatch.setattr(tasks, "save_transcript", save_noting_the_start)
    monkeypatch.setattr(overview, "try_store_overview", store_once_saving)
    recording_id = ingest(app, merchant_org, speech_video)

    run_jobs(app)

    job = load_job(app, recording_id)
    assert job.state == JobState.SUCCEEDED, job.error
    assert overlapped == [True]
    with app.app_context():
        recording = db.session.get(Recording, recording_id)
        assert all(path.is_file() for path in overview_files(source_path(recording)))
