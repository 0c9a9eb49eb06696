"""Enrolment, lesson progress and resume, and "continue where I left off".

Progress posts come from the lesson player every few seconds: each carries a sequence number, so
a stale post (``seq`` not above the stored one) is ignored and the resume position never moves
back because of a late request. The position is clamped to the video's probed duration; having
watched the course's share of it (``courses.watching``: played, not skipped) completes the lesson
(and maybe the course), and only then may a video lesson be marked done by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import case, func, literal, select, update
from sqlalchemy.exc import IntegrityError

from courses import completion, watching
from courses.learning import lesson_video, neighbours, progress_by_lesson
from courses.models import Course, CourseStatus, Enrolment, Lesson, LessonProgress
from media.recordings.models import Recording
from portal.audit.services import record_event
from portal.auth.models import User
from portal.database import UTCDateTime, utcnow
from portal.errors import ServiceError
from portal.extensions import db


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
    watch: watching.WatchStatus


def record_progress(user: User, lesson: Lesson, position_s: float, seq: int) -> ProgressReport:
    """Save where the learner is in the lesson video; a stale ``seq`` changes nothing.

    The position is clamped to the probed duration; the furthest point only grows; a step
    forward that could have been played counts as watched, and having watched the course's
    share of the video completes the lesson (and maybe the course).
    """
    recording = lesson_video(lesson)
    if recording is None:
        raise ServiceError(_("This lesson has no video yet."))
    duration = max(recording.duration_s, 0.0)
    position = min(max(position_s, 0.0), duration)
    row = _progress_row(user, lesson)
    was_complete = row.is_complete
    ranges = _watched_ranges(row, position)
    watched = watching.WatchStatus(
        watching.watched_seconds(ranges, duration), duration, lesson.module.course.watch_percent
    )
    values = {
        "position_s": position,
        "furthest_s": case(
            (LessonProgress.furthest_s < position, position), else_=LessonProgress.furthest_s
        ),
        "watched_ranges": ranges,
        "client_seq": seq,
        "updated_at": utcnow(),
    }
    if duration > 0 and watched.is_enough:
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
        row.position_s,
        row.furthest_s,
        row.is_complete,
        accepted=accepted,
        seq=row.client_seq,
        watch=watching.watch_status(lesson, duration, row),
    )


def _watched_ranges(row: LessonProgress, position_s: float) -> watching.Ranges:
    """Return the row's watched ranges with the step to ``position_s`` if it was played."""
    elapsed_s = (utcnow() - row.updated_at).total_seconds()
    if watching.played_step(row.position_s, position_s, elapsed_s):
        return watching.add_range(row.watched_ranges, row.position_s, position_s)
    return row.watched_ranges


def _set_last_lesson(user: User, lesson: Lesson) -> None:
    db.session.execute(
        update(Enrolment)
        .where(Enrolment.user_id == user.id, Enrolment.course_id == lesson.module.course_id)
        .values(last_lesson_id=lesson.id)
        .execution_options(synchronize_session=False)
    )


def lesson_watch_status(user: User, lesson: Lesson) -> watching.WatchStatus | None:
    """Return how much of the lesson's video the user watched; None for a lesson without one."""
    recording = lesson_video(lesson)
    if recording is None or recording.duration_s <= 0:
        return None
    return watching.watch_status(lesson, recording.duration_s, get_progress(user, lesson))


def mark_lesson_done(user: User, lesson: Lesson) -> LessonProgress:
    """Complete the lesson by hand (marking it twice keeps the first time).

    A lesson with a video is refused until the course's share of it was watched.
    """
    existing = get_progress(user, lesson)
    watch = lesson_watch_status(user, lesson)
    if watch is not None and not watch.is_enough and not (existing and existing.is_complete):
        raise ServiceError(watch.note())
    row = existing or _progress_row(user, lesson)
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
