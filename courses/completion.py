"""Course completion: what a learner has still to do, and the certificate when nothing is left.

A course is complete when every lesson is done (its video watched or marked done), every quiz is
passed and every practice assignment is passed. Learning, quiz and practice services call
``refresh_completion`` after each change that may complete a course.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select

from courses.models import (
    Certificate,
    Course,
    CourseModule,
    Enrolment,
    Lesson,
    LessonProgress,
    PracticeState,
    PracticeSubmission,
    Quiz,
    QuizAttempt,
    QuizQuestion,
)
from portal.audit.services import record_event
from portal.auth.models import User
from portal.database import utcnow
from portal.extensions import db
from portal.text_cleaning import clean_line


@dataclass(frozen=True)
class CourseStatus:
    """A learner's standing in a course: counts of requirements met out of required."""

    lessons_done: int
    lessons_total: int
    quizzes_passed: int
    quizzes_total: int
    practice_passed: int
    practice_total: int

    @property
    def is_complete(self) -> bool:
        """Tell whether every requirement is met (an empty course is never complete)."""
        return (
            self.lessons_total > 0
            and self.lessons_done == self.lessons_total
            and self.quizzes_passed == self.quizzes_total
            and self.practice_passed == self.practice_total
        )

    @property
    def percent(self) -> int:
        """Return the share of requirements met, 0–100."""
        done = self.lessons_done + self.quizzes_passed + self.practice_passed
        total = self.lessons_total + self.quizzes_total + self.practice_total
        return round(100 * done / total) if total else 0


def course_lessons(course: Course) -> list[Lesson]:
    """Return the course's lessons in order (module by module)."""
    statement = (
        select(Lesson)
        .join(CourseModule, Lesson.module_id == CourseModule.id)
        .where(CourseModule.course_id == course.id)
        .order_by(CourseModule.position, CourseModule.id, Lesson.position, Lesson.id)
    )
    return list(db.session.scalars(statement))


def completed_lesson_ids(user: User, lesson_ids: list[int]) -> set[int]:
    """Return which of ``lesson_ids`` the user has completed."""
    if not lesson_ids:
        return set()
    statement = select(LessonProgress.lesson_id).where(
        LessonProgress.user_id == user.id,
        LessonProgress.lesson_id.in_(lesson_ids),
        LessonProgress.completed_at.is_not(None),
    )
    return set(db.session.scalars(statement))


def passed_quiz_ids(user: User, quiz_ids: list[int]) -> set[int]:
    """Return which of ``quiz_ids`` the user has passed in any attempt."""
    if not quiz_ids:
        return set()
    statement = select(QuizAttempt.quiz_id).where(
        QuizAttempt.user_id == user.id, QuizAttempt.quiz_id.in_(quiz_ids), QuizAttempt.passed
    )
    return set(db.session.scalars(statement))


def passed_practice_lesson_ids(user: User, lesson_ids: list[int]) -> set[int]:
    """Return which of ``lesson_ids`` have a passed practice submission by the user."""
    if not lesson_ids:
        return set()
    statement = select(PracticeSubmission.lesson_id).where(
        PracticeSubmission.user_id == user.id,
        PracticeSubmission.lesson_id.in_(lesson_ids),
        PracticeSubmission.state == PracticeState.PASSED,
    )
    return set(db.session.scalars(statement))


def required_quiz_ids(lesson_ids: list[int]) -> list[int]:
    """Return the quizzes of ``lesson_ids`` a learner must pass (a quiz with no questions: none)."""
    statement = (
        select(Quiz.id)
        .where(Quiz.lesson_id.in_(lesson_ids))
        .where(select(QuizQuestion.id).where(QuizQuestion.quiz_id == Quiz.id).exists())
    )
    return list(db.session.scalars(statement))


def course_status(user: User, course: Course) -> CourseStatus:
    """Count what the user has met of the course's requirements."""
    lessons = course_lessons(course)
    lesson_ids = [lesson.id for lesson in lessons]
    quiz_ids = required_quiz_ids(lesson_ids)
    practice_ids = [lesson.id for lesson in lessons if lesson.has_practice]
    return CourseStatus(
        lessons_done=len(completed_lesson_ids(user, lesson_ids)),
        lessons_total=len(lessons),
        quizzes_passed=len(passed_quiz_ids(user, quiz_ids)),
        quizzes_total=len(quiz_ids),
        practice_passed=len(passed_practice_lesson_ids(user, practice_ids)),
        practice_total=len(practice_ids),
    )


def get_enrolment(user: User, course: Course) -> Enrolment | None:
    """Return the user's enrolment in the course, if any."""
    return db.session.scalar(
        select(Enrolment).where(Enrolment.user_id == user.id, Enrolment.course_id == course.id)
    )


def get_certificate(user: User, course: Course) -> Certificate | None:
    """Return the user's certificate for the course, if one was issued."""
    statement = select(Certificate).where(
        Certificate.user_id == user.id, Certificate.course_id == course.id
    )
    return db.session.scalar(statement)


def refresh_completion(user: User, course: Course) -> Certificate | None:
    """Mark the enrolment complete and issue the certificate once every requirement is met.

    Safe to call any number of times: a certificate is issued once (a revoked one stays revoked).
    Commits when it changes anything; returns the user's certificate, if any.
    """
    enrolment = get_enrolment(user, course)
    certificate = get_certificate(user, course)
    if enrolment is None or not course_status(user, course).is_complete:
        return certificate
    if enrolment.completed_at is None:
        enrolment.completed_at = utcnow()
    if certificate is None:
        certificate = Certificate(
            code=new_certificate_code(),
            user_id=user.id,
            course_id=course.id,
            holder_name=clean_line(user.name),
            course_title=clean_line(course.title),
        )
        db.session.add(certificate)
        db.session.flush()
        record_event(user, "certificate.issued", certificate, course=course.id)
    db.session.commit()
    return certificate


def new_certificate_code() -> str:
    """Return a fresh, unguessable certificate code (shown on the certificate and its QR)."""
    return secrets.token_hex(8).upper()
