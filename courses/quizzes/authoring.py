"""Authoring quizzes: a lesson's quiz settings, its questions and their choices.

Trainers and administrators call these; each function is one unit of work that commits, or raises
``ServiceError`` naming the form field at fault and writes nothing. Every change tells search
that the course changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from flask import current_app
from flask_babel import gettext as _

from courses.models import AnswerReveal, Lesson, QuestionKind, Quiz, QuizChoice, QuizQuestion
from courses.signals import course_changed
from portal.audit.services import record_event
from portal.auth.models import User
from portal.errors import ServiceError
from portal.extensions import db

MAX_CHOICES = 6


@dataclass(frozen=True)
class QuizSettings:
    """A quiz's pass mark (percent), attempts allowed (0 = unlimited), when answers are shown."""

    pass_percent: int
    max_attempts: int
    answer_reveal: AnswerReveal = AnswerReveal.AFTER_PASS


@dataclass(frozen=True)
class ChoiceData:
    """One choice row of the question form; ``choice_id`` is set for an existing choice."""

    text: str
    is_correct: bool
    choice_id: int | None = None


@dataclass(frozen=True)
class QuestionData:
    """A question as the author entered it.

    ``choices`` is used for single and multiple choice (blank rows are ignored);
    ``statement_is_true`` for true/false questions.
    """

    kind: QuestionKind
    prompt: str
    explanation: str = ""
    choices: tuple[ChoiceData, ...] = ()
    statement_is_true: bool | None = None


def _changed(lesson: Lesson) -> None:
    course_changed.send(current_app._get_current_object(), course_id=lesson.module.course_id)


def _check_settings(settings: QuizSettings) -> None:
    if not 0 <= settings.pass_percent <= 100:
        raise ServiceError(_("Enter a pass mark from 0 to 100."), field="pass_percent")
    if not 0 <= settings.max_attempts <= 100:
        raise ServiceError(_("Enter 0 (unlimited) to 100 attempts."), field="max_attempts")


def add_quiz(lesson: Lesson, actor: User, settings: QuizSettings) -> Quiz:
    """Give the lesson a quiz (without questions yet)."""
    _check_settings(settings)
    if lesson.quiz is not None:
        raise ServiceError(_("This lesson already has a quiz."))
    quiz = Quiz(
        lesson_id=lesson.id,
        pass_percent=settings.pass_percent,
        max_attempts=settings.max_attempts,
        answer_reveal=settings.answer_reveal,
    )
    db.session.add(quiz)
    record_event(actor, "quiz.created", quiz, lesson=lesson.id)
    db.session.commit()
    _changed(lesson)
    return quiz


def update_quiz(quiz: Quiz, actor: User, settings: QuizSettings) -> Quiz:
    """Change the quiz's settings (attempts already made keep their result)."""
    _check_settings(settings)
    quiz.pass_percent = settings.pass_percent
    quiz.max_attempts = settings.max_attempts
    quiz.answer_reveal = settings.answer_reveal
    record_event(actor, "quiz.updated", quiz, **vars(settings))
    db.session.commit()
    _changed(quiz.lesson)
    return quiz


def delete_quiz(quiz: Quiz, actor: User) -> None:
    """Remove the quiz with its questions and every attempt at it."""
    lesson = quiz.lesson
    record_event(actor, "quiz.deleted", quiz, lesson=lesson.id)
    db.session.delete(quiz)
    db.session.commit()
    _changed(lesson)


def check_question(data: QuestionData) -> list[ChoiceData]:
    """Validate a question; return its choices (blank rows dropped) or raise ``ServiceError``."""
    if not data.prompt.strip():
        raise ServiceError(_("Write the question."), field="prompt")
    if data.kind == QuestionKind.TRUE_FALSE:
        if data.statement_is_true is None:
            raise ServiceError(
                _("Say whether the statement is true or false."), field="statement_is_true"
            )
        return []
    if any(row.is_correct and not row.text.strip() for row in data.choices):
        raise ServiceError(_("A choice marked correct needs its text."), field="choices")
    choices = [row for row in data.choices if row.text.strip()]
    correct = sum(row.is_correct for row in choices)
    if len(choices) < 2:
        raise ServiceError(_("Give at least two choices."), field="choices")
    if len(choices) > MAX_CHOICES:
        raise ServiceError(_("Give at most %(count)s choices.", count=MAX_CHOICES), field="choices")
    if data.kind == QuestionKind.SINGLE and correct != 1:
        raise ServiceError(_("Mark exactly one choice as correct."), field="choices")
    if data.kind == QuestionKind.MULTIPLE and correct < 1:
        raise ServiceError(_("Mark at least one choice as correct."), field="choices")
    return choices


def _true_false_rows(question: QuizQuestion, statement_is_true: bool) -> list[ChoiceData]:
    """The two choices of a true/false question, keeping existing rows (and their ids)."""
    ids = [choice.id for choice in question.choices] + [None, None]
    same_kind = question.kind == QuestionKind.TRUE_FALSE and len(question.choices) == 2
    return [
        ChoiceData(_("True"), statement_is_true, ids[0] if same_kind else None),
        ChoiceData(_("False"), not statement_is_true, ids[1] if same_kind else None),
    ]


def _apply_choices(question: QuizQuestion, rows: list[ChoiceData]) -> None:
    """Make the question's choices match ``rows``: edit by id, add new, drop the rest."""
    existing = {choice.id: choice for choice in question.choices}
    kept: list[QuizChoice] = []
    for position, row in enumerate(rows):
        choice = existing.pop(row.choice_id, None) if row.choice_id else None
        if choice is None:
            choice = QuizChoice()
        choice.position, choice.text, choice.is_correct = position, row.text.strip(), row.is_correct
        kept.append(choice)
    question.choices = kept


def save_question(
    quiz: Quiz, actor: User, data: QuestionData, question: QuizQuestion | None = None
) -> QuizQuestion:
    """Add a question to the quiz (at the end), or edit ``question`` in place."""
    rows = check_question(data)
    if question is None:
        position = max((q.position for q in quiz.questions), default=-1) + 1
        question = QuizQuestion(quiz_id=quiz.id, position=position, prompt="")
        quiz.questions.append(question)
    if data.kind == QuestionKind.TRUE_FALSE:
        rows = _true_false_rows(question, bool(data.statement_is_true))
    question.kind = data.kind
    question.prompt = data.prompt.strip()
    question.explanation = data.explanation.strip()
    _apply_choices(question, rows)
    db.session.flush()
    record_event(actor, "quiz.question_saved", quiz, question=question.id)
    db.session.commit()
    _changed(quiz.lesson)
    return question


def delete_question(question: QuizQuestion, actor: User) -> None:
    """Remove a question (past attempts keep their score)."""
    quiz = db.session.get_one(Quiz, question.quiz_id)
    quiz.questions.remove(question)
    _renumber(quiz.questions)
    record_event(actor, "quiz.question_deleted", quiz, question=question.id)
    db.session.commit()
    _changed(quiz.lesson)


def move_question(question: QuizQuestion, actor: User, direction: Literal["up", "down"]) -> None:
    """Swap the question with its neighbour above or below (nothing at either end)."""
    quiz = db.session.get_one(Quiz, question.quiz_id)
    questions = list(quiz.questions)
    index = questions.index(question)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(questions):
        questions[index], questions[other] = questions[other], questions[index]
    _renumber(questions)
    db.session.commit()
    _changed(quiz.lesson)


def _renumber(questions: list[QuizQuestion]) -> None:
    for position, question in enumerate(questions):
        question.position = position


def get_staff_lesson_or_404(lesson_id: int) -> Lesson:
    """Load any lesson for authoring (staff only; the view checks the role)."""
    return db.get_or_404(Lesson, lesson_id)


def get_quiz_or_404(quiz_id: int) -> Quiz:
    """Load a quiz for authoring."""
    return db.get_or_404(Quiz, quiz_id)


def get_question_or_404(question_id: int) -> QuizQuestion:
    """Load a question for authoring."""
    return db.get_or_404(QuizQuestion, question_id)
