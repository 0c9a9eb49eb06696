"""Learning: the catalog, enrolment, lesson progress and resume, "continue where I left off".

Learners see published courses only; staff may open a draft as a preview, which saves nothing.
Progress posts come from the lesson player every few seconds: each carries a sequence number, so
a stale post (``seq`` not above the stored one) is ignored and the resume position never moves
back because of a late request. The position is clamped to the video's probed duration; having
reached 90 % of it completes the lesson.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import case, func, literal, select, update
from sqlalchemy.exc import IntegrityError

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
from portal.audit.services import record_event
from portal.auth.models import User
from portal.database import UTCDateTime, utcnow
from portal.errors import ServiceError
from portal.extensions import db

COMPLETE_SHARE = 0.9
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


# Enrolment and progress -------------------------------------------------------------------------


def enrol(user: User, course: Course) -> Enrolment:
    """Enrol the user in a published course; enrolling twice returns the same enrolment."""
    if not course.is_published:
        raise ServiceError(_("This course is not open yet."))
    enrolment = completion.get_enrolment(user, course)
    if enrolment is not None:
        return enrolment
    enrolment = Enrolment(user_id=user.id, course_id=course.id)
    db.session.add(enrolment)
    try:
        record_event(user, "course.enrolled", enrolment, course=course.id)
        db.session.commit()
    except IntegrityError:  # enrolled meanwhile by a second click
        db.session.rollback()
        return completion.get_enrolment(user, course)  # type: ignore[return-value]
    return enrolment


def get_progress(user: User, lesson: Lesson) -> LessonProgress | None:
    """Return the user's progress in the lesson, if any."""
    return progress_by_lesson(user, [lesson.id]).get(lesson.id)


def _progress_row(user: User, lesson: Lesson) -> LessonProgress:
    """Return the user's progress row of the lesson, enrolling and creating it when missing."""
    row = get_progress(user, lesson)
    if row is not None:
        return row
    enrol(user, lesson.module.course)
    db.session.add(LessonProgress(user_id=user.id, lesson_id=lesson.id))
    try:
        db.session.commit()
    except IntegrityError:  # a parallel post created it
        db.session.rollback()
    return get_progress(user, lesson)  # type: ignore[return-value]


@dataclass(frozen=True)
class ProgressReport:
    """What the player learns back from a progress post."""

    position_s: float
    furthest_s: float
    is_complete: bool
    accepted: bool
    seq: int


def record_progress(user: User, lesson: Lesson, position_s: float, seq: int) -> ProgressReport:
    """Save where the learner is in the lesson video; a stale ``seq`` changes nothing.

    The position is clamped to the probed duration; the furthest point only grows; reaching
    90 % of the video completes the lesson (and maybe the course).
    """
    recording = lesson_video(lesson)
    if recording is None:
        raise ServiceError(_("This lesson has no video yet."))
    duration = max(recording.duration_s, 0.0)
    position = min(max(position_s, 0.0), duration)
    row = _progress_row(user, lesson)
    was_complete = row.is_complete
    values = {
        "position_s": position,
        "furthest_s": case(
            (LessonProgress.furthest_s < position, position), else_=LessonProgress.furthest_s
        ),
        "client_seq": seq,
        "updated_at": utcnow(),
    }
    if duration > 0 and position >= COMPLETE_SHARE * duration:
        values["completed_at"] = func.coalesce(
            LessonProgress.completed_at, literal(utcnow(), UTCDateTime())
        )
    result = db.session.execute(
        update(LessonProgress)
        .where(LessonProgress.id == row.id, LessonProgress.client_seq < seq)
        .values(values)
        .execution_options(synchronize_session=False)
    )
    accepted = result.rowcount == 1
    if accepted:
        _set_last_lesson(user, lesson)
    db.session.commit()
    db.session.refresh(row)
    if row.is_complete and not was_complete:
        completion.refresh_completion(user, lesson.module.course)
    return ProgressReport(
        row.position_s, row.furthest_s, row.is_complete, accepted=accepted, seq=row.client_seq
    )


def _set_last_lesson(user: User, lesson: Lesson) -> None:
    db.session.execute(
        update(Enrolment)
        .where(Enrolment.user_id == user.id, Enrolment.course_id == lesson.module.course_id)
        .values(last_lesson_id=lesson.id)
        .execution_options(synchronize_session=False)
    )


def mark_lesson_done(user: User, lesson: Lesson) -> LessonProgress:
    """Complete the lesson by hand (marking it twice keeps the first time)."""
    row = _progress_row(user, lesson)
    if row.completed_at is None:
        row.completed_at = utcnow()
        record_event(user, "lesson.marked_done", row, lesson=lesson.id)
    _set_last_lesson(user, lesson)
    db.session.commit()
    completion.refresh_completion(user, lesson.module.course)
    return row


# Continue where I left off ----------------------------------------------------------------------


@dataclass(frozen=True)
class ContinueItem:
    """Where to go back to in one unfinished course.

    The last lesson the learner was in and the position in it; once that lesson is done, the
    lesson after it from the start (``is_next``).
    """

    course_id: int
    course_title: str
    lesson_id: int
    lesson_title: str
    position_s: float
    duration_s: float
    is_next: bool = False


def continue_watching(user: User, limit: int = 3) -> list[ContinueItem]:
    """Return, per enrolled unfinished course, where the user left off, latest first."""
    statement = (
        select(Course, Lesson, LessonProgress)
        .select_from(Enrolment)
        .join(Course, Course.id == Enrolment.course_id)
        .join(Lesson, Lesson.id == Enrolment.last_lesson_id)
        .join(
            LessonProgress,
            (LessonProgress.lesson_id == Lesson.id) & (LessonProgress.user_id == user.id),
        )
        .where(
            Enrolment.user_id == user.id,
            Enrolment.completed_at.is_(None),
            Course.status == CourseStatus.PUBLISHED,
        )
        .order_by(LessonProgress.updated_at.desc())
        .limit(limit)
    )
    return [_continue_item(*row) for row in db.session.execute(statement)]


def _continue_item(course: Course, lesson: Lesson, progress: LessonProgress) -> ContinueItem:
    position, is_next = progress.position_s, False
    if progress.is_complete:
        following = neighbours(lesson)[1]
        if following is not None:
            lesson, position, is_next = following, 0.0, True
    recording = db.session.get(Recording, lesson.recording_id) if lesson.recording_id else None
    return ContinueItem(
        course_id=course.id,
        course_title=course.title,
        lesson_id=lesson.id,
        lesson_title=lesson.title,
        position_s=position,
        duration_s=recording.duration_s if recording else 0.0,
        is_next=is_next,
    )
