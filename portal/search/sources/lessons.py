"""Course lessons: title, notes and the spoken sentences of the lesson video (published courses).

Part 0 of a lesson is its title and notes; every other part is one sentence of its video
(``part_id`` = the sentence id), opening the lesson at that second.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from html import unescape
from typing import Any

import nh3
from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, exists, or_, select, true

from courses import videos
from courses.markdown import render_markdown
from courses.models import Course, CourseModule, CourseStatus, Lesson
from courses.signals import course_changed
from media.recordings.models import Recording
from media.transcripts.signals import transcript_edited, transcript_saved
from portal.extensions import db
from portal.search import indexing
from portal.search.registry import Document, Hit, Source, Viewer, register
from portal.search.sources.transcripts import seconds

KIND = "lesson"
LESSON_PAGE = "courses.lesson"


def _plain(markdown: str) -> str:
    return " ".join(unescape(nh3.clean(str(render_markdown(markdown)), tags=set())).split())


def _lesson_documents(lesson: Lesson, course: Course) -> Iterator[Document]:
    yield Document(
        ref_id=lesson.id,
        title=lesson.title,
        body=_plain(lesson.notes_md),
        context=course.title,
        happened_at=lesson.updated_at,
        exact=(lesson.title,),
    )
    recording = db.session.get(Recording, lesson.recording_id) if lesson.recording_id else None
    if recording is None:
        return
    for sentence in videos.sentences(recording):
        yield Document(
            ref_id=lesson.id,
            part_id=sentence.id,
            recording_id=recording.id,
            title="",
            body=sentence.shown_text,
            context=lesson.title,
            at_ms=sentence.start_ms,
            happened_at=lesson.updated_at,
        )


def _documents(*where: Any) -> Iterator[Document]:
    statement = (
        select(Lesson, Course)
        .join(CourseModule, CourseModule.id == Lesson.module_id)
        .join(Course, Course.id == CourseModule.course_id)
        .where(*where)
        .order_by(Lesson.id)
    )
    for lesson, course in db.session.execute(statement).all():
        yield from _lesson_documents(lesson, course)


def in_published_course(lesson_id: Any) -> ColumnElement[bool]:
    """SQL: the lesson belongs to a published course."""
    return exists(
        select(Lesson.id)
        .join(CourseModule, CourseModule.id == Lesson.module_id)
        .join(Course, Course.id == CourseModule.course_id)
        .where(Lesson.id == lesson_id, Course.status == CourseStatus.PUBLISHED)
    )


class LessonSource(Source):
    """Course lessons and what their videos say."""

    kind = KIND
    order = 40

    @property
    def label(self) -> str:
        """Group heading."""
        return str(_l("Lessons"))

    def documents(self) -> Iterable[Document]:
        """Every lesson of every course, with its video's sentences."""
        return _documents()

    def visible(self, viewer: Viewer, doc: Any) -> ColumnElement[bool] | None:
        """Staff: all (they author drafts); everyone else: lessons of published courses."""
        return true() if viewer.is_staff else in_published_course(doc.ref_id)

    def link(self, hit: Hit, viewer: Viewer) -> str | None:
        """The lesson page, at the spoken moment when the hit is a sentence of its video."""
        if LESSON_PAGE not in current_app.view_functions:
            return None
        at = {"t": seconds(hit.at_ms)} if hit.at_ms is not None else {}
        return url_for(LESSON_PAGE, lesson_id=hit.ref_id, **at)

    def connect(self) -> None:
        """Re-index a course's lessons when it changes, and a lesson when its video's text does."""
        course_changed.connect(reindex_course)
        transcript_saved.connect(reindex_video)
        transcript_edited.connect(reindex_video)


def reindex_course(sender: object = None, *, course_id: int, **_: object) -> None:
    """Bring the course's lesson rows up to date (rows of deleted lessons go too)."""
    lesson_ids = (
        select(Lesson.id)
        .join(CourseModule, CourseModule.id == Lesson.module_id)
        .where(CourseModule.course_id == course_id)
    )
    scope = or_(indexing.D.ref_id.in_(lesson_ids), indexing.D.ref_id.not_in(select(Lesson.id)))
    indexing.refresh(KIND, scope, _documents(CourseModule.course_id == course_id))


def reindex_video(sender: object = None, *, recording_id: int, **_: object) -> None:
    """A lesson video's transcript was stored or corrected: refresh the lessons showing it."""
    lesson_ids = list(
        db.session.scalars(select(Lesson.id).where(Lesson.recording_id == recording_id))
    )
    if lesson_ids:
        indexing.refresh(
            KIND, indexing.D.ref_id.in_(lesson_ids), _documents(Lesson.id.in_(lesson_ids))
        )


register(LessonSource())
