"""A streamer on a phone opens a lesson, takes its quiz, passes it and reads the feedback."""

from __future__ import annotations

from pathlib import Path

import pytest

from courses.models import Course
from portal.extensions import db
from tests.conftest import TEST_PASSWORD
from tests.support.pages import Visit

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots")


def test_streamer_passes_a_quiz_on_a_phone_and_sees_the_feedback(
    app, live_server, browser, make_course, streamer
):
    course_id = make_course(lessons=("竖屏构图",), quiz_on=(0,))
    with app.app_context():
        lesson_id = db.session.get(Course, course_id).modules[0].lessons[0].id
    visit = Visit(browser, live_server, "quiz", viewport="phone", locale="en")
    page = visit.page
    try:
        visit.sign_in(streamer.email, TEST_PASSWORD)
        visit.goto(f"/courses/lessons/{lesson_id}")
        panel = page.locator("#quiz-panel")
        assert "pass mark 60%" in panel.inner_text()
        panel.get_by_role("link", name="Take the quiz").click()
        page.wait_for_url(f"**/courses/lessons/{lesson_id}/quiz")

        # Submitting with the second question unanswered keeps the choice and asks for it.
        page.get_by_label("竖屏 9:16").check()
        page.get_by_role("button", name="Submit answers").click()
        assert page.get_by_text("Answer this question.").is_visible()
        assert page.get_by_label("竖屏 9:16").is_checked()
        visit.check("sheet-error")

        page.get_by_label("最").check()
        page.get_by_label("第一").check()
        page.screenshot(path=str(SHOTS / "quiz-sheet-phone.png"), full_page=True)
        page.get_by_role("button", name="Submit answers").click()
        page.wait_for_url("**/courses/quizzes/attempts/*")

        score = page.locator("#quiz-score")
        assert "100%" in score.inner_text()
        assert "Passed" in score.inner_text()
        assert page.locator(".quiz-feedback-item.is-correct").count() == 2
        assert page.get_by_text("手机竖屏观看。").is_visible()  # the explanation
        visit.check("result")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "quiz-result-phone.png"), full_page=True)

        page.get_by_role("link", name="Back to the lesson").first.click()
        page.wait_for_url(f"**/courses/lessons/{lesson_id}")
        assert "Best score: 100%" in page.locator("#quiz-panel").inner_text()
        page.locator("#quiz-panel").screenshot(path=str(SHOTS / "quiz-panel-phone.png"))
    finally:
        visit.close()


def test_trainer_adds_a_true_false_question_on_a_phone(
    app, live_server, browser, make_course, trainer
):
    course_id = make_course(lessons=("合规用语",), quiz_on=(0,))
    with app.app_context():
        lesson = db.session.get(Course, course_id).modules[0].lessons[0]
        lesson_id, quiz_id = lesson.id, lesson.quiz.id
    visit = Visit(browser, live_server, "quiz-authoring", viewport="phone", locale="en")
    page = visit.page
    try:
        visit.sign_in(trainer.email, TEST_PASSWORD)
        visit.goto(f"/courses/manage/quizzes/{quiz_id}/questions/new")
        assert page.locator("#choice-rows").is_visible()
        assert not page.locator("#true-false-answer").is_visible()
        page.get_by_label("Kind").select_option("true_false")
        assert not page.locator("#choice-rows").is_visible()
        page.get_by_label("Question").fill("直播时可以说“全网最低价”。")
        page.locator("#true-false-answer").get_by_label("False").check()
        page.get_by_label("Explanation").fill("“最低价”是绝对化用语。")
        visit.check("question")
        page.get_by_role("button", name="Save question").click()
        page.wait_for_url(f"**/courses/manage/lessons/{lesson_id}/quiz")
        item = page.locator(".quiz-edit-item").nth(2)
        assert "True or false" in item.inner_text()
        assert "✓ False" in item.inner_text()
        visit.check("quiz")
    finally:
        visit.close()
