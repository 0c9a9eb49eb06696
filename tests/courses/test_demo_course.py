"""The demo starter course: ``flask beltcast demo-data`` builds it once, with videos and quizzes.

Test apps make lesson videos only when asked (``DEMO_COURSE_VIDEOS``); they are cached in the
temporary directory, so only the first run on a machine makes them (about 30 s of CPU).
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from sqlalchemy import func, select

from courses import demo
from courses.covers import cover_path
from courses.models import Course, CourseStatus, Lesson, QuestionKind, Quiz, QuizAttempt
from media.recordings.models import Recording
from media.recordings.services import source_path
from portal.extensions import db
from portal.jobs.models import Job
from tests.portal.helpers import in_english
from tests.support.mediagen import ffmpeg_binary

LESSON_TITLES = ["拍摄与布光", "收音", "竖屏构图", "讲解一件翡翠", "剪辑与字幕", "合规用语"]


@pytest.fixture
def app_config():
    return {"DEMO_COURSE_VIDEOS": True}


@pytest.fixture
def loaded(runner):
    result = runner.invoke(args=["beltcast", "demo-data"])
    assert result.exit_code == 0, result.output
    return result.output


def _course(app):
    course = db.session.scalars(select(Course).where(Course.title == demo.COURSE_TITLE)).one()
    return course, [lesson for module in course.modules for lesson in module.lessons]


def _probe(path):
    """Return the stream kinds and the duration of a media file."""
    ffprobe = shutil.which("ffprobe")
    if ffprobe is None:
        pytest.skip("ffprobe is not installed")
    out = subprocess.run(
        [ffprobe, "-v", "error", "-show_entries", "stream=codec_type:format=duration",
         "-of", "default=nw=1", str(path)],
        capture_output=True, text=True, check=True, timeout=60,
    ).stdout  # fmt: skip
    fields = [line.partition("=") for line in out.splitlines()]
    kinds = {value for key, _, value in fields if key == "codec_type"}
    duration = next(float(value) for key, _, value in fields if key == "duration")
    return kinds, duration


def test_operator_demo_data_builds_the_starter_course_once(app, runner, loaded):
    assert f"course {demo.COURSE_TITLE} created" in loaded
    assert loaded.count("lesson video") == 6

    with app.app_context():
        course, lessons = _course(app)
        assert course.status == CourseStatus.PUBLISHED
        assert course.level == "beginner"
        assert 2 <= len(course.modules) <= 3
        assert [lesson.title for lesson in lessons] == LESSON_TITLES
        for lesson in lessons:
            assert 150 <= len(lesson.notes_md) <= 400, lesson.title
            assert lesson.notes_md.startswith("## ")
        quizzes = [lesson.quiz for lesson in lessons if lesson.quiz is not None]
        assert len(quizzes) == 5
        practice = [lesson.title for lesson in lessons if lesson.has_practice]
        assert practice == ["讲解一件翡翠"]
        assert "60 秒" in lessons[3].practice_prompt
        assert course.cover_name
        assert cover_path(course.cover_name).is_file()
        counts = {model.__name__: db.session.scalar(select(func.count()).select_from(model))
                  for model in (Course, Lesson, Quiz, Recording, Job)}  # fmt: skip

    second = runner.invoke(args=["beltcast", "demo-data"])
    assert second.exit_code == 0, second.output
    assert "demo data already present" in second.output
    with app.app_context():
        assert counts == {
            model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (Course, Lesson, Quiz, Recording, Job)
        }


def test_demo_quizzes_are_valid_and_mix_kinds(app, loaded):
    with app.app_context():
        _course_row, lessons = _course(app)
        for lesson in lessons:
            if lesson.quiz is None:
                continue
            questions = lesson.quiz.questions
            assert 3 <= len(questions) <= 4, lesson.title
            assert len({q.kind for q in questions}) >= 2, lesson.title
            for question in questions:
                correct = [c for c in question.choices if c.is_correct]
                assert question.explanation, question.prompt
                assert len(question.choices) >= 2
                if question.kind == QuestionKind.TRUE_FALSE:
                    assert [c.text for c in question.choices] == ["对", "错"]
                if question.kind != QuestionKind.MULTIPLE:
                    assert len(correct) == 1, question.prompt
                else:
                    assert correct, question.prompt


def test_every_demo_lesson_has_a_queued_video_of_20_to_40_seconds(app, loaded):
    with app.app_context():
        _course_row, lessons = _course(app)
        for lesson in lessons:
            recording = db.session.get(Recording, lesson.recording_id)
            assert recording is not None, lesson.title
            assert 20 <= recording.duration_s <= 41, (lesson.title, recording.duration_s)
            assert (recording.width, recording.height) == (640, 360)
            assert recording.audio_codec == "aac"
            assert source_path(recording).is_file()
        jobs = db.session.scalars(select(Job)).all()
        assert len(jobs) >= 6  # one transcription per lesson video


def test_a_missing_video_is_filled_in_from_the_cache(app, runner, loaded):
    with app.app_context():
        _course_row, lessons = _course(app)
        lessons[1].recording_id = None
        db.session.commit()
    result = runner.invoke(args=["beltcast", "demo-data"])
    assert "lesson video 2 收音 added (cached)" in result.output
    with app.app_context():
        assert _course(app)[1][1].recording_id is not None


def test_streamer_passes_a_demo_quiz_with_the_right_answers(app, loaded, client_as, streamer):
    with app.app_context():
        lesson = _course(app)[1][-1]
        quiz = lesson.quiz
        data = {"quiz_id": str(quiz.id)} | {
            f"q{q.id}": [c.id for c in q.choices if c.is_correct] for q in quiz.questions
        }
        lesson_id = lesson.id
    browser = in_english(client_as(streamer))
    response = browser.post(f"/courses/lessons/{lesson_id}/quiz", data=data)
    assert response.status_code == 302
    with app.app_context():
        attempt = db.session.scalars(select(QuizAttempt)).one()
        assert (attempt.score_percent, attempt.passed) == (100, True)


def test_without_espeak_the_lesson_video_has_a_tone(app, tmp_path, monkeypatch):
    tools = tmp_path / "bin"
    tools.mkdir()
    for name in ("fc-match",):
        if shutil.which(name):
            (tools / name).symlink_to(shutil.which(name))
    (tools / "ffmpeg").symlink_to(ffmpeg_binary())
    monkeypatch.setenv("PATH", str(tools))
    assert shutil.which("espeak-ng") is None
    with app.test_request_context():
        spoken = demo.make_lesson_video(1, demo.LESSONS[0], tmp_path / "tone.mp4")
    monkeypatch.setenv("PATH", os.defpath)
    assert spoken is False
    kinds, duration = _probe(tmp_path / "tone.mp4")
    assert kinds == {"video", "audio"}
    assert duration == pytest.approx(demo.TONE_VIDEO_S, abs=0.5)


@pytest.mark.parametrize("app_config", [{}])
def test_test_apps_get_the_demo_course_without_videos_unless_asked(app, runner, app_config):
    result = runner.invoke(args=["beltcast", "demo-data"])
    assert result.exit_code == 0, result.output
    assert "lesson video" not in result.output
    with app.app_context():
        _course_row, lessons = _course(app)
        assert len(lessons) == 6
        assert all(lesson.recording_id is None for lesson in lessons)
        assert db.session.scalar(select(func.count()).select_from(Job)) == 0
