"""Course fixtures: build a course with modules, lessons, a quiz and a practice assignment."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from courses.models import (
    Course,
    CourseModule,
    CourseStatus,
    Lesson,
    QuestionKind,
    Quiz,
    QuizChoice,
    QuizQuestion,
)
from portal.extensions import db


def _quiz() -> Quiz:
    """A two-question quiz: 竖屏 is the right single choice; 最 and 第一 are the banned words."""
    single = QuizQuestion(
        position=0, kind=QuestionKind.SINGLE, prompt="短视频用哪种画幅？",
        explanation="手机竖屏观看。",
        choices=[QuizChoice(position=0, text="竖屏 9:16", is_correct=True),
                 QuizChoice(position=1, text="横屏 16:9")],
    )  # fmt: skip
    multiple = QuizQuestion(
        position=1, kind=QuestionKind.MULTIPLE, prompt="哪些是违禁的绝对化用语？",
        choices=[QuizChoice(position=0, text="最", is_correct=True),
                 QuizChoice(position=1, text="第一", is_correct=True),
                 QuizChoice(position=2, text="好看")],
    )  # fmt: skip
    return Quiz(pass_percent=60, max_attempts=3, questions=[single, multiple])


@pytest.fixture
def make_course(app: Flask) -> Callable[..., int]:
    """Build a course and return its id.

    ``lessons`` titles go into one module; ``quiz_on`` and ``practice_on`` name lesson indexes
    that get the two-question quiz or a practice prompt. Published unless ``published=False``.
    """

    def build(
        title: str = "直播短视频制作入门",
        lessons: tuple[str, ...] = ("拍摄与布光", "竖屏构图"),
        *,
        published: bool = True,
        quiz_on: tuple[int, ...] = (),
        practice_on: tuple[int, ...] = (),
        **fields: Any,
    ) -> int:
        rows = [
            Lesson(
                position=index,
                title=lesson_title,
                notes_md=f"## {lesson_title}\n\n要点。",
                practice_prompt="录一段 60 秒的翡翠手镯介绍。" if index in practice_on else "",
                quiz=_quiz() if index in quiz_on else None,
            )
            for index, lesson_title in enumerate(lessons)
        ]
        status = CourseStatus.PUBLISHED if published else CourseStatus.DRAFT
        course = Course(
            title=title, status=status, modules=[CourseModule(title="第一单元", lessons=rows)],
            **fields,
        )  # fmt: skip
        with app.app_context():
            db.session.add(course)
            db.session.commit()
            return course.id

    return build
