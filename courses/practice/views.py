"""Practice pages: send a practice video, the trainer's queue, a submission with its review."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from courses.models import PracticeSubmission
from courses.practice import services
from courses.practice.forms import SubmitPracticeForm
from portal.auth.access import acting_user
from portal.forms import apply_form_action

bp = Blueprint("courses_practice", __name__, url_prefix="/courses", template_folder="templates")


@bp.route("/lessons/<int:lesson_id>/practice", methods=["GET", "POST"])
@login_required
def submit(lesson_id: int) -> ResponseReturnValue:
    """Send a practice video for a lesson (the lesson page posts here)."""
    lesson = services.get_practice_lesson_or_404(lesson_id, acting_user())
    form = SubmitPracticeForm()
    created: list[PracticeSubmission] = []
    if form.validate_on_submit() and apply_form_action(
        form,
        lambda: created.append(
            services.submit_practice(lesson, acting_user(), form.upload_id.data, form.language.data)
        ),
    ):
        flash(_("Practice video sent. It is being transcribed for the trainer."), "success")
        return redirect(url_for(".submission", submission_id=created[0].id))
    panel = services.practice_panel(lesson, acting_user())
    return render_template("practice/submit.html", lesson=lesson, form=form, panel=panel)


@bp.get("/practice/<int:submission_id>")
@login_required
def submission(submission_id: int) -> ResponseReturnValue:
    """A submission: processing progress, then the player, transcript, comments and decision."""
    item = services.get_submission_or_404(submission_id, acting_user())
    return render_template("practice/submission.html", submission=item)
