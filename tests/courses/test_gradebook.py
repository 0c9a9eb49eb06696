"""The trainer's gradebook: learners × lessons, quizzes and practice, as a page and a CSV file."""

from __future__ import annotations

from datetime import timedelta

import pytest

from courses.models import (
    Course,
    Enrolment,
    LessonProgress,
    PracticeState,
    PracticeSubmission,
    QuizAttempt,
)
from portal.auth.models import Role
from portal.database import utcnow
from portal.extensions import db
from portal.spreadsheets import read_csv
from tests.portal.helpers import in_english

FORMULA_NAME = '=HYPERLINK("http://evil.example","点我")'


@pytest.fixture
def book(app, make_course, make_user):
    """Two learners in a course whose first lesson has a quiz and second one a practice."""
    course_id = make_course(lessons=("竖屏构图", "讲解一件翡翠"), quiz_on=(0,), practice_on=(1,))
    keen = make_user(Role.STREAMER, name="王小明", email="wang@example.com")
    idle = make_user(Role.STREAMER, name=FORMULA_NAME, email="idle@example.com")
    with app.app_context():
        course = db.session.get(Course, course_id)
        first, second = course.modules[0].lessons
        quiz_id, now = first.quiz.id, utcnow()
        db.session.add_all([
            Enrolment(user_id=keen.id, course_id=course_id, enrolled_at=now - timedelta(days=2)),
            Enrolment(user_id=idle.id, course_id=course_id, enrolled_at=now - timedelta(days=1)),
            LessonProgress(user_id=keen.id, lesson_id=first.id, completed_at=now),
            LessonProgress(user_id=keen.id, lesson_id=second.id, position_s=3.0),
            QuizAttempt(quiz_id=quiz_id, user_id=keen.id, score_percent=50, passed=False),
            QuizAttempt(quiz_id=quiz_id, user_id=keen.id, score_percent=100, passed=True),
            PracticeSubmission(lesson_id=second.id, user_id=keen.id, state=PracticeState.TRY_AGAIN,
                               created_at=now - timedelta(hours=2)),
            PracticeSubmission(lesson_id=second.id, user_id=keen.id, created_at=now),
        ])  # fmt: skip
        db.session.commit()
    return course_id


def test_trainer_reads_each_learners_lessons_quizzes_and_practice(client_as, trainer, book):
    page = in_english(client_as(trainer)).get(f"/courses/manage/{book}/gradebook")

    assert page.status_code == 200
    html = page.text
    assert "Gradebook: 直播短视频制作入门" in html
    assert (
        html.index("竖屏构图") < html.index("Quiz: 竖屏构图") < html.index("Practice: 讲解一件翡翠")
    )
    rows = html.split("<tbody>")[1].split("</tr>")
    keen, idle = rows[0], rows[1]
    assert "王小明" in keen
    assert "Done" in keen
    assert "In progress" in keen
    assert "Passed</span> 100%" in keen  # the best of 50 % and 100 %
    assert "Waiting for review" in keen  # the newest submission
    assert "<bdi>=HYPERLINK(" in idle
    assert "Not started" in idle
    assert "Not taken" in idle
    assert "Not sent" in idle
    assert f'href="/courses/manage/{book}/gradebook.csv"' in html


def test_gradebook_csv_has_a_line_per_learner_and_keeps_formulas_as_text(client_as, admin, book):
    response = in_english(client_as(admin)).get(f"/courses/manage/{book}/gradebook.csv")

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    header, keen, idle = read_csv(text.lstrip("\ufeff"))
    assert header[:5] == ["Learner", "E-mail", "Enrolled", "Progress (%)", "Completed"]
    assert header[5:] == ["竖屏构图", "Quiz: 竖屏构图", "讲解一件翡翠", "Practice: 讲解一件翡翠"]
    assert keen[0:2] == ["王小明", "wang@example.com"]
    assert keen[5:] == ["Done", "100% · Passed", "In progress", "Waiting for review"]
    assert idle[0] == FORMULA_NAME  # read back as written ...
    assert "\n\"'=HYPERLINK(" in text  # ... because the file holds it as text


def test_gradebook_of_a_course_without_learners_says_so(client_as, trainer, make_course):
    course_id = make_course()
    page = in_english(client_as(trainer)).get(f"/courses/manage/{course_id}/gradebook").text
    assert "Nobody has enrolled yet." in page


@pytest.mark.parametrize("suffix", ["", ".csv"])
def test_learners_and_merchants_get_403_and_visitors_sign_in(
    client, client_as, streamer, merchant, trainer, book, suffix
):
    url = f"/courses/manage/{book}/gradebook{suffix}"
    assert client_as(streamer).get(url).status_code == 403
    assert client_as(merchant).get(url).status_code == 403
    assert "/auth/login" in client.get(url).headers["Location"]
    assert client_as(trainer).get(f"/courses/manage/999/gradebook{suffix}").status_code == 404


def test_course_page_and_learners_page_link_to_the_gradebook(client_as, trainer, book):
    browser = client_as(trainer)
    for url in (f"/courses/manage/{book}", f"/courses/manage/{book}/learners"):
        assert f'href="/courses/manage/{book}/gradebook"' in browser.get(url).text
