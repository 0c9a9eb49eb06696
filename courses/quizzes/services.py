"""Taking quizzes: who may see one, scoring on the server, attempts and their feedback.

Scores are computed here from the stored correct flags, never from anything the browser sends
beyond the chosen choice ids. A question counts as right only when exactly its correct choices
were chosen; the score is the share of right questions (rounded down), and an attempt passes when
the score reaches the quiz's pass mark.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import Integer, func, select

from courses.completion import get_enrolment, refresh_completion
from courses.models import (
    AnswerReveal,
    Course,
    Enrolment,
    Lesson,
    Quiz,
    QuizAttempt,
    QuizQuestion,
)
from courses.progress import enrol
from portal.auth.models import User
from portal.errors import ServiceError
from portal.extensions import db


@dataclass(frozen=True)
class QuizPanel:
    """What the lesson page shows about its quiz for one learner."""

    lesson_id: int
    question_count: int
    pass_percent: int
    attempts_used: int
    max_attempts: int
    best_score: int | None
    passed: bool
    can_attempt: bool
    last_attempt_id: int | None = None

    @property
    def attempts_left(self) -> int | None:
        """Return the attempts still allowed, or None when unlimited."""
        return attempts_left(self.max_attempts, self.attempts_used)


@dataclass(frozen=True)
class AttemptStats:
    """A learner's attempts at one quiz: how many, the best score, passed at least once."""

    used: int
    best_score: int | None
    passed: bool
    last_attempt_id: int | None


@dataclass(frozen=True)
class QuestionFeedback:
    """One question after submitting: what was chosen, what was right, why."""

    prompt: str
    kind: str
    is_correct: bool
    chosen: tuple[str, ...]
    correct: tuple[str, ...]
    explanation: str


@dataclass(frozen=True)
class Scored:
    """The server's verdict on a set of answers."""

    score_percent: int
    passed: bool
    feedback: tuple[QuestionFeedback, ...]


def attempts_left(max_attempts: int, used: int) -> int | None:
    """Return how many attempts remain (None when unlimited)."""
    return None if max_attempts == 0 else max(max_attempts - used, 0)


def attempt_stats(quiz: Quiz, user: User) -> AttemptStats:
    """Count the user's attempts at ``quiz`` with their best score."""
    where = (QuizAttempt.quiz_id == quiz.id, QuizAttempt.user_id == user.id)
    used, best, passed, last = db.session.execute(
        select(
            func.count(QuizAttempt.id),
            func.max(QuizAttempt.score_percent),
            func.max(QuizAttempt.passed.cast(Integer)),
            func.max(QuizAttempt.id),
        ).where(*where)
    ).one()
    return AttemptStats(int(used), best, bool(passed), last)


def can_attempt(quiz: Quiz, used: int) -> bool:
    """Tell whether a learner with ``used`` attempts may submit another."""
    return bool(quiz.questions) and (quiz.max_attempts == 0 or used < quiz.max_attempts)


def quiz_panel(lesson: Lesson, user: User) -> QuizPanel | None:
    """Summarise the lesson's quiz for ``user``; None when the lesson has no quiz."""
    quiz = lesson.quiz
    if quiz is None:
        return None
    stats = attempt_stats(quiz, user)
    return QuizPanel(
        lesson_id=lesson.id,
        question_count=len(quiz.questions),
        pass_percent=quiz.pass_percent,
        attempts_used=stats.used,
        max_attempts=quiz.max_attempts,
        best_score=stats.best_score,
        passed=stats.passed,
        can_attempt=can_attempt(quiz, stats.used),
        last_attempt_id=stats.last_attempt_id,
    )


def lesson_course(lesson: Lesson) -> Course:
    """Return the course the lesson belongs to."""
    return lesson.module.course


def get_quiz_lesson_or_404(lesson_id: int, user: User) -> Lesson:
    """Load a lesson with a quiz that ``user`` may take: published courses, drafts for staff."""
    lesson = db.get_or_404(Lesson, lesson_id)
    if lesson.quiz is None or not (lesson_course(lesson).is_published or user.is_staff):
        abort(404)
    return lesson


def get_attempt_or_404(attempt_id: int, user: User) -> QuizAttempt:
    """Load one of the user's own attempts (staff may read any); anything else is a 404."""
    attempt = db.get_or_404(QuizAttempt, attempt_id)
    if attempt.user_id != user.id and not user.is_staff:
        abort(404)
    return attempt


def stores_attempts(lesson: Lesson) -> bool:
    """Tell whether attempts are kept: not while staff preview a draft course."""
    return lesson_course(lesson).is_published


def normalise_answers(
    quiz: Quiz, answers: Mapping[int | str, Sequence[int | str]]
) -> dict[str, list[int]]:
    """Check answers against the quiz: every id must be one of its questions and their choices.

    Raises ``ServiceError`` for anything that is not (another quiz's choices, a question that
    was removed); unanswered questions are simply absent and count as wrong.
    """
    by_id = {question.id: question for question in quiz.questions}
    clean: dict[str, list[int]] = {}
    for raw_question, raw_choices in answers.items():
        question = by_id.get(_as_int(raw_question))
        if question is None:
            raise _quiz_changed()
        allowed = {choice.id for choice in question.choices}
        chosen = sorted({_as_int(raw) for raw in raw_choices})
        if any(choice_id not in allowed for choice_id in chosen):
            raise ServiceError(
                _("An answer is not one of this question's choices. Reload and answer again.")
            )
        if chosen:
            clean[str(question.id)] = chosen
    return clean


def _quiz_changed() -> ServiceError:
    return ServiceError(_("This quiz has changed since you opened it. Reload and answer again."))


def _as_int(value: int | str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def question_is_correct(question: QuizQuestion, chosen: Sequence[int]) -> bool:
    """Tell whether exactly the question's correct choices were chosen."""
    correct = {choice.id for choice in question.choices if choice.is_correct}
    return bool(correct) and set(chosen) == correct


def score_answers(quiz: Quiz, answers: Mapping[str, Sequence[int]]) -> Scored:
    """Score checked answers: per-question feedback, the percent right, passed or not."""
    feedback = []
    for question in quiz.questions:
        chosen_ids = list(answers.get(str(question.id), []))
        feedback.append(
            QuestionFeedback(
                prompt=question.prompt,
                kind=question.kind,
                is_correct=question_is_correct(question, chosen_ids),
                chosen=tuple(c.text for c in question.choices if c.id in chosen_ids),
                correct=tuple(c.text for c in question.choices if c.is_correct),
                explanation=question.explanation,
            )
        )
    right = sum(item.is_correct for item in feedback)
    score = 100 * right // len(feedback) if feedback else 0
    return Scored(score_percent=score, passed=score >= quiz.pass_percent, feedback=tuple(feedback))


def preview_attempt(lesson: Lesson, quiz_id: int, answers: Mapping) -> Scored:
    """Score answers without keeping them (staff trying a draft course)."""
    quiz = _lesson_quiz(lesson, quiz_id)
    return score_answers(quiz, normalise_answers(quiz, answers))


def submit_attempt(lesson: Lesson, user: User, quiz_id: int, answers: Mapping) -> QuizAttempt:
    """Score and keep an attempt; enrol the learner; refresh completion after a pass.

    ``quiz_id`` is the quiz the form was built for: a form of another (or a replaced) quiz is
    refused. Refused too: answers that are not this quiz's choices, and an attempt past the limit
    (counted inside the transaction, after locking the learner's enrolment, so two submissions at
    once cannot both slip past it).
    """
    quiz = _lesson_quiz(lesson, quiz_id)
    clean = normalise_answers(quiz, answers)
    scored = score_answers(quiz, clean)
    course = lesson_course(lesson)
    _lock_enrolment(user, course)
    attempt = QuizAttempt(
        quiz_id=quiz.id,
        user_id=user.id,
        answers=clean,
        score_percent=scored.score_percent,
        passed=scored.passed,
    )
    db.session.add(attempt)
    db.session.flush()  # SQLite: the write lock is held from here to the commit
    if quiz.max_attempts and attempt_stats(quiz, user).used > quiz.max_attempts:
        db.session.rollback()
        raise ServiceError(_("You have used all the attempts allowed for this quiz."))
    db.session.commit()
    if attempt.passed:
        refresh_completion(user, course)
    return attempt


def _lesson_quiz(lesson: Lesson, quiz_id: int) -> Quiz:
    quiz = lesson.quiz
    if quiz is None or quiz.id != quiz_id:
        raise _quiz_changed()
    if not quiz.questions:
        raise ServiceError(_("This quiz has no questions yet."))
    return quiz


def _lock_enrolment(user: User, course: Course) -> Enrolment:
    """Enrol the user if needed, then lock the enrolment row until the commit (PostgreSQL)."""
    if get_enrolment(user, course) is None:
        enrol(user, course)
    statement = (
        select(Enrolment)
        .where(Enrolment.user_id == user.id, Enrolment.course_id == course.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return db.session.scalars(statement).one()


def get_attempt_quiz(attempt: QuizAttempt) -> Quiz:
    """Return the quiz an attempt answered."""
    return db.session.get_one(Quiz, attempt.quiz_id)


def reveals_answers(quiz: Quiz, stats: AttemptStats) -> bool:
    """Tell whether a learner with these attempts may see the quiz's correct answers.

    By default only once they passed or used their last allowed attempt, so a retry is not a
    copy of the previous result; which questions were wrong is always shown.
    """
    if quiz.answer_reveal == AnswerReveal.ALWAYS:
        return True
    if quiz.answer_reveal == AnswerReveal.NEVER:
        return False
    return stats.passed or (quiz.max_attempts > 0 and stats.used >= quiz.max_attempts)


def without_answers(scored: Scored) -> Scored:
    """Return the feedback with the correct answers and explanations left out."""
    feedback = tuple(replace(item, correct=(), explanation="") for item in scored.feedback)
    return replace(scored, feedback=feedback)


def attempt_feedback(attempt: QuizAttempt) -> Scored:
    """Rebuild an attempt's per-question feedback from its stored answers."""
    quiz = get_attempt_quiz(attempt)
    scored = score_answers(quiz, attempt.answers)
    return Scored(attempt.score_percent, attempt.passed, scored.feedback)
