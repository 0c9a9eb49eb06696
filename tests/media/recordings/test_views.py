"""Recording pages over HTTP: list, add from a tus upload, status polling, player, transcript
downloads, sentence edits, cancel and retry, and who may see what."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from media.recordings.models import Recording
from media.transcripts.models import Sentence, SentenceEdit
from media.uploads.models import Upload
from portal.auth.models import Role
from portal.extensions import db
from portal.jobs.models import JobState
from portal.storage import media_storage, upload_key
from tests.media.recordings.helpers import (
    count,
    ingest,
    load_job,
    load_recording,
    recording_files,
    run_jobs,
    sentences_of,
)
from tests.portal.helpers import is_private
from tests.support.uploads import TUS, tus_upload

HTMX = {"HX-Request": "true"}


def upload_rows(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(Upload.id)))


def polls_status(html: str, recording_id: int) -> bool:
    """Tell whether the page carries the self-polling status partial."""
    return (
        f'hx-get="/media/recordings/{recording_id}/status?polling=1"' in html
        and 'hx-trigger="every 2s"' in html
    )


def test_merchant_sees_empty_list_with_upload_form(client_as, merchant):
    response = client_as(merchant).get("/media/recordings/")
    assert response.status_code == 200
    html = response.text
    assert "No recordings yet." in html
    assert 'id="recording-form"' in html
    assert 'name="upload_id"' in html


def test_merchant_adds_recording_from_completed_upload(
    app, client_as, merchant, merchant_org, speech_video
):
    browser = client_as(merchant)
    data = speech_video.read_bytes()
    upload_id = tus_upload(browser, data, "直播 2024.mp4")
    part = media_storage(app).path(upload_key(upload_id))
    assert part.stat().st_size == len(data)

    response = browser.post(
        "/media/recordings/",
        data={"upload_id": upload_id, "title": "Tuesday stream", "language": "en"},
    )

    assert response.status_code == 302
    recording_id = int(re.fullmatch(r"/media/recordings/(\d+)", response.location).group(1))
    recording = load_recording(app, recording_id)
    assert (recording.org_id, recording.title, recording.language) == (
        merchant_org.id,
        "Tuesday stream",
        "en",
    )
    assert recording.original_filename == "直播 2024.mp4"
    assert recording.created_by_id == merchant.id
    assert recording.size_bytes == len(data)
    assert upload_rows(app) == []
    assert not part.exists()
    stored = recording_files(app)
    assert [p.name for p in stored] == [recording.stored_name]
    assert stored[0].read_bytes() == data
    job = load_job(app, recording_id)
    assert (job.state, job.org_id, job.attempts) == (JobState.QUEUED, merchant_org.id, 0)

    page = browser.get(response.location)
    assert "Recording added. Transcription has started." in page.text
    assert polls_status(page.text, recording_id)
    listing = browser.get("/media/recordings/").text
    assert "Tuesday stream" in listing
    assert "直播 2024.mp4" in listing
    assert '<span class="badge badge-busy">Waiting</span>' in listing  # not "stuck" at 0 %


@pytest.mark.parametrize(
    ("upload_id", "message"),
    [
        ("", "Choose a video file and wait for the upload to finish."),
        ("../../etc/passwd", "The upload is not valid; choose the file again."),
    ],
)
def test_merchant_form_without_valid_upload_shows_error_in_place(
    app, client_as, merchant, upload_id, message
):
    response = client_as(merchant).post(
        "/media/recordings/", data={"upload_id": upload_id, "title": "Stream", "language": "en"}
    )
    assert response.status_code == 200
    assert f'<p class="error" role="alert">{message}</p>' in response.text
    assert count(app, Recording) == 0


def test_merchant_cannot_claim_an_unfinished_or_foreign_upload(
    app, client_as, merchant, make_user, merchant_org
):
    browser = client_as(merchant)
    created = browser.post("/uploads/", headers={**TUS, "Upload-Length": "1000"})
    unfinished = created.headers["Location"].rsplit("/", 1)[-1]
    colleague = client_as(make_user(Role.MERCHANT, merchant_org))
    foreign = tus_upload(colleague, b"x" * 100)
    for upload_id in (unfinished, foreign, "0" * 32):
        response = browser.post(
            "/media/recordings/", data={"upload_id": upload_id, "title": "S", "language": "en"}
        )
        assert response.status_code == 404
    assert count(app, Recording) == 0
    assert sorted(upload_rows(app)) == sorted([unfinished, foreign])


def test_detail_polls_while_queued_then_shows_player_and_transcript(
    app, client_as, merchant, merchant_org, speech_video
):
    browser = client_as(merchant)
    recording_id = ingest(app, merchant_org, speech_video, title="Jade evening")

    queued = browser.get(f"/media/recordings/{recording_id}")
    assert queued.status_code == 200
    assert polls_status(queued.text, recording_id)
    assert "Waiting for a worker" in queued.text
    assert "<video" not in queued.text
    partial = browser.get(f"/media/recordings/{recording_id}/status?polling=1", headers=HTMX)
    assert partial.status_code == 200
    assert "<html" not in partial.text
    assert polls_status(partial.text, recording_id)
    assert "HX-Refresh" not in partial.headers

    run_jobs(app)

    finished = browser.get(f"/media/recordings/{recording_id}/status?polling=1", headers=HTMX)
    assert finished.headers["HX-Refresh"] == "true"
    assert not polls_status(finished.text, recording_id)
    assert "Transcribed." in finished.text
    unpolled = browser.get(f"/media/recordings/{recording_id}/status", headers=HTMX)
    assert "HX-Refresh" not in unpolled.headers

    page = browser.get(f"/media/recordings/{recording_id}").text
    assert not polls_status(page, recording_id)
    assert f'src="/media/recordings/{recording_id}/video"' in page
    assert f'src="/media/recordings/{recording_id}/transcript.vtt"' in page
    sentences = sentences_of(app, recording_id)
    assert sentences
    for sentence in sentences:
        assert f'id="sentence-{sentence.id}"' in page
        assert sentence.text.replace("'", "&#39;") in page
    assert f"{len(sentences)} sentences" in page
    listing = browser.get("/media/recordings/").text
    assert "Jade evening" in listing
    assert '<span class="badge">Ready</span>' in listing


def test_video_answers_range_requests(app, client_as, merchant, merchant_org, speech_video):
    recording_id = ingest(app, merchant_org, speech_video)
    data = speech_video.read_bytes()
    browser = client_as(merchant)

    whole = browser.get(f"/media/recordings/{recording_id}/video")
    assert whole.status_code == 200
    assert whole.mimetype == "video/mp4"
    assert whole.headers["Accept-Ranges"] == "bytes"
    assert whole.data == data
    assert is_private(whole)

    head = browser.get(f"/media/recordings/{recording_id}/video", headers={"Range": "bytes=0-99"})
    assert head.status_code == 206
    assert head.headers["Content-Range"] == f"bytes 0-99/{len(data)}"
    assert head.data == data[:100]

    tail = browser.get(
        f"/media/recordings/{recording_id}/video", headers={"Range": f"bytes={len(data) - 10}-"}
    )
    assert tail.status_code == 206
    assert tail.headers["Content-Range"] == f"bytes {len(data) - 10}-{len(data) - 1}/{len(data)}"
    assert tail.data == data[-10:]

    outside = browser.get(
        f"/media/recordings/{recording_id}/video", headers={"Range": f"bytes={len(data) + 5}-"}
    )
    assert outside.status_code == 416


DOWNLOADS = [
    ("srt", "application/x-subrip", "attachment; filename=recording-{id}.srt"),
    ("vtt", "text/vtt", "inline"),
    ("txt", "text/plain", "attachment; filename=recording-{id}.txt"),
    ("json", "application/json", "attachment; filename=recording-{id}.json"),
]


def test_merchant_downloads_transcript_in_each_format(app, client_as, merchant, transcribed):
    texts = [s.text for s in sentences_of(app, transcribed)]
    browser = client_as(merchant)
    for fmt, mimetype, disposition in DOWNLOADS:
        response = browser.get(f"/media/recordings/{transcribed}/transcript.{fmt}")
        assert response.status_code == 200
        assert response.mimetype == mimetype
        assert response.headers["Content-Disposition"] == disposition.format(id=transcribed)
        body = response.text
        if fmt == "json":
            assert [s["text"] for s in json.loads(body)["sentences"]] == texts
        elif fmt == "txt":
            assert body.splitlines() == texts
        else:
            assert body.count(" --> ") == len(texts)
            assert body.startswith("WEBVTT\n\n" if fmt == "vtt" else "1\n")
            for text in texts:
                assert text in body


def test_transcript_download_before_transcription_is_404(
    app, client_as, merchant, merchant_org, speech_video
):
    recording_id = ingest(app, merchant_org, speech_video)
    response = client_as(merchant).get(f"/media/recordings/{recording_id}/transcript.srt")
    assert response.status_code == 404


def test_merchant_corrects_a_sentence_with_htmx(app, client_as, merchant, transcribed):
    browser = client_as(merchant)
    first = sentences_of(app, transcribed)[0]
    url = f"/media/recordings/{transcribed}/sentences/{first.id}"

    form = browser.get(f"{url}?edit=1", headers=HTMX)
    assert form.status_code == 200
    assert form.text.lstrip().startswith(f'<li id="sentence-{first.id}"')
    assert "<html" not in form.text
    assert 'class="sentence-form"' in form.text
    assert f'hx-post="{url}"' in form.text
    assert f">{first.text}</textarea>" in form.text

    saved = browser.post(
        url, data={"text": "  Welcome to the   jadeite live stream. "}, headers=HTMX
    )
    assert saved.status_code == 200
    assert saved.text.lstrip().startswith(f'<li id="sentence-{first.id}"')
    assert 'class="sentence-form"' not in saved.text
    assert "Welcome to the jadeite live stream." in saved.text
    assert ">edited</span>" in saved.text
    with app.app_context():
        sentence = db.session.get(Sentence, first.id)
        assert sentence.text == first.text  # what was recognised is kept
        assert sentence.edited_text == "Welcome to the jadeite live stream."
        edits = db.session.scalars(select(SentenceEdit)).all()
        assert [(e.sentence_id, e.user_id, e.old_text, e.new_text) for e in edits] == [
            (first.id, merchant.id, first.text, "Welcome to the jadeite live stream.")
        ]
    txt = browser.get(f"/media/recordings/{transcribed}/transcript.txt").text
    assert txt.splitlines()[0] == "Welcome to the jadeite live stream."

    empty = browser.post(url, data={"text": "   "}, headers=HTMX)
    assert empty.status_code == 200
    assert 'class="sentence-form"' in empty.text
    assert 'role="alert"' in empty.text
    assert count(app, SentenceEdit) == 1
    with app.app_context():
        assert db.session.get(Sentence, first.id).edited_text == (
            "Welcome to the jadeite live stream."
        )

    full_page = browser.get(url)
    assert "<html" in full_page.text
    assert "Welcome to the jadeite live stream." in full_page.text


@pytest.mark.parametrize("extra_config", [{"JOB_MAX_ATTEMPTS": 2}])
def test_merchant_cancels_queued_job_and_retries_failed_one(
    app, client_as, merchant, merchant_org, speech_video
):
    browser = client_as(merchant)
    recording_id = ingest(app, merchant_org, speech_video)

    cancelled = browser.post(f"/media/recordings/{recording_id}/cancel")
    assert cancelled.status_code == 302
    job = load_job(app, recording_id)
    assert (job.state, job.cancel_requested) == (JobState.CANCELLED, True)
    assert job.finished_at is not None
    assert run_jobs(app) == []  # a cancelled job is not run
    page = browser.get(f"/media/recordings/{recording_id}").text
    assert "Processing was cancelled." in page
    assert f'action="/media/recordings/{recording_id}/retry"' in page
    assert not polls_status(page, recording_id)

    # Retried, the job fails twice because the source file went missing on storage.
    source = recording_files(app)[0]
    hidden = source.rename(source.with_name("hidden"))
    assert browser.post(f"/media/recordings/{recording_id}/retry").status_code == 302
    run_jobs(app)
    job = load_job(app, recording_id)
    assert (job.state, job.attempts) == (JobState.FAILED, 2)
    assert "FileNotFoundError" in job.error
    page = browser.get(f"/media/recordings/{recording_id}").text
    assert "Processing failed:" in page
    assert "Try again" in page

    hidden.rename(source)
    assert browser.post(f"/media/recordings/{recording_id}/retry").status_code == 302
    job = load_job(app, recording_id)
    assert (job.state, job.attempts, job.error, job.progress, job.step) == (
        JobState.QUEUED, 0, "", 0, "",
    )  # fmt: skip
    assert not job.cancel_requested
    run_jobs(app)
    job = load_job(app, recording_id)
    assert (job.state, job.attempts) == (JobState.SUCCEEDED, 1)
    assert sentences_of(app, recording_id)

    again = browser.post(f"/media/recordings/{recording_id}/cancel")
    assert again.status_code == 409
    assert "Only a queued or running job can be cancelled." in again.text
    assert load_job(app, recording_id).state == JobState.SUCCEEDED


def recording_urls(recording_id: int, sentence_id: int) -> list[tuple[str, str]]:
    base = f"/media/recordings/{recording_id}"
    return [
        ("get", base),
        ("get", f"{base}/status"),
        ("get", f"{base}/status?polling=1"),
        ("get", f"{base}/video"),
        ("get", f"{base}/transcript.srt"),
        ("get", f"{base}/transcript.vtt"),
        ("get", f"{base}/transcript.txt"),
        ("get", f"{base}/transcript.json"),
        ("get", f"{base}/transcript?from=0&to=300"),
        ("get", f"{base}/transcript/jump?at=0:01"),
        ("get", f"{base}/transcript/find?q=jade"),
        ("get", f"{base}/sentences/{sentence_id}"),
        ("get", f"{base}/sentences/{sentence_id}?edit=1"),
        ("post", f"{base}/sentences/{sentence_id}"),
        ("post", f"{base}/cancel"),
        ("post", f"{base}/retry"),
        ("post", f"{base}/delete"),
    ]


def test_outsiders_reach_no_recording_route(
    app, client, client_as, make_org, make_user, streamer, transcribed
):
    sentence = sentences_of(app, transcribed)[0]
    urls = recording_urls(transcribed, sentence.id)
    other_merchant = client_as(make_user(Role.MERCHANT, make_org()))
    for method, url in urls:
        response = getattr(other_merchant, method)(url, data={"text": "taken over"})
        assert response.status_code == 404, (method, url)
    assert "Jade stream" not in other_merchant.get("/media/recordings/").text

    urls.append(("get", "/media/recordings/"))
    as_streamer = client_as(streamer)
    for method, url in urls:
        assert getattr(as_streamer, method)(url).status_code == 403, (method, url)
    for method, url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 302, (method, url)
        assert response.location.startswith("/auth/login")

    assert sentences_of(app, transcribed)[0].shown_text == sentence.text
    assert count(app, SentenceEdit) == 0
    assert load_job(app, transcribed).state == JobState.SUCCEEDED


def test_status_of_a_failed_job_does_not_poll(app, client_as, merchant, merchant_org, speech_video):
    recording_id = ingest(app, merchant_org, speech_video)
    source = recording_files(app)[0]
    source.write_text("overwritten by a broken storage sync\n" * 20)
    run_jobs(app)
    job = load_job(app, recording_id)
    # A file that no longer probes is a permanent failure: no retries.
    assert (job.state, job.attempts) == (JobState.FAILED, 1)
    assert "The file is text, not a video." in job.error
    partial = client_as(merchant).get(
        f"/media/recordings/{recording_id}/status?polling=1", headers=HTMX
    )
    assert partial.headers["HX-Refresh"] == "true"
    assert "Processing failed:" in partial.text
    assert "The file is text, not a video." in partial.text


def alert_text(html: str, css_class: str) -> str:
    """The text of the first ``<p class="{css_class}" role="alert">`` of a page."""
    found = re.search(rf'<p class="{css_class}" role="alert">(.*?)</p>', html, re.S)
    assert found, f"no {css_class} alert in the page"
    return " ".join(found.group(1).split())


def test_failed_transcription_reads_wholly_in_each_merchants_language(
    app, client_as, make_user, merchant_org, speech_video
):
    recording_id = ingest(app, merchant_org, speech_video)
    recording_files(app)[0].write_text("overwritten by a broken storage sync\n" * 20)
    run_jobs(app)  # the worker's language is English
    assert load_job(app, recording_id).state == JobState.FAILED

    def failure_as(locale: str) -> str:
        browser = client_as(make_user(Role.MERCHANT, merchant_org, locale=locale))
        page = browser.get(f"/media/recordings/{recording_id}").text
        return alert_text(page, "flash flash-error")

    assert failure_as("en") == "Processing failed: The file is text, not a video."
    chinese = failure_as("zh_CN")
    assert chinese == "处理失败：文件是文本，不是视频。"
    assert not re.search("[A-Za-z]", chinese)


def test_chinese_merchant_reads_an_upload_refusal_wholly_in_chinese(
    app, client_as, make_user, merchant_org
):
    browser = client_as(make_user(Role.MERCHANT, merchant_org, locale="zh_CN"))
    notes = b"These are my notes about the stream, not a video.\n" * 40
    upload_id = tus_upload(browser, notes, "notes.mp4")

    response = browser.post(
        "/media/recordings/", data={"upload_id": upload_id, "title": "直播", "language": "zh"}
    )

    assert response.status_code == 200
    refusal = alert_text(response.text, "error")
    assert refusal == "该文件不是视频。（文件是文本，不是视频。）"
    assert not re.search("[A-Za-z]", refusal)
    assert count(app, Recording) == 0
