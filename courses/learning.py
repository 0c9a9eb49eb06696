"""Learning: the catalog, access to courses and lessons, the course outline with each state.

Learners see published courses only; staff may open a draft as a preview, which saves nothing.
Enrolment, progress and resume live in ``courses.progress``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from flask import abort
from sqlalchemy import func, select

from courses import completion, videos
from courses.models import (
    Course,
    CourseModule,
    CourseStatus,
    Enrolment,
    Lesson,
    LessonAttachment,
    LessonCaption,
    LessonProgress,
    PracticeState,
    PracticeSubmission,
    Quiz,
)
from media.recordings.models import Recording
from portal.auth.models import User
from portal.extensions import db

T = TypeVar("T", LessonAttachment, LessonCaption)


# Loading with access rules ----------------------------------------------------------------------


def can_open(user: User, course: Course) -> bool:
    """Tell whether ``user`` may open the course: published, or a draft previewed by staff."""
    return course.is_published or user.is_staff


def get_course_or_404(user: User, course_id: int) -> Course:
    """Load a course the user may open; a missing course or a learner's draft answers 404."""
    course = db.get_or_404(Course, course_id)
    if not can_open(user, course):
        abort(404)
    return course


def get_lesson_or_404(user: User, lesson_id: int) -> Lesson:
    """Load a lesson of a course the user may open, else 404."""
    lesson = db.get_or_404(Lesson, lesson_id)
    if not can_open(user, lesson.module.course):
        abort(404)
    return lesson


def get_learning_lesson_or_404(user: User, lesson_id: int) -> Lesson:
    """Load a lesson whose progress the user may save: published courses only (no previews)."""
    lesson = db.get_or_404(Lesson, lesson_id)
    if not lesson.module.course.is_published:
        abort(404)
    return lesson


def get_attachment_or_404(lesson: Lesson, attachment_id: int) -> LessonAttachment:
    """Load one of the lesson's attachments; another lesson's attachment answers 404."""
    return _lesson_child_or_404(LessonAttachment, lesson, attachment_id)


def get_caption_or_404(lesson: Lesson, caption_id: int) -> LessonCaption:
    """Load one of the lesson's extra caption tracks, else 404."""
    return _lesson_child_or_404(LessonCaption, lesson, caption_id)


def _lesson_child_or_404(model: type[T], lesson: Lesson, row_id: int) -> T:
    row = db.session.get(model, row_id)
    if row is None or row.lesson_id != lesson.id:  # type: ignore[attr-defined]
        abort(404)
    return row


def lesson_video(lesson: Lesson) -> Recording | None:
    """Return the lesson's video, or None when it has none yet."""
    return videos.get_video_or_404(lesson.recording_id) if lesson.recording_id else None


# Catalog and course outline ---------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogCard:
    """A published course as the catalog shows it to one user."""

    course: Course
    lesson_count: int
    is_enrolled: bool
    percent: int
    continue_lesson_id: int | None


def catalog(user: User) -> list[CatalogCard]:
    """Return the published courses, newest first, with the user's standing in each."""
    courses = db.session.scalars(
        select(Course)
        .where(Course.status == CourseStatus.PUBLISHED)
        .order_by(Course.published_at.desc(), Course.id.desc())
    ).all()
    counts = dict(
        db.session.execute(
            select(CourseModule.course_id, func.count(Lesson.id))
            .join(Lesson, Lesson.module_id == CourseModule.id)
            .group_by(CourseModule.course_id)
        ).all()
    )
    enrolments = {
        e.course_id: e
        for e in db.session.scalars(select(Enrolment).where(Enrolment.user_id == user.id))
    }
    cards = []
    for course in courses:
        enrolment = enrolments.get(course.id)
        cards.append(
            CatalogCard(
                course=course,
                lesson_count=counts.get(course.id, 0),
                is_enrolled=enrolment is not None,
                percent=completion.course_status(user, course).percent if enrolment else 0,
                continue_lesson_id=resume_lesson_id(enrolment, course) if enrolment else None,
            )
        )
    return cards


def resume_lesson_id(enrolment: Enrolment, course: Course) -> int | None:
    """Return the lesson to continue with: the last one opened, else the course's first."""
    if enrolment.last_lesson_id:
        return enrolment.last_lesson_id
    lessons = completion.course_lessons(course)
    return lessons[0].id if lessons else None


class LessonState(StrEnum):
    """How far a learner is in one lesson."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"


@dataclass(frozen=True)
class LessonRow:
    """One lesson in the course outline, with the learner's standing.

    ``quiz_passed`` is None when the lesson has no quiz; ``practice_state`` is None when it asks
    for no practice, ``"not_sent"`` before the first submission, else the latest state.
    """

    lesson: Lesson
    state: LessonState
    quiz_passed: bool | None
    practice_state: str | None


@dataclass(frozen=True)
class ModuleOutline:
    """A module and its lesson rows."""

    module: CourseModule
    lessons: list[LessonRow]


def course_outline(user: User, course: Course) -> list[ModuleOutline]:
    """Return the course's modules and lessons with the user's status in each lesson."""
    lessons = completion.course_lessons(course)
    ids = [lesson.id for lesson in lessons]
    progress = progress_by_lesson(user, ids)
    quizzes = dict(
        db.session.execute(
            select(Quiz.lesson_id, Quiz.id).where(Quiz.id.in_(completion.required_quiz_ids(ids)))
        ).all()
    )
    passed = completion.passed_quiz_ids(user, list(quizzes.values()))
    practice = latest_practice_states(user, ids)
    rows: dict[int, list[LessonRow]] = {}
    for lesson in lessons:
        quiz_id = quizzes.get(lesson.id)
        rows.setdefault(lesson.module_id, []).append(
            LessonRow(
                lesson=lesson,
                state=lesson_state(progress.get(lesson.id)),
                quiz_passed=None if quiz_id is None else quiz_id in passed,
                practice_state=practice.get(lesson.id, "not_sent") if lesson.has_practice else None,
            )
        )
    return [ModuleOutline(module=m, lessons=rows.get(m.id, [])) for m in course.modules]


def progress_by_lesson(user: User, lesson_ids: list[int]) -> dict[int, LessonProgress]:
    """Return the user's progress rows of ``lesson_ids`` by lesson id."""
    if not lesson_ids:
        return {}
    rows = db.session.scalars(
        select(LessonProgress).where(
            LessonProgress.user_id == user.id, LessonProgress.lesson_id.in_(lesson_ids)
        )
    )
    return {row.lesson_id: row for row in rows}


def lesson_state(progress: LessonProgress | None) -> LessonState:
    """Tell how far a progress row got."""
    if progress is None:
        return LessonState.NOT_STARTED
    if progress.is_complete:
        return LessonState.DONE
    if progress.furthest_s > 0:
        return LessonState.IN_PROGRESS
    return LessonState.NOT_STARTED


def latest_practice_states(user: User, lesson_ids: list[int]) -> dict[int, str]:
    """Return the state of the user's newest practice submission per lesson."""
    if not lesson_ids:
        return {}
    rows = db.session.execute(
        select(PracticeSubmission.lesson_id, PracticeSubmission.state)
        .where(PracticeSubmission.user_id == user.id, PracticeSubmission.lesson_id.in_(lesson_ids))
        .order_by(PracticeSubmission.id)
    )
    states = {lesson_id: str(state) for lesson_id, state in rows}
    passed = completion.passed_practice_lesson_ids(user, lesson_ids)
    return {k: PracticeState.PASSED.value if k in passed else v for k, v in states.items()}


def neighbours(lesson: Lesson) -> tuple[Lesson | None, Lesson | None]:
    """Return the lessons before and after ``lesson`` in its course."""
    lessons = completion.course_lessons(lesson.module.course)
    index = next(i for i, row in enumerate(lessons) if row.id == lesson.id)
    previous = lessons[index - 1] if index > 0 else None
    following = lessons[index + 1] if index + 1 < len(lessons) else None
    return previous, following
