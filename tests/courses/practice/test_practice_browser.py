"""A trainer reviews a practice video in the browser: a comment pinned at the player's current
time (data-pin-time) that seeks the player when clicked, then a pass with a rubric; at a
desktop and on a phone. Screenshots are kept under /tmp/shots.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from courses import videos
from courses.models import Certificate, Course, Enrolment, LessonProgress, PracticeSubmission
from portal.auth.models import User
from portal.database import utcnow
from portal.extensions import db
from portal.jobs.runner import run_queued_jobs
from tests.conftest import TEST_PASSWORD
from tests.support.browser import PHONE, open_page
from tests.support.pages import sign_in
from tests.support.player import seek_paused

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 768}
SHOTS = Path("/tmp/shots")
COMMENT = "这里光线偏暗，手镯的颜色看不清"
CRITERIA = ("lighting", "framing", "sound", "product_knowledge", "compliance")


def _transcribed_submission(app, make_course, streamer, video: Path) -> int:
    """The streamer's practice video, uploaded and transcribed, waiting for a trainer."""
    course_id = make_course(lessons=("讲解一件翡翠",), practice_on=(0,))
    with app.app_context():
        lesson = db.session.get(Course, course_id).modules[0].lessons[0]
        learner = db.session.get(User, streamer.id)
        db.session.add(Enrolment(user_id=learner.id, course_id=course_id))
        db.session.add(
            LessonProgress(user_id=learner.id, lesson_id=lesson.id, completed_at=utcnow())
        )
        recording = videos.add_video_from_file(learner, video, "Practice", "en")
        submission = PracticeSubmission(
            lesson_id=lesson.id, user_id=learner.id, recording_id=recording.id
        )
        db.session.add(submission)
        db.session.commit()
        submission_id = submission.id
        assert run_queued_jobs()
    return submission_id


def _sign_in(browser, live_server, user, viewport):
    page = open_page(browser, viewport, timeout_ms=15_000)
    return sign_in(page, live_server, user.email, TEST_PASSWORD)


def _shoot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"practice-{name}.png"), full_page=True)


@pytest.mark.parametrize(("viewport", "name"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_trainer_comments_at_player_time_and_passes_practice(
    app,
    live_server,
    browser,
    make_course,
    streamer,
    trainer,
    practice_video,
    viewport,
    name,
):
    submission_id = _transcribed_submission(app, make_course, streamer, practice_video)
    page = _sign_in(browser, live_server, trainer, viewport)
    page.goto(f"{live_server}/courses/practice/queue")
    _shoot(page, f"{name}-queue")
    page.click(f"a[href='/courses/practice/{submission_id}']")
    page.wait_for_url(f"{live_server}/courses/practice/{submission_id}")
    assert "lowest price" in page.inner_text("#compliance-hits").lower()
    assert page.locator(".transcript .sentence").count() >= 1

    seek_paused(page, 2.0)
    page.fill("#body", COMMENT)
    page.click(".comment-form button[type=submit]")
    page.wait_for_url(f"{live_server}/courses/practice/{submission_id}*")
    time_button = page.locator("#comments .comment .seek").first
    assert time_button.inner_text() == "0:02.0"
    assert float(time_button.get_attribute("data-seek")) == pytest.approx(2.0, abs=0.05)
    seek_paused(page, 4.5)
    time_button.click()
    page.evaluate("document.querySelector('#player').pause()")
    current = page.evaluate("document.querySelector('#player').currentTime")
    assert current == pytest.approx(2.0, abs=0.5)
    _shoot(page, f"{name}-review")

    page.check("input[name=decision][value=pass]")
    for criterion in CRITERIA:
        page.check(f"input[name=score_{criterion}][value='4']")
    page.fill("#feedback", "Good light next time, otherwise well done.")
    _shoot(page, f"{name}-decision")
    page.click("#decision button[type=submit]")
    page.wait_for_url(f"{live_server}/courses/practice/queue")
    assert "Decision sent" in page.inner_text("main")
    with app.app_context():
        course_id = db.session.get(PracticeSubmission, submission_id).lesson.module.course_id
    page.goto(f"{live_server}/courses/manage/{course_id}/learners")
    assert "100%" in page.inner_text("main")
    _shoot(page, f"{name}-learners")
    assert page.console_errors == []
    page.context.close()

    with app.app_context():
        assert db.session.get(PracticeSubmission, submission_id).state == "passed"
        code = db.session.scalar(select(Certificate.code))
    learner = _sign_in(browser, live_server, streamer, viewport)
    learner.goto(f"{live_server}/courses/practice/{submission_id}")
    assert COMMENT in learner.inner_text("#comments")
    assert "4 / 5" in learner.inner_text("#decision")
    _shoot(learner, f"{name}-learner")
    learner.goto(f"{live_server}/courses/certificates/{code}")
    assert learner.locator(".certificate-qr svg").is_visible()
    _shoot(learner, f"{name}-certificate")
    learner.goto(f"{live_server}/verify/{code}")
    _shoot(learner, f"{name}-verify")
    assert learner.console_errors == []
    learner.context.close()


def test_streamer_uploads_practice_from_the_lesson_page_on_a_phone(
    app, live_server, browser, make_course, streamer, practice_video
):
    course_id = make_course(lessons=("讲解一件翡翠",), practice_on=(0,))
    with app.app_context():
        lesson_id = db.session.get(Course, course_id).modules[0].lessons[0].id
        db.session.add(Enrolment(user_id=streamer.id, course_id=course_id))
        db.session.commit()
    page = _sign_in(browser, live_server, streamer, PHONE)
    page.goto(f"{live_server}/courses/lessons/{lesson_id}")
    panel = page.locator("#practice-panel")
    assert "录一段 60 秒的翡翠手镯介绍。" in panel.inner_text()
    page.set_input_files("#practice_upload_id-file", str(practice_video))
    expect(page.locator("#practice_upload_id")).to_have_value(re.compile(r"^[0-9a-f]{32}$"))
    page.select_option("#practice_language", "en")
    _shoot(page, "phone-lesson-panel")
    panel.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server}/courses/practice/*")
    assert page.locator("#practice-status").is_visible()
    assert "Practice video sent" in page.inner_text("main")
    _shoot(page, "phone-processing")
    assert page.console_errors == []
    with app.app_context():
        submission = db.session.scalar(select(PracticeSubmission))
        assert submission.recording_id is not None
        assert submission.user_id == streamer.id
    page.context.close()
