"""A course's gradebook for its trainers: every learner × every lesson, quiz and practice.

Built on ``learners.learners_report`` (enrolled learners, progress, best quiz scores) with a fixed
number of grouped queries more: lesson progress, quiz passes and practice submissions of the
whole course. The same gradebook is a page and a CSV file (``portal.spreadsheets.csv_text``, so
a learner's name that looks like a formula stays text in a spreadsheet).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from courses.certificates.learners import LearnerRow, learners_report
from courses.completion import course_lessons
from courses.models import Course, Lesson, LessonProgress, PracticeSubmission, Quiz, QuizAttempt
from courses.watching import watched_seconds
from media.recordings.models import Recording
from portal.extensions import db
from portal.spreadsheets import csv_text


class ColumnKind(StrEnum):
    """What a gradebook column counts."""

    LESSON = "lesson"
    QUIZ = "quiz"
    PRACTICE = "practice"


STATE_LABELS = {
    "done": _l("Done"),
    "in_progress": _l("In progress"),
    "not_started": _l("Not started"),
    "passed": _l("Passed"),
    "failed": _l("Not passed"),
    "not_taken": _l("Not taken"),
    "not_sent": _l("Not sent"),
    "submitted": _l("Waiting for review"),
    "try_again": _l("Try again"),
}


@dataclass(frozen=True)
class Column:
    """One lesson, or the quiz or practice assignment of one lesson."""

    kind: ColumnKind
    lesson_id: int
    lesson_title: str
    quiz_id: int | None = None

    @property
    def heading(self) -> str:
        """Return the column's heading: the lesson title, marked for a quiz or practice."""
        if self.kind == ColumnKind.QUIZ:
            return _("Quiz: %(lesson)s", lesson=self.lesson_title)
        if self.kind == ColumnKind.PRACTICE:
            return _("Practice: %(lesson)s", lesson=self.lesson_title)
        return self.lesson_title


@dataclass(frozen=True)
class Cell:
    """One learner's result in one column: a state and, for quizzes and videos, a percent."""

    state: str
    percent: int | None = None

    @property
    def label(self) -> str:
        """Return the state in words."""
        return str(STATE_LABELS[self.state])

    @property
    def text(self) -> str:
        """Return the cell as the page and the CSV file show it."""
        if self.percent is None:
            return self.label
        return f"{self.percent}% · {self.label}"


@dataclass(frozen=True)
class GradebookRow:
    """One enrolled learner's line."""

    learner: LearnerRow
    cells: list[Cell]


@dataclass(frozen=True)
class Gradebook:
    """The course's columns and one row per enrolled learner."""

    course: Course
    columns: list[Column]
    rows: list[GradebookRow]


def _columns(lessons: list[Lesson], quiz_ids: list[int]) -> list[Column]:
    quiz_of = dict(
        db.session.execute(select(Quiz.lesson_id, Quiz.id).where(Quiz.id.in_(quiz_ids))).all()
    )
    columns = []
    for lesson in lessons:
        columns.append(Column(ColumnKind.LESSON, lesson.id, lesson.title))
        if lesson.id in quiz_of:
            columns.append(Column(ColumnKind.QUIZ, lesson.id, lesson.title, quiz_of[lesson.id]))
        if lesson.has_practice:
            columns.append(Column(ColumnKind.PRACTICE, lesson.id, lesson.title))
    return columns


@dataclass(frozen=True)
class _Results:
    """Everything recorded in the course, keyed by (user id, lesson or quiz id)."""

    progress: dict[tuple[int, int], LessonProgress]
    durations: dict[int, float]
    best: dict[tuple[int, int], int]
    passed: set[tuple[int, int]]
    practice: dict[tuple[int, int], str]


def _results(lesson_ids: list[int], quiz_ids: list[int]) -> _Results:
    progress = db.session.scalars(
        select(LessonProgress).where(LessonProgress.lesson_id.in_(lesson_ids))
    )
    durations = db.session.execute(
        select(Lesson.id, Recording.duration_s)
        .join(Recording, Recording.id == Lesson.recording_id)
        .where(Lesson.id.in_(lesson_ids))
    )
    attempts = db.session.execute(
        select(
            QuizAttempt.user_id, QuizAttempt.quiz_id, QuizAttempt.score_percent, QuizAttempt.passed
        ).where(QuizAttempt.quiz_id.in_(quiz_ids))
    )
    best: dict[tuple[int, int], int] = {}
    passed = set()
    for user_id, quiz_id, score, did_pass in attempts:
        best[user_id, quiz_id] = max(score, best.get((user_id, quiz_id), 0))
        if did_pass:
            passed.add((user_id, quiz_id))
    return _Results(
        progress={(row.user_id, row.lesson_id): row for row in progress},
        durations=dict(durations.all()),
        best=best,
        passed=passed,
        practice=_practice_states(lesson_ids),
    )


def _practice_states(lesson_ids: list[int]) -> dict[tuple[int, int], str]:
    """Return each learner's practice state per lesson: passed once passed, else the newest."""
    states: dict[tuple[int, int], str] = {}
    submissions = db.session.execute(
        select(PracticeSubmission.user_id, PracticeSubmission.lesson_id, PracticeSubmission.state)
        .where(PracticeSubmission.lesson_id.in_(lesson_ids))
        .order_by(PracticeSubmission.created_at, PracticeSubmission.id)
    )
    for user_id, lesson_id, state in submissions:
        if states.get((user_id, lesson_id)) != "passed":
            states[user_id, lesson_id] = str(state)
    return states


def _cell(column: Column, user_id: int, results: _Results) -> Cell:
    if column.kind == ColumnKind.QUIZ:
        key = (user_id, column.quiz_id or 0)
        if key not in results.best:
            return Cell("not_taken")
        return Cell("passed" if key in results.passed else "failed", results.best[key])
    if column.kind == ColumnKind.PRACTICE:
        return Cell(results.practice.get((user_id, column.lesson_id), "not_sent"))
    row = results.progress.get((user_id, column.lesson_id))
    if row is None:
        return Cell("not_started")
    duration = results.durations.get(column.lesson_id, 0.0)
    watched = (
        int(100 * watched_seconds(row.watched_ranges, duration) / duration) if duration else None
    )
    return Cell("done" if row.is_complete else "in_progress", watched)


def build_gradebook(course: Course) -> Gradebook:
    """Collect every enrolled learner's result in every lesson, quiz and practice of ``course``."""
    report = learners_report(course)
    lessons = course_lessons(course)
    columns = _columns(lessons, [quiz.quiz_id for quiz in report.quizzes])
    results = _results(
        [lesson.id for lesson in lessons], [c.quiz_id for c in columns if c.quiz_id is not None]
    )
    rows = [
        GradebookRow(row, [_cell(column, row.user.id, results) for column in columns])
        for row in report.rows
    ]
    return Gradebook(course=course, columns=columns, rows=rows)


def _csv_rows(book: Gradebook) -> Iterator[list[object]]:
    for row in book.rows:
        learner = row.learner
        completed = format_date(learner.completed_at, "short") if learner.completed_at else ""
        yield [
            learner.user.name,
            learner.user.email,
            format_date(learner.enrolled_at, "short"),
            learner.status.percent,
            completed,
            *(cell.text for cell in row.cells),
        ]


def gradebook_csv(book: Gradebook) -> str:
    """Return the gradebook as CSV text for spreadsheets (one line per learner)."""
    header = [
        _("Learner"),
        _("E-mail"),
        _("Enrolled"),
        _("Progress (%)"),
        _("Completed"),
        *(column.heading for column in book.columns),
    ]
    return csv_text(header, _csv_rows(book))
