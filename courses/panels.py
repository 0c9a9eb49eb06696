"""What the lesson page shows below the video: the lesson's quiz and practice assignment.

Each feature returns a small summary for one learner (or None when the lesson has none); the
lesson page includes ``quizzes/_lesson_panel.html`` and ``practice/_lesson_panel.html``, which read
``panels.quiz`` and ``panels.practice``.
"""

from __future__ import annotations

from dataclasses import dataclass

from courses.models import Lesson
from courses.practice.services import PracticePanel, practice_panel
from courses.quizzes.services import QuizPanel, quiz_panel
from portal.auth.models import User


@dataclass(frozen=True)
class LessonPanels:
    """The lesson's quiz and practice summaries for one learner."""

    quiz: QuizPanel | None
    practice: PracticePanel | None


def lesson_panels(lesson: Lesson, user: User) -> LessonPanels:
    """Return the quiz and practice summaries of ``lesson`` for ``user``."""
    return LessonPanels(quiz=quiz_panel(lesson, user), practice=practice_panel(lesson, user))
