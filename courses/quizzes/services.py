"""Quizzes: authoring questions and choices, scoring attempts on the server, the lesson panel."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Integer, func, select

from courses.models import Lesson, Quiz, QuizAttempt
from portal.auth.models import User
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

    @property
    def attempts_left(self) -> int | None:
        """Return the attempts still allowed, or None when unlimited."""
        if self.max_attempts == 0:
            return None
        return max(self.max_attempts - self.attempts_used, 0)


def attempt_stats(quiz: Quiz, user: User) -> tuple[int, int | None, bool]:
    """Return the user's attempts count, best score (None before any) and whether any passed."""
    count, best, passed = db.session.execute(
        select(
            func.count(QuizAttempt.id),
            func.max(QuizAttempt.score_percent),
            func.max(QuizAttempt.passed.cast(Integer)),
        ).where(QuizAttempt.quiz_id == quiz.id, QuizAttempt.user_id == user.id)
    ).one()
    return int(count), best, bool(passed)


def quiz_panel(lesson: Lesson, user: User) -> QuizPanel | None:
    """Summarise the lesson's quiz for ``user``; None when the lesson has no quiz."""
    quiz = lesson.quiz
    if quiz is None:
        return None
    used, best, passed = attempt_stats(quiz, user)
    return QuizPanel(
        lesson_id=lesson.id,
        question_count=len(quiz.questions),
        pass_percent=quiz.pass_percent,
        attempts_used=used,
        max_attempts=quiz.max_attempts,
        best_score=best,
        passed=passed,
        can_attempt=bool(quiz.questions) and (quiz.max_attempts == 0 or used < quiz.max_attempts),
    )
