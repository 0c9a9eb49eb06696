"""A course's learners for its trainers: progress, best quiz scores, pending practice, certificates.

A fixed number of grouped queries whatever the number of learners (no query per learner); the
progress figures use ``courses.completion.CourseStatus``, so they read as the learner's own.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, distinct, func, select
from sqlalchemy.orm import joinedload

from courses.completion import CourseStatus, course_lessons, required_quiz_ids
from courses.models import (
    Certificate,
    Course,
    Enrolment,
    Lesson,
    LessonProgress,
    PracticeState,
    PracticeSubmission,
    Quiz,
    QuizAttempt,
)
from portal.auth.models import User
from portal.extensions import db


@dataclass(frozen=True)
class QuizColumn:
    """One quiz of the course, named by its lesson."""

    quiz_id: int
    lesson_title: str


@dataclass(frozen=True)
class LearnerRow:
    """One enrolled learner."""

    user: User
    enrolled_at: datetime
    completed_at: datetime | None
    status: CourseStatus
    best_scores: list[int | None]
    pending: list[PracticeSubmission]
    certificate: Certificate | None


@dataclass(frozen=True)
class LearnersReport:
    """The course's learners and its completion rate."""

    course: Course
    quizzes: list[QuizColumn]
    rows: list[LearnerRow]

    @property
    def completed_count(self) -> int:
        """Return how many learners completed the course."""
        return sum(1 for row in self.rows if row.completed_at is not None)

    @property
    def completion_percent(self) -> int:
        """Return the share of enrolled learners who completed the course, 0–100."""
        return round(100 * self.completed_count / len(self.rows)) if self.rows else 0


def _count_by_user(statement: Select[tuple[int, int]]) -> dict[int, int]:
    return dict(db.session.execute(statement).all())


def _quiz_columns(lessons: list[Lesson]) -> list[QuizColumn]:
    by_lesson = {
        quiz.lesson_id: quiz.id
        for quiz in db.session.scalars(
            select(Quiz).where(Quiz.id.in_(required_quiz_ids([lesson.id for lesson in lessons])))
        )
    }
    return [QuizColumn(by_lesson[les.id], les.title) for les in lessons if les.id in by_lesson]


@dataclass(frozen=True)
class _Counts:
    """Requirements met per learner (user id → count), and best quiz scores."""

    lessons_done: dict[int, int]
    quizzes_passed: dict[int, int]
    practice_passed: dict[int, int]
    best: dict[tuple[int, int], int]


def _counts(lesson_ids: list[int], quiz_ids: list[int], practice_ids: list[int]) -> _Counts:
    best = db.session.execute(
        select(QuizAttempt.user_id, QuizAttempt.quiz_id, func.max(QuizAttempt.score_percent))
        .where(QuizAttempt.quiz_id.in_(quiz_ids))
        .group_by(QuizAttempt.user_id, QuizAttempt.quiz_id)
    ).all()
    return _Counts(
        lessons_done=_count_by_user(
            select(LessonProgress.user_id, func.count(distinct(LessonProgress.lesson_id)))
            .where(
                LessonProgress.lesson_id.in_(lesson_ids), LessonProgress.completed_at.is_not(None)
            )
            .group_by(LessonProgress.user_id)
        ),
        quizzes_passed=_count_by_user(
            select(QuizAttempt.user_id, func.count(distinct(QuizAttempt.quiz_id)))
            .where(QuizAttempt.quiz_id.in_(quiz_ids), QuizAttempt.passed)
            .group_by(QuizAttempt.user_id)
        ),
        practice_passed=_count_by_user(
            select(PracticeSubmission.user_id, func.count(distinct(PracticeSubmission.lesson_id)))
            .where(
                PracticeSubmission.lesson_id.in_(practice_ids),
                PracticeSubmission.state == PracticeState.PASSED,
            )
            .group_by(PracticeSubmission.user_id)
        ),
        best={(user_id, quiz_id): score for user_id, quiz_id, score in best},
    )


def _pending(practice_ids: list[int]) -> dict[int, list[PracticeSubmission]]:
    pending: dict[int, list[PracticeSubmission]] = defaultdict(list)
    for submission in db.session.scalars(
        select(PracticeSubmission)
        .where(
            PracticeSubmission.lesson_id.in_(practice_ids),
            PracticeSubmission.state == PracticeState.SUBMITTED,
        )
        .options(joinedload(PracticeSubmission.lesson))
        .order_by(PracticeSubmission.created_at, PracticeSubmission.id)
    ):
        pending[submission.user_id].append(submission)
    return pending


def learners_report(course: Course) -> LearnersReport:
    """Collect every enrolled learner's standing in ``course``."""
    lessons = course_lessons(course)
    quizzes = _quiz_columns(lessons)
    practice_ids = [lesson.id for lesson in lessons if lesson.has_practice]
    counts = _counts([lesson.id for lesson in lessons], [q.quiz_id for q in quizzes], practice_ids)
    pending = _pending(practice_ids)
    certificates = {
        c.user_id: c
        for c in db.session.scalars(select(Certificate).where(Certificate.course_id == course.id))
    }
    enrolments = db.session.scalars(
        select(Enrolment)
        .where(Enrolment.course_id == course.id)
        .options(joinedload(Enrolment.user))
        .order_by(Enrolment.enrolled_at, Enrolment.id)
    )
    rows = [
        LearnerRow(
            user=e.user,
            enrolled_at=e.enrolled_at,
            completed_at=e.completed_at,
            status=CourseStatus(
                lessons_done=counts.lessons_done.get(e.user_id, 0),
                lessons_total=len(lessons),
                quizzes_passed=counts.quizzes_passed.get(e.user_id, 0),
                quizzes_total=len(quizzes),
                practice_passed=counts.practice_passed.get(e.user_id, 0),
                practice_total=len(practice_ids),
            ),
            best_scores=[counts.best.get((e.user_id, q.quiz_id)) for q in quizzes],
            pending=pending.get(e.user_id, []),
            certificate=certificates.get(e.user_id),
        )
        for e in enrolments
    ]
    return LearnersReport(course=course, quizzes=quizzes, rows=rows)


def get_course_or_404(course_id: int) -> Course:
    """Load any course (draft or published) for staff; a missing one answers 404."""
    return db.get_or_404(Course, course_id)
