"""Deleting a recording over HTTP: rows, file, search index and quota freed; refused while it is
transcribed or when clips were cut from it."""

from __future__ import annotations

from sqlalchemy import func, select

from media.clips.models import ClipState, Mention
from media.recordings.models import Recording
from media.transcripts.models import Sentence, Transcript, Word
from media.transcripts.signals import transcript_deleted
from media.usage import org_usage_bytes
from portal.audit.models import AuditEvent
from portal.errors import ServiceError
from portal.extensions import db
from portal.jobs.models import Job, JobState
from portal.search.models import SearchDocument, SearchTerm
from tests.media.recordings.helpers import (
    count,
    ingest,
    load_job,
    recording_files,
    run_jobs,
    sentences_of,
)
from tests.support.clipdata import add_clip_rows


def usage_and_terms(app, org_id: int) -> tuple[int, int]:
    """Return the organisation's quota usage and the index's total term count."""
    with app.app_context():
        terms = db.session.scalar(select(func.coalesce(func.sum(SearchTerm.doc_count), 0)))
        return org_usage_bytes(org_id), terms


def test_merchant_deletes_a_transcribed_recording(
    app, client_as, merchant, merchant_org, make_item, speech_video
):
    make_item(merchant_org, "J1", name="jade")  # spoken in the video: found as a mention
    transcribed = ingest(app, merchant_org, speech_video)
    run_jobs(app)
    browser = client_as(merchant)
    page = browser.get(f"/media/recordings/{transcribed}").text
    assert f'action="/media/recordings/{transcribed}/delete"' in page
    assert count(app, SearchDocument, SearchDocument.recording_id == transcribed) > 0
    assert count(app, Mention, Mention.recording_id == transcribed) > 0
    used, terms = usage_and_terms(app, merchant_org.id)
    assert used > 0
    assert terms > 0
    hit_link = f"/media/recordings/{transcribed}?t="
    assert hit_link in browser.get("/search", query_string={"q": "price"}).text

    response = browser.post(f"/media/recordings/{transcribed}/delete")

    assert response.status_code == 302
    assert response.location == "/media/recordings/"
    listing = browser.get("/media/recordings/").text
    assert "Recording “Jade stream” deleted." in listing
    assert "No recordings yet." in listing
    assert browser.get(f"/media/recordings/{transcribed}").status_code == 404
    for model in (Recording, Transcript, Sentence, Word, Mention, SearchDocument, Job):
        assert count(app, model) == 0, model
    assert recording_files(app) == []
    assert usage_and_terms(app, merchant_org.id)[0] == 0
    assert usage_and_terms(app, merchant_org.id)[1] < terms  # the spoken words left the index
    assert hit_link not in browser.get("/search", query_string={"q": "price"}).text
    assert count(app, AuditEvent, AuditEvent.action == "recording.deleted") == 1


def test_recording_being_transcribed_is_kept_until_cancelled(
    app, client_as, merchant, merchant_org, speech_video
):
    browser = client_as(merchant)
    recording_id = ingest(app, merchant_org, speech_video)

    refused = browser.post(f"/media/recordings/{recording_id}/delete", follow_redirects=True)

    assert "Cancel the transcription before deleting the recording." in refused.text
    assert count(app, Recording) == 1
    assert len(recording_files(app)) == 1

    browser.post(f"/media/recordings/{recording_id}/cancel")
    assert browser.post(f"/media/recordings/{recording_id}/delete").status_code == 302
    assert (count(app, Recording), recording_files(app)) == (0, [])
    assert run_jobs(app) == []


def test_recording_is_kept_while_its_items_are_found_again(
    app, client_as, merchant, merchant_org, speech_video
):
    browser = client_as(merchant)
    recording_id = ingest(app, merchant_org, speech_video)
    run_jobs(app)
    sentence = sentences_of(app, recording_id)[0]
    edit = f"/media/recordings/{recording_id}/sentences/{sentence.id}"
    assert (
        browser.post(edit, data={"text": "Welcome to the jadeite live stream."}).status_code < 400
    )
    assert count(app, Job, Job.state == JobState.QUEUED) == 1  # the mentions are found again

    refused = browser.post(f"/media/recordings/{recording_id}/delete", follow_redirects=True)

    assert "The recording is still being processed. Try again in a moment." in refused.text
    assert count(app, Recording) == 1
    run_jobs(app)
    assert browser.post(f"/media/recordings/{recording_id}/delete").status_code == 302
    assert (count(app, Recording), count(app, Job)) == (0, 0)


def test_recording_with_clips_is_kept(app, client_as, merchant, merchant_org, catalog):
    with app.app_context():
        clip = add_clip_rows(
            merchant_org.id, [catalog[0].id], title="Bangle", texts=["A bangle"],
            state=ClipState.DRAFT,
        )  # fmt: skip
        recording_id = clip.recording_id

    refused = client_as(merchant).post(
        f"/media/recordings/{recording_id}/delete", follow_redirects=True
    )

    assert "1 clip was cut from this recording, so it is kept" in refused.text
    assert count(app, Recording, Recording.id == recording_id) == 1


def test_failed_transcription_can_be_deleted(app, client_as, merchant, merchant_org, speech_video):
    recording_id = ingest(app, merchant_org, speech_video)
    recording_files(app)[0].write_text("not a video any more\n")
    run_jobs(app)
    assert load_job(app, recording_id).state == JobState.FAILED

    assert client_as(merchant).post(f"/media/recordings/{recording_id}/delete").status_code == 302

    assert (count(app, Recording), recording_files(app)) == (0, [])


def test_deleting_commits_once_so_a_late_failure_keeps_everything(
    app, client_as, merchant, merchant_org, speech_video
):
    transcribed = ingest(app, merchant_org, speech_video)
    run_jobs(app)
    documents = count(app, SearchDocument, SearchDocument.recording_id == transcribed)
    terms = usage_and_terms(app, merchant_org.id)[1]
    assert documents > 0

    def fail_after_the_index(_sender: object = None, **_: object) -> None:
        raise ServiceError("refused late")  # after the search index's listener has run

    with transcript_deleted.connected_to(fail_after_the_index):
        refused = client_as(merchant).post(
            f"/media/recordings/{transcribed}/delete", follow_redirects=True
        )

    assert "refused late" in refused.text  # shown on the recording's page
    assert (count(app, Recording), count(app, Transcript)) == (1, 1)
    assert count(app, SearchDocument, SearchDocument.recording_id == transcribed) == documents
    assert usage_and_terms(app, merchant_org.id)[1] == terms
