"""Quiz pages: learners take a lesson's quiz and read the feedback; staff author it."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from courses.quizzes import authoring, services
from courses.quizzes.forms import (
    MoveForm,
    QuestionForm,
    QuizSettingsForm,
    answer_sheet,
    kind_label,
)
from portal.auth.access import acting_user, staff_required
from portal.forms import ConfirmForm, form_action

bp = Blueprint("courses_quizzes", __name__, url_prefix="/courses", template_folder="templates")


@bp.route("/lessons/<int:lesson_id>/quiz", methods=["GET", "POST"])
@login_required
def take(lesson_id: int) -> ResponseReturnValue:
    """The answer sheet; a valid submission is scored on the server (kept unless a preview)."""
    user = acting_user()
    lesson = services.get_quiz_lesson_or_404(lesson_id, user)
    quiz = lesson.quiz
    assert quiz is not None  # the loader answers 404 otherwise
    stats = services.attempt_stats(quiz, user)
    stored = services.stores_attempts(lesson)
    allowed = services.can_attempt(quiz, stats.used) or not stored
    form = answer_sheet(quiz)
    if not allowed and form.is_submitted():
        flash(_("You have used all the attempts allowed for this quiz."), "error")
    elif form.validate_on_submit():
        answers, quiz_id = form.answers(), form.submitted_quiz_id()
        if not stored:
            preview = services.preview_attempt(lesson, quiz_id, answers)
            return render_template(
                "quizzes/result.html",
                lesson=lesson,
                quiz=quiz,
                scored=preview,
                preview=True,
                revealed=True,
            )
        with form_action(form):
            kept = services.submit_attempt(lesson, user, quiz_id, answers)
            return redirect(url_for(".attempt", attempt_id=kept.id))
    return render_template(
        "quizzes/take.html",
        lesson=lesson,
        quiz=quiz,
        form=form,
        stats=stats,
        allowed=allowed,
        preview=not stored,
        attempts_left=services.attempts_left(quiz.max_attempts, stats.used),
    )


@bp.get("/quizzes/attempts/<int:attempt_id>")
@login_required
def attempt(attempt_id: int) -> ResponseReturnValue:
    """An attempt's result: score, pass or fail, and feedback on every question."""
    user = acting_user()
    row = services.get_attempt_or_404(attempt_id, user)
    quiz = services.get_attempt_quiz(row)
    stats = services.attempt_stats(quiz, user) if row.user_id == user.id else None
    scored = services.attempt_feedback(row)
    revealed = stats is None or services.reveals_answers(quiz, stats)  # staff read others' too
    return render_template(
        "quizzes/result.html",
        lesson=quiz.lesson,
        quiz=quiz,
        attempt=row,
        preview=False,
        scored=scored if revealed else services.without_answers(scored),
        revealed=revealed,
        stats=stats,
        can_attempt=stats is not None and services.can_attempt(quiz, stats.used),
        attempts_left=services.attempts_left(quiz.max_attempts, stats.used) if stats else None,
    )


@bp.route("/manage/lessons/<int:lesson_id>/quiz", methods=["GET", "POST"])
@staff_required
def edit(lesson_id: int) -> ResponseReturnValue:
    """A lesson's quiz: add it, change its settings, list and order its questions."""
    lesson = authoring.get_staff_lesson_or_404(lesson_id)
    quiz = lesson.quiz
    form = QuizSettingsForm(obj=quiz)
    if form.validate_on_submit():
        settings, actor = form.to_settings(), acting_user()
        with form_action(form):
            if quiz is None:
                authoring.add_quiz(lesson, actor, settings)
            else:
                authoring.update_quiz(quiz, actor, settings)
            flash(_("Quiz saved."), "success")
            return redirect(url_for(".edit", lesson_id=lesson.id))
    return render_template(
        "quizzes/edit.html",
        lesson=lesson,
        quiz=quiz,
        form=form,
        kind_label=kind_label,
        move_form=MoveForm(),
        confirm_form=ConfirmForm(),
    )


@bp.route("/manage/quizzes/<int:quiz_id>/delete", methods=["GET", "POST"])
@staff_required
def delete_quiz(quiz_id: int) -> ResponseReturnValue:
    """Ask, then remove the quiz with its questions and attempts."""
    quiz = authoring.get_quiz_or_404(quiz_id)
    lesson = quiz.lesson
    form = ConfirmForm()
    if form.validate_on_submit():
        authoring.delete_quiz(quiz, acting_user())
        flash(_("Quiz removed."), "success")
        return redirect(url_for(".edit", lesson_id=lesson.id))
    return render_template("quizzes/delete.html", lesson=lesson, quiz=quiz, form=form)


@bp.route("/manage/quizzes/<int:quiz_id>/questions/new", methods=["GET", "POST"])
@staff_required
def new_question(quiz_id: int) -> ResponseReturnValue:
    """Add a question at the end of the quiz."""
    quiz = authoring.get_quiz_or_404(quiz_id)
    form = QuestionForm()
    if form.validate_on_submit():
        with form_action(form):
            authoring.save_question(quiz, acting_user(), form.to_data())
            flash(_("Question added."), "success")
            return redirect(url_for(".edit", lesson_id=quiz.lesson_id))
    return render_template("quizzes/question.html", quiz=quiz, question=None, form=form)


@bp.route("/manage/quizzes/questions/<int:question_id>", methods=["GET", "POST"])
@staff_required
def edit_question(question_id: int) -> ResponseReturnValue:
    """Edit a question and its choices."""
    question = authoring.get_question_or_404(question_id)
    quiz = authoring.get_quiz_or_404(question.quiz_id)
    form = QuestionForm()
    if not form.is_submitted():
        form.fill_from(question)
    if form.validate_on_submit():
        with form_action(form):
            authoring.save_question(quiz, acting_user(), form.to_data(), question)
            flash(_("Question saved."), "success")
            return redirect(url_for(".edit", lesson_id=quiz.lesson_id))
    return render_template("quizzes/question.html", quiz=quiz, question=question, form=form)


@bp.post("/manage/quizzes/questions/<int:question_id>/delete")
@staff_required
def delete_question(question_id: int) -> ResponseReturnValue:
    """Remove a question (the page asks first)."""
    question = authoring.get_question_or_404(question_id)
    lesson_id = authoring.get_quiz_or_404(question.quiz_id).lesson_id
    if not ConfirmForm().validate_on_submit():
        abort(400)
    authoring.delete_question(question, acting_user())
    flash(_("Question removed."), "success")
    return redirect(url_for(".edit", lesson_id=lesson_id))


@bp.post("/manage/quizzes/questions/<int:question_id>/move")
@staff_required
def move_question(question_id: int) -> ResponseReturnValue:
    """Move a question one place up or down."""
    question = authoring.get_question_or_404(question_id)
    lesson_id = authoring.get_quiz_or_404(question.quiz_id).lesson_id
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    authoring.move_question(question, acting_user(), form.direction.data)
    return redirect(url_for(".edit", lesson_id=lesson_id, _anchor=f"question-{question.id}"))
