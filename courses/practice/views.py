"""Practice pages: send a practice video, the trainers' queue, a submission with its review."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from courses import videos
from courses.models import PracticeSubmission
from courses.practice import review, services
from courses.practice.forms import DecisionForm, SubmitPracticeForm
from portal.auth.access import acting_user, staff_required
from portal.comments import services as comments
from portal.comments.forms import CommentForm
from portal.forms import ConfirmForm, form_action
from portal.web import htmx_refresh

bp = Blueprint("courses_practice", __name__, url_prefix="/courses", template_folder="templates")


@bp.app_context_processor
def _practice_labels() -> dict[str, object]:
    return {"practice_state_label": services.state_label}


@bp.route("/lessons/<int:lesson_id>/practice", methods=["GET", "POST"])
@login_required
def submit(lesson_id: int) -> ResponseReturnValue:
    """Send a practice video for a lesson (the lesson page's panel posts here)."""
    lesson = services.get_practice_lesson_or_404(lesson_id, acting_user())
    form = SubmitPracticeForm()
    if form.validate_on_submit():
        with form_action(form):
            created = services.submit_practice(
                lesson, acting_user(), form.upload_id.data, form.language.data
            )
            flash(_("Practice video sent. It is being transcribed for the trainer."), "success")
            return redirect(url_for(".submission", submission_id=created.id))
    panel = services.practice_panel(lesson, acting_user())
    return render_template("practice/submit.html", lesson=lesson, form=form, panel=panel)


@bp.get("/practice/queue")
@staff_required
def queue() -> ResponseReturnValue:
    """Practice videos waiting for a trainer's decision, oldest first."""
    return render_template(
        "practice/queue.html", rows=review.review_queue(), waiting=review.count_waiting()
    )


def _page(submission: PracticeSubmission, **forms: object) -> ResponseReturnValue:
    return render_template(
        "practice/submission.html",
        page=review.submission_page(submission, acting_user()),
        decision_form=forms.get("decision_form") or DecisionForm(formdata=None),
        comment_form=forms.get("comment_form") or CommentForm(formdata=None),
        confirm_form=ConfirmForm(),
    )


@bp.get("/practice/<int:submission_id>")
@login_required
def submission(submission_id: int) -> ResponseReturnValue:
    """A submission: processing progress, then the player, transcript, comments and decision."""
    return _page(services.get_submission_or_404(submission_id, acting_user()))


@bp.get("/practice/<int:submission_id>/status")
@login_required
def status(submission_id: int) -> ResponseReturnValue:
    """The polled processing partial; asks the page to reload when processing ends."""
    item = services.get_submission_or_404(submission_id, acting_user())
    page = review.submission_page(item, acting_user())
    response = make_response(render_template("practice/_status.html", page=page))
    if request.args.get("polling") and not page.is_processing:
        return htmx_refresh(response)
    return response


@bp.get("/practice/<int:submission_id>/<any(video, captions):kind>")
@login_required
def media(submission_id: int, kind: str) -> ResponseReturnValue:
    """The practice video (Range supported) or its captions as WebVTT."""
    item = services.get_submission_or_404(submission_id, acting_user())
    if item.recording_id is None:
        abort(404)
    recording = videos.get_video_or_404(item.recording_id)
    if kind == "video":
        return videos.video_response(recording)
    vtt = videos.captions_vtt(recording)
    if vtt is None:
        abort(404)
    return Response(vtt, mimetype="text/vtt")


@bp.post("/practice/<int:submission_id>/decision")
@staff_required
def decide(submission_id: int) -> ResponseReturnValue:
    """A trainer passes the video or asks for another try, with rubric scores and feedback."""
    item = services.get_submission_or_404(submission_id, acting_user())
    form = DecisionForm()
    if form.validate_on_submit():
        with form_action(form):
            review.decide_submission(
                item,
                acting_user(),
                passed=form.decision.data == "pass",
                rubric=form.scores(),
                feedback=form.feedback.data or "",
            )
            flash(_("Decision sent to the learner."), "success")
            return redirect(url_for(".queue"))
    return _page(item, decision_form=form)


@bp.post("/practice/<int:submission_id>/comments")
@login_required
def comment(submission_id: int) -> ResponseReturnValue:
    """Pin a trainer's comment to the video's current time, or reply to one."""
    item = services.get_submission_or_404(submission_id, acting_user())
    form = CommentForm()
    if form.validate_on_submit():
        parent_id = int(form.parent_id.data) if (form.parent_id.data or "").isdigit() else None
        with form_action(form):
            review.add_feedback_comment(
                item,
                acting_user(),
                body=form.body.data,
                at_s=float(form.at_s.data or 0),
                parent_id=parent_id,
            )
            return redirect(url_for(".submission", submission_id=item.id) + "#comments")
    return _page(item, comment_form=form)


@bp.post("/practice/<int:submission_id>/comments/<int:comment_id>/resolve")
@staff_required
def resolve_comment(submission_id: int, comment_id: int) -> ResponseReturnValue:
    """Mark a comment dealt with (or open it again)."""
    item = services.get_submission_or_404(submission_id, acting_user())
    found = comments.get_comment_or_404(item, comment_id)
    if ConfirmForm().validate_on_submit():
        comments.set_resolved(found, acting_user(), request.form.get("resolved") == "1")
    return redirect(url_for(".submission", submission_id=item.id) + "#comments")
