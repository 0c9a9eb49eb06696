"""The demo starter course: ``flask beltcast demo-data`` builds it once, with videos and quizzes.

Test apps make lesson videos only when asked (``DEMO_COURSE_VIDEOS``); they are cached in the
temporary directory, so only the first run on a machine makes them (about 30 s of CPU). Each video
speaks its lesson's Mandarin narration (``courses/demo_narration``); one is transcribed with the
packaged Whisper model to check that the captions say what the narration says.
"""

from __future__ import annotations

import dataclasses
import shutil
import struct
import subprocess
import unicodedata
import uuid

import pytest
from sqlalchemy import func, select

from courses import demo, videos
from courses.covers import cover_path
from courses.models import Course, CourseStatus, Lesson, QuestionKind, Quiz, QuizAttempt
from media.recordings.models import Recording
from media.recordings.services import source_path
from portal.extensions import db
from portal.jobs.models import Job, JobState
from portal.jobs.queue import queue_of
from portal.jobs.runner import run_queued_jobs
from tests.portal.helpers import in_english

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


def test_every_demo_lesson_has_a_queued_video_as_long_as_its_narration(app, loaded):
    with app.app_context():
        _course_row, lessons = _course(app)
        for lesson, spec in zip(lessons, demo.LESSONS, strict=True):
            recording = db.session.get(Recording, lesson.recording_id)
            assert recording is not None, lesson.title
            expected = demo.LEAD_S + demo.lesson_narration(spec).duration_s + demo.TAIL_S
            assert recording.duration_s == pytest.approx(expected, abs=0.5), lesson.title
            assert (recording.width, recording.height) == (640, 360)
            assert recording.audio_codec == "aac"
            assert source_path(recording).is_file()
        jobs = db.session.scalars(select(Job)).all()
        assert len(jobs) >= 6  # one transcription per lesson video


MISHEARD = ("煮光", "测前方", "揉光箱", "手桌", "费脆")  # what recognition made of the narration


def test_demo_captions_are_the_narration_script_as_spoken(app, runner, loaded, client_as, streamer):
    assert loaded.count("captions written from its narration script") == 6
    with app.app_context():
        _course_row, lessons = _course(app)
        for lesson, spec in zip(lessons, demo.LESSONS, strict=True):
            recording = db.session.get(Recording, lesson.recording_id)
            narration = demo.lesson_narration(spec)
            sentences = videos.sentences(recording)
            assert [s.shown_text for s in sentences] == list(narration.sentences), lesson.title
            for sentence, (start, end) in zip(sentences, narration.times, strict=True):
                assert sentence.start_ms / 1000 == pytest.approx(demo.LEAD_S + start, abs=0.01)
                assert sentence.end_ms / 1000 == pytest.approx(demo.LEAD_S + end, abs=0.01)
            assert videos.processing_job(recording).state == JobState.CANCELLED  # not replaced
            assert not videos.is_processing(recording)
        first_id = lessons[0].id
    browser = in_english(client_as(streamer))
    vtt = browser.get(f"/courses/lessons/{first_id}/captions.vtt").text
    assert "主光放在侧前方四十五度，用柔光箱把光打柔" in vtt
    found = browser.get("/search", query_string={"q": "柔光箱"}).text
    assert f"/courses/lessons/{first_id}" in found
    for text in (vtt, browser.get(f"/courses/lessons/{first_id}").text):
        assert not any(word in text for word in MISHEARD)
    again = runner.invoke(args=["beltcast", "demo-data"])
    assert "captions written" not in again.output  # already the script: left alone


def _opus_input_rate(path):
    """The input sample rate in an Ogg Opus file's header (decoders always report 48 kHz)."""
    data = path.read_bytes()
    head = data.index(b"OpusHead")
    return struct.unpack_from("<I", data, head + 12)[0]


def test_every_demo_lesson_has_a_short_mandarin_narration():
    keys = [spec.narration for spec in demo.LESSONS]
    assert len(set(keys)) == len(keys)
    total_bytes = 0
    for spec in demo.LESSONS:
        narration = demo.lesson_narration(spec)
        assert narration is not None, spec.title
        assert 3 <= len(narration.sentences) <= 5, spec.title
        assert 15 <= narration.duration_s <= 30, (spec.title, narration.duration_s)
        assert narration.path.parent == demo.NARRATION_DIR
        kinds, duration = _probe(narration.path)
        assert kinds == {"audio"}
        assert duration == pytest.approx(narration.duration_s, abs=0.1)
        assert _opus_input_rate(narration.path) == 16_000
        total_bytes += narration.path.stat().st_size
    assert total_bytes < 1_000_000
    compliance = demo.lesson_narration(demo.LESSONS[-1]).text
    assert "最" in compliance
    assert "第一" in compliance
    presenting = demo.lesson_narration(demo.LESSONS[3]).text
    assert all(word in presenting for word in ("种水", "颜色", "证书"))


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


def test_a_lesson_without_its_narration_file_gets_a_quiet_tone(app, tmp_path):
    spec = dataclasses.replace(demo.LESSONS[0], narration="no-such-narration")
    assert demo.lesson_narration(spec) is None
    with app.test_request_context():
        spoken = demo.make_lesson_video(1, spec, tmp_path / "tone.mp4")
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


def _cer(reference, hypothesis):
    """Character error rate, ignoring punctuation and spaces."""

    def chars(text):
        text = unicodedata.normalize("NFKC", text)
        return [ch for ch in text if unicodedata.category(ch)[0] not in "PSZC"]

    ref, hyp = chars(reference), chars(hypothesis)
    previous = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, start=1):
        current = [i]
        for j, h in enumerate(hyp, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h)))
        previous = current
    return previous[-1] / len(ref)


@pytest.mark.slow
@pytest.mark.parametrize("app_config", [{"QUEUE_NAME": f"test-demo-{uuid.uuid4().hex[:12]}"}])
def test_a_demo_lesson_video_is_captioned_with_what_its_narration_says(
    app, app_config, whisper_model_dir, capsys
):
    app.config["WHISPER_MODEL"] = str(whisper_model_dir)
    number, spec = len(demo.LESSONS), demo.LESSONS[-1]  # 合规用语
    narration = demo.lesson_narration(spec)
    with app.app_context():
        path, _how = demo.cached_lesson_video(number, spec)
        recording_id = videos.add_video_from_file(None, path, spec.title, "zh").id
        try:
            assert len(run_queued_jobs()) == 1
        finally:
            queue_of(app).huey.flush()
        recording = db.session.get(Recording, recording_id)
        assert videos.processing_job(recording).state == JobState.SUCCEEDED
        assert videos.captions_language(recording) == "zh"
        sentences = videos.sentences(recording)
        text = "".join(sentence.text for sentence in sentences)
        assert "WEBVTT" in videos.captions_vtt(recording)
    cer = _cer(narration.text, text)
    with capsys.disabled():
        print(f"\ndemo lesson {spec.title} captions: {text}\nCER against the narration: {cer:.3f}")
    assert cer < 0.35
    assert sentences[0].start_ms / 1000 >= demo.LEAD_S - 0.5
    assert sentences[-1].end_ms / 1000 <= demo.LEAD_S + narration.duration_s + 1.0
