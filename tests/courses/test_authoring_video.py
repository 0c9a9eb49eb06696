"""Lesson videos in authoring: upload through the real tus endpoints, processing status,
failures with their reason, and caption corrections on the transcribed video."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from courses.models import Course, Lesson
from courses.signals import course_changed
from media.recordings.models import Recording
from media.transcription.model import prepare_packaged_model
from media.uploads.models import Upload
from portal.audit.models import AuditEvent
from portal.extensions import db
from portal.jobs.models import Job
from portal.jobs.queue import queue_of
from portal.jobs.runner import run_queued_jobs
from portal.organisations.models import BASE_ORG_SLUG, Organisation
from tests.support.mediagen import make_english_speech, make_test_video, make_video_with_audio
from tests.support.uploads import tus_upload

HTMX = {"HX-Request": "true"}
SPEECH = "Welcome to the lesson. Good light makes the jade bangle shine. Thank you for watching."


@pytest.fixture(scope="session")
def lesson_video_file(tmp_path_factory) -> Path:
    """A two-second test pattern with a tone."""
    return make_test_video(tmp_path_factory.mktemp("lesson-video") / "lesson.mp4", size="160x120")


@pytest.fixture(scope="session")
def speech_video_file(tmp_path_factory) -> Path:
    """A few seconds of espeak-ng English over a test pattern."""
    folder = tmp_path_factory.mktemp("lesson-speech")
    spoken = make_english_speech(SPEECH, folder / "speech.wav")
    return make_video_with_audio(spoken, folder / "speech.mp4", size="160x120", rate=10)


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory) -> Path:
    return prepare_packaged_model(tmp_path_factory.mktemp("models"))


@pytest.fixture
def whisper_model() -> str:
    """The WHISPER_MODEL setting (tests that transcribe override it with ``model_dir``)."""
    return "/nonexistent/whisper-model"


@pytest.fixture
def app_config(whisper_model):
    return {
        "BABEL_DEFAULT_LOCALE": "en",
        "QUEUE_NAME": f"test-authoring-{uuid.uuid4().hex[:12]}",
        "WHISPER_MODEL": whisper_model,
    }


@pytest.fixture(autouse=True)
def _flush_queue(app):
    yield
    queue_of(app).huey.flush()


@pytest.fixture
def staff(client_as, trainer):
    return client_as(trainer)


@pytest.fixture
def lesson_id(app, make_course) -> int:
    course_id = make_course(lessons=("拍摄与布光",), published=False)
    with app.app_context():
        return db.session.get(Course, course_id).modules[0].lessons[0].id


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model)) or 0


def lesson_recording(app, lesson_id) -> Recording | None:
    with app.app_context():
        lesson = db.session.get(Lesson, lesson_id)
        recording = db.session.get(Recording, lesson.recording_id) if lesson.recording_id else None
        if recording is not None:
            db.session.expunge(recording)
        return recording


def run_jobs(app) -> list[int]:
    with app.app_context():
        return run_queued_jobs()


def polls(html: str, lesson_id: int) -> bool:
    return (
        f'hx-get="/courses/manage/lessons/{lesson_id}/video/status?polling=1"' in html
        and 'hx-trigger="every 2s"' in html
    )


def add_video(staff, lesson_id, path: Path, language: str = "en"):
    upload_id = tus_upload(staff, path.read_bytes(), "lesson.mp4")
    return staff.post(
        f"/courses/manage/lessons/{lesson_id}/video",
        data={"upload_id": upload_id, "language": language},
    )


def video_files(app) -> list[Path]:
    """Return every stored recording file (course videos are recordings of the base)."""
    folder = Path(app.config["MEDIA_ROOT"]) / "recordings"
    return sorted(path for path in folder.rglob("*") if path.is_file())


def test_replaced_lesson_video_is_deleted_with_its_file_and_job(
    app, staff, lesson_id, lesson_video_file
):
    add_video(staff, lesson_id, lesson_video_file)
    first = lesson_recording(app, lesson_id)
    run_jobs(app)  # fails (no model here): a finished job, so the video can go

    add_video(staff, lesson_id, lesson_video_file)
    second = lesson_recording(app, lesson_id)
    assert second.id != first.id
    assert (count(app, Recording), count(app, Job), len(video_files(app))) == (1, 1, 1)

    add_video(staff, lesson_id, lesson_video_file)  # the second still waits for a worker
    third = lesson_recording(app, lesson_id)
    assert third.id != second.id
    assert (count(app, Recording), count(app, Job), len(video_files(app))) == (1, 1, 1)
    assert video_files(app)[0].name == third.stored_name
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action)).all()
    assert actions.count("recording.deleted") == 2
    assert "job.cancel_requested" in actions


def test_trainer_adds_lesson_video_through_tus_upload(
    app, staff, trainer, lesson_id, lesson_video_file
):
    seen = []
    with course_changed.connected_to(lambda sender, course_id: seen.append(course_id)):
        response = add_video(staff, lesson_id, lesson_video_file)

    assert response.status_code == 302
    assert response.location == f"/courses/manage/lessons/{lesson_id}#video"
    recording = lesson_recording(app, lesson_id)
    assert recording is not None
    assert (recording.title, recording.language, recording.created_by_id) == (
        "拍摄与布光",
        "en",
        trainer.id,
    )
    assert recording.size_bytes == lesson_video_file.stat().st_size
    with app.app_context():
        base = db.session.scalar(select(Organisation).where(Organisation.slug == BASE_ORG_SLUG))
        assert recording.org_id == base.id
        actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "course.lesson_video_added" in actions
    assert count(app, Upload) == 0
    assert count(app, Job) == 1
    assert len(seen) == 1

    page = staff.get(f"/courses/manage/lessons/{lesson_id}")
    assert "Video added. Transcription has started." in page.text
    assert polls(page.text, lesson_id)
    assert "Waiting for a worker" in page.text
    partial = staff.get(f"/courses/manage/lessons/{lesson_id}/video/status?polling=1", headers=HTMX)
    assert partial.status_code == 200
    assert '<div id="lesson-video-status"' in partial.text
    assert "<html" not in partial.text
    assert "HX-Refresh" not in partial.headers
    outline = staff.get(f"/courses/manage/{_course_id(app, lesson_id)}").text
    assert ">video<" in outline


def _course_id(app, lesson_id) -> int:
    with app.app_context():
        return db.session.get(Lesson, lesson_id).module.course_id


def test_refused_video_shows_reason_in_place_and_leaves_nothing(app, staff, lesson_id):
    upload_id = tus_upload(staff, b"Lesson notes, not a video.\n" * 40, "notes.mp4")
    response = staff.post(
        f"/courses/manage/lessons/{lesson_id}/video",
        data={"upload_id": upload_id, "language": "zh"},
    )
    assert response.status_code == 200
    assert "This file is not a video." in response.text
    assert 'id="video-form"' in response.text
    assert count(app, Recording) == 0
    assert count(app, Upload) == 0
    assert lesson_recording(app, lesson_id) is None


def test_video_form_without_upload_or_with_foreign_upload(
    app, staff, client_as, make_user, lesson_id
):
    missing = staff.post(
        f"/courses/manage/lessons/{lesson_id}/video", data={"upload_id": "", "language": "en"}
    )
    assert "Choose a video file and wait for the upload to finish." in missing.text
    other = client_as(make_user("trainer"))
    foreign = tus_upload(other, b"x" * 100)
    response = staff.post(
        f"/courses/manage/lessons/{lesson_id}/video",
        data={"upload_id": foreign, "language": "en"},
    )
    assert response.status_code == 404
    assert count(app, Recording) == 0


def test_failed_processing_shows_its_reason(app, staff, lesson_id, lesson_video_file):
    add_video(staff, lesson_id, lesson_video_file)
    run_jobs(app)

    finished = staff.get(
        f"/courses/manage/lessons/{lesson_id}/video/status?polling=1", headers=HTMX
    )
    assert finished.headers["HX-Refresh"] == "true"
    assert not polls(finished.text, lesson_id)
    page = staff.get(f"/courses/manage/lessons/{lesson_id}").text
    assert "Processing failed:" in page
    assert "An unexpected error happened. The base staff can see the details." in page


@pytest.mark.slow
def test_transcribed_video_lists_captions_that_trainer_corrects_in_place(
    app, staff, lesson_id, speech_video_file, model_dir
):
    app.config["WHISPER_MODEL"] = str(model_dir)
    add_video(staff, lesson_id, speech_video_file)
    run_jobs(app)
    recording = lesson_recording(app, lesson_id)

    page = staff.get(f"/courses/manage/lessons/{lesson_id}").text
    assert 'id="lesson-player"' in page
    assert f'src="/courses/manage/lessons/{lesson_id}/video/captions.vtt"' in page
    sentence_ids = [int(n) for n in re.findall(r'<li id="caption-(\d+)"', page)]
    assert sentence_ids, page
    assert "jade" in page.lower()
    vtt = staff.get(f"/courses/manage/lessons/{lesson_id}/video/captions.vtt")
    assert vtt.text.startswith("WEBVTT")
    video = staff.get(
        f"/courses/manage/lessons/{lesson_id}/video/file", headers={"Range": "bytes=0-99"}
    )
    assert video.status_code == 206
    assert recording.duration_s > 3

    url = f"/courses/manage/lessons/{lesson_id}/captions/{sentence_ids[0]}"
    form = staff.get(f"{url}?edit=1", headers=HTMX)
    assert form.text.startswith(f'<li id="caption-{sentence_ids[0]}"')
    assert "<textarea" in form.text
    empty = staff.post(url, data={"text": "  "}, headers=HTMX)
    assert empty.status_code == 200
    assert 'class="error"' in empty.text
    seen = []
    with course_changed.connected_to(lambda sender, course_id: seen.append(course_id)):
        saved = staff.post(url, data={"text": "Welcome to the jadeite lesson."}, headers=HTMX)
    assert saved.status_code == 200
    assert "Welcome to the jadeite lesson." in saved.text
    assert ">edited<" in saved.text
    assert "<textarea" not in saved.text
    assert seen == [_course_id(app, lesson_id)]
    assert (
        "Welcome to the jadeite lesson."
        in staff.get(f"/courses/manage/lessons/{lesson_id}/video/captions.vtt").text
    )
    assert staff.get(f"/courses/manage/lessons/{lesson_id}/captions/999999").status_code == 404
