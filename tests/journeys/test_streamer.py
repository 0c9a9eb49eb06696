"""A new streamer takes the demo starter course: watches the first lesson, leaves, resumes where
they stopped, passes the quizzes, uploads a practice video, a trainer passes it with feedback,
the streamer earns the certificate and a visitor verifies it.

The first lesson gets a real video with a transcript; the other lessons are marked done (the
demo course's generated videos are not made in tests). The practice video is really
transcribed (Whisper) by ``run_jobs`` in the test thread.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from courses.completion import course_lessons
from courses.demo import COURSE_TITLE
from courses.models import (
    Certificate,
    Course,
    LessonProgress,
    PracticeSubmission,
    Quiz,
    QuizChoice,
    QuizQuestion,
)
from portal.extensions import db
from portal.jobs.models import Job, JobState
from portal.jobs.queue import queue_of
from tests.browser.conftest import transcribing_config
from tests.courses.helpers import give_lesson_video
from tests.journeys.conftest import VIEWS
from tests.media.recordings.helpers import run_jobs
from tests.support.mediagen import make_speech_video, make_test_video
from tests.support.pages import Visit, click_menu_link
from tests.support.player import play_fast, play_until, seek_paused

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LESSON_LINES = [
    (0.0, 4.0, "大家好，今天我们讲直播间的布光。"),
    (4.0, 9.0, "主灯放在主播的侧前方，四十五度。"),
    (9.0, 14.0, "辅灯在另一侧，亮度低一些。"),
    (14.0, 20.0, "最后用背景灯把翡翠的通透感打出来。"),
]
PRACTICE_TALK = (
    "Good evening. This is an ice jadeite bangle. Hold it to the light and the colour is even. "
    "It comes with a certificate. Thank you for watching."
)
COMMENT = "这里手镯离镜头太远，下次拿近一点"
FEEDBACK = "讲解清楚，光线不错。下次把手镯拿近镜头，让观众看清种水。"


@dataclass(frozen=True)
class Starter:
    """The demo starter course as the journey needs it."""

    course_id: int
    lesson_ids: list[int]
    answers: dict[int, list[int]]  # lesson id → the right choice ids of its quiz
    practice_lesson_id: int


@pytest.fixture
def app_config(whisper_model_dir: Path) -> dict[str, str]:
    return transcribing_config(whisper_model_dir)


@pytest.fixture(scope="session")
def lesson_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_test_video(tmp_path_factory.mktemp("lesson") / "布光.mp4", seconds=20.0,
                           size="640x360")  # fmt: skip


@pytest.fixture(scope="session")
def practice_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("practice")
    return make_speech_video(folder / "练习-冰种手镯.mp4", seconds=12.0, size="360x640",
                             text=PRACTICE_TALK)  # fmt: skip


def _give_video(lesson, video: Path) -> None:
    """Attach the video to the lesson with a ready transcript (no transcription job runs)."""
    give_lesson_video(lesson, video, LESSON_LINES)


@pytest.fixture
def starter(app, demo, lesson_video) -> Starter:
    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.title == COURSE_TITLE))
        lessons = course_lessons(course)
        _give_video(lessons[0], lesson_video)
        for job in db.session.scalars(select(Job).where(Job.state == JobState.QUEUED)):
            job.state = JobState.SUCCEEDED  # the transcript is given: skip transcribing it
        db.session.commit()
        answers: dict[int, list[int]] = {}
        for lesson in lessons:
            right = list(
                db.session.scalars(
                    select(QuizChoice.id)
                    .join(QuizQuestion, QuizChoice.question_id == QuizQuestion.id)
                    .join(Quiz, QuizQuestion.quiz_id == Quiz.id)
                    .where(Quiz.lesson_id == lesson.id, QuizChoice.is_correct)
                )
            )
            if right:
                answers[lesson.id] = right
        practice = next(lesson.id for lesson in lessons if lesson.has_practice)
        return Starter(course.id, [lesson.id for lesson in lessons], answers, practice)


def _saved_position(app, lesson_id: int, at_least: float, timeout_s: float = 15) -> float:
    deadline = time.monotonic() + timeout_s
    position = None
    while time.monotonic() < deadline:
        with app.app_context():
            position = db.session.scalar(
                select(LessonProgress.position_s).where(LessonProgress.lesson_id == lesson_id)
            )
            db.session.remove()
        if position is not None and position >= at_least:
            return position
        time.sleep(0.2)
    raise AssertionError(f"no position ≥ {at_least} s was saved (last: {position})")


def _watch_leave_and_resume(streamer: Visit, app, starter: Starter) -> None:
    page = streamer.page
    first = starter.lesson_ids[0]
    page.click(f".lesson-list a[href='/courses/lessons/{first}']")
    page.wait_for_function("() => document.querySelector('#player')?.readyState >= 1")
    play_until(page, 5.0, timeout_ms=30_000)
    page.wait_for_selector("li.sentence.current")
    page.evaluate("document.querySelector('#player').pause()")
    streamer.check("lesson")
    page.click(".breadcrumb a")  # leave: the page saves where the video was
    page.wait_for_url(f"**/courses/{starter.course_id}")
    saved = _saved_position(app, first, at_least=4.5)
    page.reload()
    assert page.locator(".lesson-row.lesson-in_progress").count() == 1
    streamer.check("course-in-progress")

    page.click(f".lesson-list a[href='/courses/lessons/{first}']")
    page.wait_for_selector(".resume-note")
    page.wait_for_function(
        f"() => Math.abs(document.querySelector('#player')?.currentTime - {saved}) < 1.5"
    )
    streamer.check("lesson-resumed")
    play_fast(page)  # watch on from where it is (a seek to the end would not count as watched)
    page.wait_for_selector("[data-lesson-done]:not([hidden])", timeout=30_000)  # watched


def _pass_quiz(streamer: Visit, lesson_id: int, answers: list[int], *, shoot: bool) -> None:
    page = streamer.page
    page.click("#quiz-panel a[href$='/quiz']")
    page.wait_for_url(f"**/courses/lessons/{lesson_id}/quiz")
    for choice_id in answers:
        page.check(f"#quiz-sheet input[value='{choice_id}']")
    if shoot:
        streamer.check("quiz")
    with page.expect_navigation():
        page.click("#quiz-sheet button[type=submit]")
    if shoot:
        streamer.check("quiz-result")
    page.goto(f"{streamer.base_url}/courses/lessons/{lesson_id}")
    assert page.locator("#quiz-panel .quiz-pass").count() == 1


def _send_practice(streamer: Visit, app, video: Path) -> int:
    page = streamer.page
    panel = page.locator("#practice-panel")
    page.set_input_files("#practice_upload_id-file", str(video))
    page.wait_for_function("() => !document.querySelector('#practice-form [data-upload-submit]')"
                           ".disabled")  # fmt: skip
    page.select_option("#practice_language", "en")
    streamer.check("practice-upload")
    panel.locator("button[type=submit]").click()
    page.wait_for_url("**/courses/practice/*")
    streamer.check("practice-sent")
    assert run_jobs(app)  # transcribe the practice video
    # The page polls and reloads itself when processing ends; wait for that reload, or a
    # later goto races it (net::ERR_ABORTED).
    page.wait_for_selector("#player", timeout=30_000)
    return int(page.url.rsplit("/", 1)[1].split("?")[0])


def _take_every_lesson(streamer: Visit, app, starter: Starter, video: Path) -> int:
    page = streamer.page
    submission_id = 0
    for number, lesson_id in enumerate(starter.lesson_ids):
        if number:
            page.goto(f"{streamer.base_url}/courses/lessons/{lesson_id}")
            page.click("form[data-mark-done] button[type=submit]")
            page.wait_for_selector("[data-lesson-done]:not([hidden])")
        if lesson_id in starter.answers:
            _pass_quiz(streamer, lesson_id, starter.answers[lesson_id], shoot=number == 0)
        if lesson_id == starter.practice_lesson_id:
            submission_id = _send_practice(streamer, app, video)
    return submission_id


def _trainer_passes_practice(trainer: Visit, submission_id: int) -> None:
    page = trainer.goto("/courses/practice/queue")
    trainer.check("practice-queue")
    page.click(f"main a[href='/courses/practice/{submission_id}']")
    page.wait_for_url(f"**/courses/practice/{submission_id}")
    seek_paused(page, 3.0)
    page.fill("#body", COMMENT)
    with page.expect_navigation(url=f"**/courses/practice/{submission_id}*"):
        page.click(".comment-form button[type=submit]")
    assert page.locator("#comments .comment .seek").first.inner_text() == "0:03.0"
    page.check("input[name=decision][value=pass]")
    for score in page.locator("input[name^=score_][value='4']").all():
        score.check()
    page.fill("#feedback", FEEDBACK)
    trainer.check("practice-review")
    page.click("#decision button[type=submit]")
    page.wait_for_url("**/courses/practice/queue")


@pytest.mark.parametrize(("viewport", "locale"), VIEWS)
def test_streamer_takes_the_starter_course_and_earns_a_verifiable_certificate(
    app, demo, starter, visit, practice_video, viewport, locale
):
    streamer = visit("streamer", viewport, locale)
    page = streamer.sign_in(demo.emails["streamer"], demo.password)
    click_menu_link(page, "/courses/")
    streamer.check("catalog")
    page.click(f"main a[href='/courses/{starter.course_id}']")
    streamer.check("course")
    page.click("form.enrol-form button")
    page.wait_for_selector(".lesson-list")
    _watch_leave_and_resume(streamer, app, starter)
    submission_id = _take_every_lesson(streamer, app, starter, practice_video)

    trainer = visit("trainer", viewport, locale)
    trainer.sign_in(demo.emails["trainer"], demo.password)
    _trainer_passes_practice(trainer, submission_id)

    page = streamer.goto(f"/courses/practice/{submission_id}")
    assert FEEDBACK in page.inner_text("#decision")
    assert COMMENT in page.inner_text("#comments")
    streamer.check("practice-feedback")
    page = streamer.goto(f"/courses/{starter.course_id}")
    streamer.check("course-complete")
    with app.app_context():
        code = db.session.scalar(select(Certificate.code))
        assert db.session.scalar(select(PracticeSubmission.state)) == "passed"
    page.click(f"main a[href='/courses/certificates/{code}']")
    page.wait_for_url(f"**/courses/certificates/{code}")
    streamer.check("certificate")

    visitor = visit("visitor", viewport, locale)
    page = visitor.goto(f"/verify/{code}")
    assert demo.emails["streamer"] not in page.inner_text("main")
    assert COURSE_TITLE in page.inner_text("main")
    visitor.check("verify-certificate")
    with app.app_context():
        queue_of(app).huey.flush()
        db.session.remove()
