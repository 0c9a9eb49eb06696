"""The transcription job's overview step (issue 16) never costs the merchant their transcript."""

from __future__ import annotations

import logging

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
