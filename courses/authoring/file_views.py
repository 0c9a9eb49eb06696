"""Authoring pages for a lesson's files: extra caption tracks (WebVTT) and attachments."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from courses import attachments
from courses.authoring import lesson_media, services
from courses.authoring.blueprint import bp, uploaded
from courses.authoring.forms import AttachmentForm, CaptionTrackForm
from courses.authoring.lesson_views import lesson_page
from portal.auth.access import acting_user, staff_required
from portal.forms import ConfirmForm, form_action

LANGUAGE = "<any(en, zh):language>"


@bp.post("/lessons/<int:lesson_id>/tracks")
@staff_required
def add_track(lesson_id: int) -> ResponseReturnValue:
    """Add or replace an extra caption track (e.g. English) from a WebVTT file."""
    lesson = services.get_lesson_or_404(lesson_id)
    form = CaptionTrackForm()
    if form.validate_on_submit():
        with form_action(form):
            lesson_media.save_caption_track(
                lesson, acting_user(), form.language.data, uploaded(form.file)
            )
            flash(_("Captions saved."), "success")
            return redirect(url_for(".lesson", lesson_id=lesson.id, _anchor="captions"))
    return lesson_page(lesson, track_form=form)


@bp.get(f"/lessons/<int:lesson_id>/tracks/{LANGUAGE}.vtt")
@staff_required
def track(lesson_id: int, language: str) -> ResponseReturnValue:
    """Serve an extra caption track as WebVTT."""
    found = lesson_media.get_caption_track(services.get_lesson_or_404(lesson_id), language)
    if found is None:
        abort(404)
    return Response(found.vtt, mimetype="text/vtt")


@bp.post(f"/lessons/<int:lesson_id>/tracks/{LANGUAGE}/delete")
@staff_required
def delete_track(lesson_id: int, language: str) -> ResponseReturnValue:
    """Remove an extra caption track."""
    lesson = services.get_lesson_or_404(lesson_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        with form_action(form):
            lesson_media.delete_caption_track(lesson, acting_user(), language)
            flash(_("Captions removed."), "success")
    return redirect(url_for(".lesson", lesson_id=lesson.id, _anchor="captions"))


@bp.post("/lessons/<int:lesson_id>/attachments")
@staff_required
def add_attachment(lesson_id: int) -> ResponseReturnValue:
    """Upload a file for the lesson."""
    lesson = services.get_lesson_or_404(lesson_id)
    form = AttachmentForm()
    if form.validate_on_submit():
        with form_action(form):
            lesson_media.add_attachment(
                lesson, acting_user(), uploaded(form.file), form.file.data.filename
            )
            flash(_("File added."), "success")
            return redirect(url_for(".lesson", lesson_id=lesson.id, _anchor="attachments"))
    return lesson_page(lesson, attachment_form=form)


@bp.get("/attachments/<int:attachment_id>")
@staff_required
def attachment(attachment_id: int) -> ResponseReturnValue:
    """Download an attachment."""
    return attachments.send_attachment(lesson_media.get_attachment_or_404(attachment_id))


@bp.post("/attachments/<int:attachment_id>/delete")
@staff_required
def delete_attachment(attachment_id: int) -> ResponseReturnValue:
    """Delete an attachment and its file."""
    found = lesson_media.get_attachment_or_404(attachment_id)
    lesson_id = found.lesson_id
    form = ConfirmForm()
    if form.validate_on_submit():
        with form_action(form):
            lesson_media.delete_attachment(found, acting_user())
            flash(_("File deleted."), "success")
    return redirect(url_for(".lesson", lesson_id=lesson_id, _anchor="attachments"))
