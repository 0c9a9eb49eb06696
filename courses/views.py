"""Learner pages: the course catalog, a course, the lesson player, progress and resume."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required

from courses import attachments, completion, covers, learning, videos
from courses import progress as lesson_progress
from courses.forms import ProgressForm
from courses.markdown import render_markdown
from courses.models import Course, Lesson
from courses.panels import lesson_panels
from media.recordings.models import Recording
from portal.auth.access import acting_user
from portal.errors import ServiceError
from portal.extensions import limiter
from portal.forms import ConfirmForm, form_action

bp = Blueprint("courses", __name__, url_prefix="/courses", template_folder="templates")

LANGUAGE_LABELS = {"zh": "中文", "en": "English"}
LEVEL_LABELS = {
    "beginner": _l("Beginner"),
    "intermediate": _l("Intermediate"),
    "advanced": _l("Advanced"),
}
LESSON_STATE_LABELS = {
    "not_started": _l("Not started"),
    "in_progress": _l("In progress"),
    "done": _l("Done"),
}
PRACTICE_LABELS = {
    "not_sent": _l("Practice: not sent yet"),
    "submitted": _l("Practice: waiting for review"),
    "passed": _l("Practice: passed"),
    "try_again": _l("Practice: try again"),
}


def _progress_limit() -> str:
    return current_app.config["COURSES_PROGRESS_RATE_LIMIT"]


def _per_user() -> str:
    return (
        f"user:{current_user.get_id()}" if current_user.is_authenticated else get_remote_address()
    )


@bp.context_processor
def _labels() -> dict[str, object]:
    """Translated names of levels and states, for display."""
    return {
        "level_label": lambda value: LEVEL_LABELS.get(str(value), value),
        "lesson_state_label": lambda value: LESSON_STATE_LABELS.get(str(value), value),
        "practice_state_label": lambda value: PRACTICE_LABELS.get(str(value), value),
    }


@bp.app_template_global()
def course_cover_url(course: Course) -> str | None:
    """Return the address of a course's cover image, or None."""
    return covers.cover_url(course)


def _link_if(allowed: bool, endpoint: str, **values: object) -> str | None:
    """Return a link to another courses page when it is allowed and that page exists."""
    if not allowed or endpoint not in current_app.view_functions:
        return None
    return url_for(endpoint, **values)


@bp.app_template_filter("markdown")
def markdown_filter(text: str | None) -> object:
    """Render course Markdown (sanitised) in a template."""
    return render_markdown(text)


@bp.get("/")
@login_required
def catalog() -> ResponseReturnValue:
    """The published courses, with the learner's progress and a continue link."""
    user = acting_user()
    return render_template(
        "courses/catalog.html",
        cards=learning.catalog(user),
        authoring_url=_link_if(user.is_staff, "courses_authoring.index"),
    )


@bp.get("/<int:course_id>")
@login_required
def course(course_id: int) -> ResponseReturnValue:
    """A course: description, modules and lessons with the learner's status, enrol button."""
    user = acting_user()
    item = learning.get_course_or_404(user, course_id)
    enrolment = completion.get_enrolment(user, item)
    certificate = completion.get_certificate(user, item)
    return render_template(
        "courses/course.html",
        course=item,
        is_preview=not item.is_published,
        enrolment=enrolment,
        status=completion.course_status(user, item),
        outline=learning.course_outline(user, item),
        form=ConfirmForm(),
        resume_lesson_id=learning.resume_lesson_id(enrolment, item) if enrolment else None,
        authoring_url=_link_if(user.is_staff, "courses_authoring.course", course_id=item.id),
        certificate_url=_link_if(
            certificate is not None,
            "courses_certificates.certificate",
            code=certificate.code if certificate else "",
        ),
    )


@bp.post("/<int:course_id>/enrol")
@login_required
def enrol(course_id: int) -> ResponseReturnValue:
    """Enrol in the course (twice is harmless) and go back to it."""
    user = acting_user()
    item = learning.get_course_or_404(user, course_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        with form_action(form):
            lesson_progress.enrol(user, item)
            flash(_("You are enrolled. Start with the first lesson."), "success")
    return redirect(url_for(".course", course_id=item.id))


@bp.get("/lessons/<int:lesson_id>")
@login_required
def lesson(lesson_id: int) -> ResponseReturnValue:
    """The lesson player: video with captions, transcript, notes, attachments, quiz, practice."""
    user = acting_user()
    item = learning.get_lesson_or_404(user, lesson_id)
    recording = learning.lesson_video(item)
    previous, following = learning.neighbours(item)
    return render_template(
        "courses/lesson.html",
        lesson=item,
        course=item.module.course,
        recording=recording,
        is_preview=not item.module.course.is_published,
        progress=lesson_progress.get_progress(user, item),
        watch=lesson_progress.lesson_watch_status(user, item),
        sentences=videos.sentences(recording) if recording else [],
        is_processing=bool(recording and videos.is_processing(recording)),
        caption_tracks=_caption_tracks(item, recording),
        previous=previous,
        following=following,
        panels=lesson_panels(item, user),
        form=ConfirmForm(),
        authoring_url=_link_if(user.is_staff, "courses_authoring.lesson", lesson_id=item.id),
    )


def _caption_tracks(lesson: Lesson, recording: Recording | None) -> list[dict[str, object]]:
    """Return the ``<track>`` elements: the transcript's captions, then each extra language."""
    tracks = []
    language = videos.captions_language(recording) if recording else None
    if language:
        tracks.append(
            {
                "src": url_for(".lesson_captions", lesson_id=lesson.id),
                "srclang": language,
                "label": LANGUAGE_LABELS.get(language, language),
            }
        )
    for caption in lesson.captions:
        if caption.language == language:
            continue
        tracks.append(
            {
                "src": url_for(".lesson_caption", lesson_id=lesson.id, caption_id=caption.id),
                "srclang": caption.language,
                "label": LANGUAGE_LABELS.get(caption.language, caption.language),
            }
        )
    wanted = "en" if str(get_locale()).startswith("en") else "zh"
    default = next((t for t in tracks if t["srclang"] == wanted), tracks[0] if tracks else None)
    for track in tracks:
        track["default"] = track is default
    return tracks


@bp.get("/lessons/<int:lesson_id>/video")
@login_required
def lesson_video(lesson_id: int) -> ResponseReturnValue:
    """Stream the lesson video (HTTP Range supported, so seeking works)."""
    recording = learning.lesson_video(learning.get_lesson_or_404(acting_user(), lesson_id))
    if recording is None:
        abort(404)
    return videos.video_response(recording)


@bp.get("/lessons/<int:lesson_id>/captions.vtt")
@login_required
def lesson_captions(lesson_id: int) -> ResponseReturnValue:
    """The lesson video's captions from its transcript (WebVTT)."""
    recording = learning.lesson_video(learning.get_lesson_or_404(acting_user(), lesson_id))
    body = videos.captions_vtt(recording) if recording else None
    if body is None:
        abort(404)
    return Response(body, mimetype="text/vtt")


@bp.get("/lessons/<int:lesson_id>/captions/<int:caption_id>.vtt")
@login_required
def lesson_caption(lesson_id: int, caption_id: int) -> ResponseReturnValue:
    """An extra caption track of the lesson (WebVTT in another language)."""
    item = learning.get_lesson_or_404(acting_user(), lesson_id)
    return Response(learning.get_caption_or_404(item, caption_id).vtt, mimetype="text/vtt")


@bp.get("/lessons/<int:lesson_id>/attachments/<int:attachment_id>")
@login_required
def attachment(lesson_id: int, attachment_id: int) -> ResponseReturnValue:
    """Download one of the lesson's attachments under its original name."""
    item = learning.get_lesson_or_404(acting_user(), lesson_id)
    row = learning.get_attachment_or_404(item, attachment_id)
    if not attachments.attachment_path(row.stored_name).is_file():
        abort(404)
    return attachments.send_attachment(row)


@bp.post("/lessons/<int:lesson_id>/progress")
@login_required
@limiter.limit(_progress_limit, key_func=_per_user)
def progress(lesson_id: int) -> ResponseReturnValue:
    """Save the player's position (JSON or form: ``position_s``, ``duration_s``, ``seq``)."""
    user = acting_user()
    item = learning.get_learning_lesson_or_404(user, lesson_id)
    form = ProgressForm()
    if not form.validate():
        return jsonify(errors=form.errors), 400
    try:
        report = lesson_progress.record_progress(user, item, form.position_s.data, form.seq.data)
    except ServiceError as exc:
        return jsonify(errors={"lesson": [exc.message]}), 409
    return jsonify(
        position_s=report.position_s,
        furthest_s=report.furthest_s,
        completed=report.is_complete,
        accepted=report.accepted,
        seq=report.seq,
        watched_percent=report.watch.watched_percent,
        can_mark_done=report.watch.is_enough,
        watch_note="" if report.watch.is_enough else report.watch.note(),
    )


@bp.post("/lessons/<int:lesson_id>/done")
@login_required
def mark_done(lesson_id: int) -> ResponseReturnValue:
    """Mark the lesson as done by hand (a video lesson once enough of it was watched)."""
    user = acting_user()
    item = learning.get_learning_lesson_or_404(user, lesson_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        with form_action(form):
            lesson_progress.mark_lesson_done(user, item)
            flash(_("Lesson marked as done."), "success")
    return redirect(url_for(".lesson", lesson_id=item.id))
