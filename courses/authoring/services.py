"""Course authoring workflows: courses, modules and lessons, their order, publishing.

Every function commits once (then tells listeners through ``course_changed``) or raises a
``ServiceError`` and writes nothing. Lesson media (video, captions, files) is in ``lesson_media``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, TypeVar

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from courses import covers
from courses.attachments import delete_attachment_file
from courses.models import (
    DEFAULT_WATCH_PERCENT,
    Course,
    CourseLevel,
    CourseModule,
    CourseStatus,
    Enrolment,
    Lesson,
    LessonAttachment,
)
from courses.signals import course_changed
from portal.audit.services import record_event
from portal.auth.models import User
from portal.database import utcnow
from portal.errors import ServiceError
from portal.extensions import db

T = TypeVar("T", CourseModule, Lesson)


@dataclass(frozen=True)
class CourseData:
    """What a trainer enters about a course."""

    title: str
    description: str
    level: str
    watch_percent: int = DEFAULT_WATCH_PERCENT


@dataclass(frozen=True)
class CourseRow:
    """A course in the staff list, with its lesson count."""

    course: Course
    lesson_count: int


@dataclass(frozen=True)
class LessonData:
    """What a trainer enters about a lesson."""

    title: str
    notes_md: str
    practice_prompt: str


def notify_changed(course_id: int) -> None:
    """Tell listeners (search) that the course's content changed."""
    course_changed.send(current_app._get_current_object(), course_id=course_id)


def list_courses() -> list[CourseRow]:
    """Return every course, drafts and published, newest first, with lesson counts."""
    counts = (
        select(CourseModule.course_id, func.count(Lesson.id).label("lessons"))
        .join(Lesson, Lesson.module_id == CourseModule.id)
        .group_by(CourseModule.course_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Course, func.coalesce(counts.c.lessons, 0))
        .outerjoin(counts, counts.c.course_id == Course.id)
        .order_by(Course.id.desc())
    )
    return [CourseRow(course, count) for course, count in rows]


def get_course_or_404(course_id: int) -> Course:
    """Load a course (any status); a missing id answers 404."""
    return db.get_or_404(Course, course_id)


def get_module_or_404(module_id: int) -> CourseModule:
    """Load a module; a missing id answers 404."""
    return db.get_or_404(CourseModule, module_id)


def get_lesson_or_404(lesson_id: int) -> Lesson:
    """Load a lesson; a missing id answers 404."""
    return db.get_or_404(Lesson, lesson_id)


def lesson_count(course: Course) -> int:
    """Count the course's lessons."""
    statement = (
        select(func.count(Lesson.id))
        .join(CourseModule, Lesson.module_id == CourseModule.id)
        .where(CourseModule.course_id == course.id)
    )
    return db.session.scalar(statement) or 0


def _check_level(level: str) -> CourseLevel:
    try:
        return CourseLevel(level)
    except ValueError as exc:
        raise ServiceError(_("Choose a level."), field="level") from exc


def _check_watch_percent(percent: int) -> int:
    if not 0 <= percent <= 100:
        raise ServiceError(_("Enter a share from 0 to 100."), field="watch_percent")
    return percent


def create_course(actor: User, data: CourseData, cover: IO[bytes] | None = None) -> Course:
    """Create a draft course (with its cover image, if one is sent)."""
    level = _check_level(data.level)
    watch_percent = _check_watch_percent(data.watch_percent)
    cover_name = covers.store_cover(cover, current_app.config["MAX_IMAGE_BYTES"]) if cover else ""
    try:
        course = Course(
            title=data.title.strip(),
            description=data.description.strip(),
            level=level,
            cover_name=cover_name,
            created_by_id=actor.id,
            status=CourseStatus.DRAFT,
            watch_percent=watch_percent,
        )
        db.session.add(course)
        record_event(actor, "course.created", course, title=course.title)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        covers.delete_cover(cover_name)
        raise
    notify_changed(course.id)
    return course


def update_course(
    course: Course,
    actor: User,
    data: CourseData,
    cover: IO[bytes] | None = None,
    *,
    remove_cover: bool = False,
) -> Course:
    """Save a course's details; a new cover replaces the old one, ``remove_cover`` drops it."""
    level = _check_level(data.level)
    watch_percent = _check_watch_percent(data.watch_percent)
    new_cover = covers.store_cover(cover, current_app.config["MAX_IMAGE_BYTES"]) if cover else ""
    old_cover = course.cover_name
    try:
        course.title, course.description = data.title.strip(), data.description.strip()
        course.level, course.watch_percent = level, watch_percent
        if new_cover or remove_cover:
            course.cover_name = new_cover
        record_event(actor, "course.updated", course, title=course.title)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        covers.delete_cover(new_cover)
        raise
    if old_cover and old_cover != course.cover_name:
        covers.delete_cover(old_cover)
    notify_changed(course.id)
    return course


def publish_course(course: Course, actor: User) -> Course:
    """Show the course to learners; it needs at least one lesson."""
    if course.is_published:
        return course
    if lesson_count(course) == 0:
        raise ServiceError(_("Add at least one lesson before publishing the course."))
    course.status = CourseStatus.PUBLISHED
    course.published_at = utcnow()
    record_event(actor, "course.published", course)
    db.session.commit()
    notify_changed(course.id)
    return course


def unpublish_course(course: Course, actor: User) -> Course:
    """Hide the course from learners again (their progress is kept)."""
    if not course.is_published:
        return course
    course.status = CourseStatus.DRAFT
    record_event(actor, "course.unpublished", course)
    db.session.commit()
    notify_changed(course.id)
    return course


def _attachment_names(
    *, course_id: int | None = None, lesson_ids: list[int] | None = None
) -> list[str]:
    statement = select(LessonAttachment.stored_name)
    if course_id is not None:
        statement = (
            statement.join(Lesson, Lesson.id == LessonAttachment.lesson_id)
            .join(CourseModule, CourseModule.id == Lesson.module_id)
            .where(CourseModule.course_id == course_id)
        )
    else:
        statement = statement.where(LessonAttachment.lesson_id.in_(lesson_ids or []))
    return list(db.session.scalars(statement))


def delete_course(course: Course, actor: User) -> None:
    """Delete a course nobody is enrolled in, with its modules, lessons and files."""
    enrolled = db.session.scalar(
        select(func.count(Enrolment.id)).where(Enrolment.course_id == course.id)
    )
    if enrolled:
        raise ServiceError(
            _("Learners are enrolled in this course, so it cannot be deleted. Unpublish it.")
        )
    files, cover_name, course_id = (
        _attachment_names(course_id=course.id),
        course.cover_name,
        course.id,
    )
    record_event(actor, "course.deleted", course, title=course.title)
    db.session.delete(course)
    db.session.commit()
    covers.delete_cover(cover_name)
    for name in files:
        delete_attachment_file(name)
    notify_changed(course_id)


def _ordered(rows: list[T]) -> list[T]:
    return sorted(rows, key=lambda row: (row.position, row.id))


def _renumber(rows: list[T]) -> None:
    for position, row in enumerate(rows):
        row.position = position


def _move(rows: list[T], row: T, direction: str) -> bool:
    """Swap ``row`` with its neighbour; return False at either end."""
    ordered = _ordered(rows)
    index = ordered.index(row)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(ordered):
        return False
    ordered[index], ordered[target] = ordered[target], ordered[index]
    _renumber(ordered)
    return True


def add_module(course: Course, actor: User, title: str) -> CourseModule:
    """Add a module at the end of the course."""
    position = max((m.position for m in course.modules), default=-1) + 1
    module = CourseModule(course_id=course.id, title=title.strip(), position=position)
    db.session.add(module)
    db.session.commit()
    notify_changed(course.id)
    return module


def rename_module(module: CourseModule, actor: User, title: str) -> CourseModule:
    """Give a module a new title."""
    module.title = title.strip()
    db.session.commit()
    notify_changed(module.course_id)
    return module


def _keeps_a_lesson(course: Course, removed: int) -> None:
    if course.is_published and lesson_count(course) - removed < 1:
        raise ServiceError(_("A published course needs at least one lesson. Unpublish it first."))


def delete_module(module: CourseModule, actor: User) -> None:
    """Delete a module with its lessons (a published course keeps at least one lesson)."""
    course = module.course
    _keeps_a_lesson(course, len(module.lessons))
    files = _attachment_names(lesson_ids=[lesson.id for lesson in module.lessons])
    record_event(actor, "course.module_deleted", course, module=module.title)
    db.session.delete(module)
    db.session.flush()
    _renumber(_ordered([m for m in course.modules if m is not module]))
    db.session.commit()
    for name in files:
        delete_attachment_file(name)
    notify_changed(course.id)


def move_module(module: CourseModule, actor: User, direction: str) -> None:
    """Move a module one place up or down (nothing happens at either end)."""
    if _move(module.course.modules, module, direction):
        db.session.commit()
        notify_changed(module.course_id)


def add_lesson(module: CourseModule, actor: User, title: str) -> Lesson:
    """Add a lesson at the end of a module."""
    position = max((lesson.position for lesson in module.lessons), default=-1) + 1
    lesson = Lesson(module_id=module.id, title=title.strip(), position=position)
    db.session.add(lesson)
    db.session.commit()
    notify_changed(module.course_id)
    return lesson


def update_lesson(lesson: Lesson, actor: User, data: LessonData) -> Lesson:
    """Save a lesson's title, notes and practice prompt."""
    lesson.title = data.title.strip()
    lesson.notes_md = data.notes_md.strip()
    lesson.practice_prompt = data.practice_prompt.strip()
    db.session.commit()
    notify_changed(lesson.module.course_id)
    return lesson


def move_lesson(lesson: Lesson, actor: User, direction: str) -> None:
    """Move a lesson one place up or down inside its module."""
    if _move(lesson.module.lessons, lesson, direction):
        db.session.commit()
        notify_changed(lesson.module.course_id)


def move_lesson_to_module(lesson: Lesson, actor: User, module_id: int) -> Lesson:
    """Move a lesson to the end of another module of the same course."""
    source = lesson.module
    target = db.session.get(CourseModule, module_id)
    if target is None or target.course_id != source.course_id:
        raise ServiceError(_("Choose a module of this course."), field="module_id")
    if target is source:
        return lesson
    position = max((other.position for other in target.lessons), default=-1) + 1
    remaining = _ordered([other for other in source.lessons if other is not lesson])
    lesson.module = target
    lesson.position = position
    _renumber(remaining)
    db.session.commit()
    notify_changed(source.course_id)
    return lesson


def delete_lesson(lesson: Lesson, actor: User) -> None:
    """Delete a lesson with its files (a published course keeps at least one lesson)."""
    module = lesson.module
    _keeps_a_lesson(module.course, 1)
    files = [attachment.stored_name for attachment in lesson.attachments]
    record_event(actor, "course.lesson_deleted", module.course, lesson=lesson.title)
    remaining = _ordered([other for other in module.lessons if other is not lesson])
    db.session.delete(lesson)
    _renumber(remaining)
    db.session.commit()
    for name in files:
        delete_attachment_file(name)
    notify_changed(module.course_id)
