"""Course completion: lessons, quizzes and practice all count; the certificate is issued once."""

from __future__ import annotations

from sqlalchemy import select

from courses.completion import course_status, refresh_completion
from courses.models import (
    Certificate,
    Course,
    Enrolment,
    LessonProgress,
    PracticeState,
    PracticeSubmission,
    QuizAttempt,
)
from portal.auth.models import User
from portal.database import utcnow
from portal.extensions import db


def _lessons(course):
    return [lesson for module in course.modules for lesson in module.lessons]


def test_certificate_issued_once_when_lessons_quiz_and_practice_are_done(
    app, make_course, streamer
):
    course_id = make_course(quiz_on=(0,), practice_on=(1,))
    with app.app_context():
        course, user = db.session.get(Course, course_id), db.session.get(User, streamer.id)
        first, second = _lessons(course)
        db.session.add(Enrolment(user_id=user.id, course_id=course.id))
        for lesson in (first, second):
            db.session.add(
                LessonProgress(user_id=user.id, lesson_id=lesson.id, completed_at=utcnow())
            )
        db.session.commit()

        assert refresh_completion(user, course) is None
        assert course_status(user, course).percent == 50

        db.session.add(
            QuizAttempt(quiz_id=first.quiz.id, user_id=user.id, score_percent=100, passed=True)
        )
        db.session.add(
            PracticeSubmission(lesson_id=second.id, user_id=user.id, state=PracticeState.PASSED)
        )
        db.session.commit()
        certificate = refresh_completion(user, course)

        assert certificate is not None
        assert certificate.holder_name == user.name
        assert refresh_completion(user, course).code == certificate.code
        assert len(db.session.scalars(select(Certificate)).all()) == 1
        assert db.session.scalar(select(Enrolment)).completed_at is not None


def test_failed_quiz_keeps_course_incomplete(app, make_course, streamer):
    course_id = make_course(lessons=("合规用语",), quiz_on=(0,))
    with app.app_context():
        course, user = db.session.get(Course, course_id), db.session.get(User, streamer.id)
        (lesson,) = _lessons(course)
        db.session.add_all([
            Enrolment(user_id=user.id, course_id=course.id),
            LessonProgress(user_id=user.id, lesson_id=lesson.id, completed_at=utcnow()),
            QuizAttempt(quiz_id=lesson.quiz.id, user_id=user.id, score_percent=50, passed=False),
        ])  # fmt: skip
        db.session.commit()

        assert not course_status(user, course).is_complete
        assert refresh_completion(user, course) is None


def test_quiz_without_questions_is_not_required(app, make_course, streamer):
    course_id = make_course(lessons=("收音",), quiz_on=(0,))
    with app.app_context():
        course, user = db.session.get(Course, course_id), db.session.get(User, streamer.id)
        (lesson,) = _lessons(course)
        lesson.quiz.questions.clear()
        db.session.add_all([
            Enrolment(user_id=user.id, course_id=course.id),
            LessonProgress(user_id=user.id, lesson_id=lesson.id, completed_at=utcnow()),
        ])  # fmt: skip
        db.session.commit()

        assert course_status(user, course).quizzes_total == 0
        assert refresh_completion(user, course) is not None
