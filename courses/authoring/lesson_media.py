"""Lesson media workflows: the lesson video and its captions, extra caption tracks, attachments.

The video goes through ``courses.videos`` (the media pipeline's public functions); caption tracks
are checked WebVTT text; attachments are checked files (``courses.attachments``). Each function
commits once and tells ``course_changed`` listeners, or raises ``ServiceError`` leaving nothing.
"""

from __future__ import annotations

import re
from typing import IO

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import select

from courses import attachments, videos
from courses.authoring.services import notify_changed
from courses.models import Lesson, LessonAttachment, LessonCaption
from media.recordings.models import Recording
from media.transcripts.models import Sentence
from portal.audit.services import record_event
from portal.auth.models import User
from portal.errors import ServiceError
from portal.extensions import db

MAX_VTT_BYTES = 1024**2
CAPTION_LANGUAGES = ("en", "zh")
_VTT_HEADER = re.compile(r"\AWEBVTT(?:[ \t][^\n]*)?(?:\n|\Z)")
_VTT_TIMING = re.compile(
    r"^(?:\d{2,}:)?\d{2}:\d{2}\.\d{3}[ \t]+-->[ \t]+(?:\d{2,}:)?\d{2}:\d{2}\.\d{3}", re.M
)


def lesson_video(lesson: Lesson) -> Recording | None:
    """Return the lesson's video, if it has one."""
    return videos.get_video_or_404(lesson.recording_id) if lesson.recording_id else None


def set_lesson_video(lesson: Lesson, actor: User, upload_id: str, language: str) -> Recording:
    """Make the actor's finished upload the lesson's video and start its transcription.

    A refused file raises ``ServiceError`` (field ``upload_id``) and leaves nothing behind. The
    video it replaces is deleted with its transcript when nothing else uses it (see
    ``videos.discard_unused_video``).
    """
    try:
        recording = videos.add_video_from_upload(actor, upload_id, lesson.title, language)
    except ServiceError as exc:
        raise ServiceError(exc.message, field="upload_id") from exc
    replaced = lesson.recording_id
    lesson.recording_id = recording.id
    record_event(actor, "course.lesson_video_added", lesson, recording_id=recording.id)
    db.session.commit()
    if replaced is not None:
        videos.discard_unused_video(replaced, actor)
    notify_changed(lesson.module.course_id)
    return recording


def correct_caption(lesson: Lesson, actor: User, sentence_id: int, text: str) -> Sentence:
    """Correct one caption sentence of the lesson video (history kept by the transcript)."""
    recording = lesson_video(lesson)
    if recording is None:
        abort(404)
    sentence = videos.edit_caption(recording, sentence_id, actor, text)
    notify_changed(lesson.module.course_id)
    return sentence


def parse_caption_track(data: bytes) -> str:
    """Return an uploaded WebVTT file as text, or raise ``ServiceError`` saying what is wrong."""
    if len(data) > MAX_VTT_BYTES:
        raise ServiceError(
            _("The caption file is larger than %(size)s KB.", size=MAX_VTT_BYTES // 1024),
            field="file",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ServiceError(_("The caption file must be UTF-8 text."), field="file") from exc
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text or not _VTT_HEADER.match(text):
        raise ServiceError(
            _("This is not a WebVTT file: the first line must be WEBVTT."), field="file"
        )
    if not _VTT_TIMING.search(text):
        raise ServiceError(_("The caption file has no timed captions."), field="file")
    return text


def save_caption_track(
    lesson: Lesson, actor: User, language: str, stream: IO[bytes]
) -> LessonCaption:
    """Add or replace the lesson's extra caption track in ``language``."""
    if language not in CAPTION_LANGUAGES:
        raise ServiceError(_("Choose a language."), field="language")
    vtt = parse_caption_track(stream.read(MAX_VTT_BYTES + 1))
    track = get_caption_track(lesson, language)
    if track is None:
        track = LessonCaption(lesson_id=lesson.id, language=language, vtt=vtt)
        db.session.add(track)
    track.vtt = vtt
    record_event(actor, "course.caption_track_saved", lesson, language=language)
    db.session.commit()
    notify_changed(lesson.module.course_id)
    return track


def get_caption_track(lesson: Lesson, language: str) -> LessonCaption | None:
    """Return the lesson's extra caption track in ``language``, if any."""
    return db.session.scalar(
        select(LessonCaption).where(
            LessonCaption.lesson_id == lesson.id, LessonCaption.language == language
        )
    )


def delete_caption_track(lesson: Lesson, actor: User, language: str) -> None:
    """Remove the lesson's extra caption track in ``language`` (a missing one answers 404)."""
    track = get_caption_track(lesson, language)
    if track is None:
        abort(404)
    record_event(actor, "course.caption_track_deleted", lesson, language=language)
    db.session.delete(track)
    db.session.commit()
    notify_changed(lesson.module.course_id)


def get_attachment_or_404(attachment_id: int) -> LessonAttachment:
    """Load an attachment; a missing id answers 404."""
    return db.get_or_404(LessonAttachment, attachment_id)


def add_attachment(
    lesson: Lesson, actor: User, stream: IO[bytes], filename: str
) -> LessonAttachment:
    """Check and store a file for the lesson; a refused file leaves nothing."""
    stored = attachments.store_attachment(stream, filename)
    try:
        attachment = LessonAttachment(
            lesson_id=lesson.id,
            filename=stored.filename,
            stored_name=stored.stored_name,
            content_type=stored.content_type,
            size_bytes=stored.size_bytes,
        )
        db.session.add(attachment)
        record_event(actor, "course.attachment_added", lesson, filename=stored.filename)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        attachments.delete_attachment_file(stored.stored_name)
        raise
    notify_changed(lesson.module.course_id)
    return attachment


def delete_attachment(attachment: LessonAttachment, actor: User) -> Lesson:
    """Delete an attachment and its file; return its lesson."""
    lesson = db.session.get_one(Lesson, attachment.lesson_id)
    stored_name = attachment.stored_name
    record_event(actor, "course.attachment_deleted", lesson, filename=attachment.filename)
    db.session.delete(attachment)
    db.session.commit()
    attachments.delete_attachment_file(stored_name)
    notify_changed(lesson.module.course_id)
    return lesson
