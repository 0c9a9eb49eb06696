"""Authoring pages for one lesson: details and notes, module, video and captions, files."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from courses import attachments, videos
from courses.authoring import lesson_media, services
from courses.authoring.blueprint import bp, url_if_exists
from courses.authoring.forms import (
    AttachmentForm,
    CaptionForm,
    CaptionTrackForm,
    LessonForm,
    LessonModuleForm,
    LessonVideoForm,
)
from courses.markdown import render_markdown
from courses.models import Lesson
from portal.auth.access import acting_user, staff_required
from portal.forms import ConfirmForm, form_action
from portal.web import htmx_refresh, render_page_or_partial, wants_partial


def _module_form(lesson: Lesson, formdata: Any = None) -> LessonModuleForm:
    form = LessonModuleForm(formdata=formdata, module_id=lesson.module_id)
    form.module_id.choices = [(m.id, m.title) for m in lesson.module.course.modules]
    return form


def _video_state(lesson: Lesson) -> dict[str, Any]:
    """The lesson video, its processing job, and its caption sentences once transcribed."""
    recording = lesson_media.lesson_video(lesson)
    job = videos.processing_job(recording) if recording else None
    processing = recording is not None and videos.is_processing(recording)
    ready = recording is not None and not processing
    return {
        "recording": recording,
        "job": job,
        "processing": processing,
        "sentences": videos.sentences(recording) if ready else [],
        "captions_language": videos.captions_language(recording) if ready else None,
    }


def lesson_page(lesson: Lesson, **forms: Any) -> ResponseReturnValue:
    """Render the lesson page; ``forms`` replaces the blank form that failed validation."""
    lesson_form = forms.get("lesson_form") or LessonForm(formdata=None, obj=lesson)
    return render_template(
        "authoring/lesson.html",
        lesson=lesson,
        course=lesson.module.course,
        lesson_form=lesson_form,
        notes_html=render_markdown(lesson_form.notes_md.data),
        module_form=forms.get("module_form") or _module_form(lesson),
        video_form=forms.get("video_form") or LessonVideoForm(formdata=None),
        track_form=forms.get("track_form") or CaptionTrackForm(formdata=None),
        attachment_form=forms.get("attachment_form") or AttachmentForm(formdata=None),
        caption_form=CaptionForm(formdata=None),
        action_form=ConfirmForm(formdata=None),
        allowed_kinds=attachments.allowed_extensions(),
        quiz_editor_url=url_if_exists("courses_quizzes.edit", lesson_id=lesson.id),
        learner_url=url_if_exists("courses.lesson", lesson_id=lesson.id),
        **_video_state(lesson),
    )


def _back(lesson: Lesson, anchor: str | None = None) -> ResponseReturnValue:
    return redirect(url_for(".lesson", lesson_id=lesson.id, _anchor=anchor))


@bp.route("/lessons/<int:lesson_id>", methods=["GET", "POST"])
@staff_required
def lesson(lesson_id: int) -> ResponseReturnValue:
    """The lesson: edit its title, notes (with a preview) and practice prompt; its media."""
    item = services.get_lesson_or_404(lesson_id)
    form = LessonForm(obj=item)
    if form.preview.data and form.validate_on_submit():
        return lesson_page(item, lesson_form=form)
    data = services.LessonData(
        form.title.data or "", form.notes_md.data or "", form.practice_prompt.data or ""
    )
    if form.validate_on_submit():
        with form_action(form):
            services.update_lesson(item, acting_user(), data)
            flash(_("Lesson saved."), "success")
            return _back(item)
    return lesson_page(item, lesson_form=form)


@bp.post("/lessons/<int:lesson_id>/module")
@staff_required
def move_lesson_to_module(lesson_id: int) -> ResponseReturnValue:
    """Move the lesson to another module of the course."""
    item = services.get_lesson_or_404(lesson_id)
    form = _module_form(item, request.form)
    if form.validate_on_submit():
        with form_action(form):
            services.move_lesson_to_module(item, acting_user(), form.module_id.data)
            flash(_("Lesson moved."), "success")
            return _back(item)
    return lesson_page(item, module_form=form)


@bp.post("/lessons/<int:lesson_id>/delete")
@staff_required
def delete_lesson(lesson_id: int) -> ResponseReturnValue:
    """Delete the lesson with its files."""
    item = services.get_lesson_or_404(lesson_id)
    course_id = item.module.course_id
    form = ConfirmForm()
    if form.validate_on_submit():
        with form_action(form):
            services.delete_lesson(item, acting_user())
            flash(_("Lesson deleted."), "success")
            return redirect(url_for(".course", course_id=course_id))
    return _back(item)


@bp.post("/lessons/<int:lesson_id>/video")
@staff_required
def video(lesson_id: int) -> ResponseReturnValue:
    """Use a finished upload as the lesson video and start its transcription."""
    item = services.get_lesson_or_404(lesson_id)
    form = LessonVideoForm()
    if form.validate_on_submit():
        with form_action(form):
            lesson_media.set_lesson_video(
                item, acting_user(), form.upload_id.data, form.language.data
            )
            flash(_("Video added. Transcription has started."), "success")
            return _back(item, "video")
    return lesson_page(item, video_form=form)


@bp.get("/lessons/<int:lesson_id>/video/status")
@staff_required
def video_status(lesson_id: int) -> ResponseReturnValue:
    """The polled processing status; asks the page to reload when processing ends."""
    item = services.get_lesson_or_404(lesson_id)
    if not wants_partial():
        return _back(item, "video")
    state = _video_state(item)
    response = render_page_or_partial(
        "authoring/lesson.html", "authoring/_video_status.html", lesson=item, **state
    )
    if request.args.get("polling") and not state["processing"]:
        return htmx_refresh(response)
    return response


@bp.get("/lessons/<int:lesson_id>/video/file")
@staff_required
def video_file(lesson_id: int) -> ResponseReturnValue:
    """Stream the lesson video for the trainer's player (HTTP Range supported)."""
    recording = lesson_media.lesson_video(services.get_lesson_or_404(lesson_id))
    if recording is None:
        abort(404)
    return videos.video_response(recording)


@bp.get("/lessons/<int:lesson_id>/video/captions.vtt")
@staff_required
def video_captions(lesson_id: int) -> ResponseReturnValue:
    """The lesson video's captions (the corrected transcript) as WebVTT."""
    recording = lesson_media.lesson_video(services.get_lesson_or_404(lesson_id))
    body = videos.captions_vtt(recording) if recording else None
    if body is None:
        abort(404)
    return Response(body, mimetype="text/vtt")


@bp.route("/lessons/<int:lesson_id>/captions/<int:sentence_id>", methods=["GET", "POST"])
@staff_required
def caption(lesson_id: int, sentence_id: int) -> ResponseReturnValue:
    """Show one caption sentence (``?edit=1`` for its form) or save its correction."""
    item = services.get_lesson_or_404(lesson_id)
    recording = lesson_media.lesson_video(item)
    found = videos.sentences(recording) if recording else []
    sentence = next((s for s in found if s.id == sentence_id), None)
    if sentence is None:
        abort(404)
    form = CaptionForm(text=sentence.shown_text)
    editing = request.args.get("edit") == "1" or form.is_submitted()
    if form.validate_on_submit():
        with form_action(form):
            lesson_media.correct_caption(item, acting_user(), sentence_id, form.text.data)
            editing = False
    return render_page_or_partial(
        "authoring/caption.html",
        "authoring/_caption.html",
        lesson=item,
        sentence=sentence,
        caption_form=form,
        editing=editing,
        captions_language=videos.captions_language(recording),
    )
