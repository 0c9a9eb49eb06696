"""Course models: courses, modules, lessons, quizzes, enrolments, progress, practice, certificates.

Courses belong to the base, not to a merchant organisation: trainers author them, streamers (and
anyone signed in) take them. Lesson and practice videos are ``Recording`` rows of the base's own
organisation (see ``courses.videos``), so they go through the same upload, probe and transcription
pipeline as stream recordings.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.database import TimestampMixin, UTCDateTime, utcnow
from portal.extensions import db


class CourseStatus(StrEnum):
    """Whether learners can see a course."""

    DRAFT = "draft"
    PUBLISHED = "published"


class CourseLevel(StrEnum):
    """Who a course is for."""

    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"


# The share of a lesson video a learner must watch before the lesson is done.
DEFAULT_WATCH_PERCENT = 90


class Course(TimestampMixin, db.Model):
    """A course: ordered modules of lessons; learners see it once published."""

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    level: Mapped[CourseLevel] = mapped_column(String(20), default=CourseLevel.BEGINNER)
    status: Mapped[CourseStatus] = mapped_column(String(20), default=CourseStatus.DRAFT)
    cover_name: Mapped[str] = mapped_column(String(80), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    watch_percent: Mapped[int] = mapped_column(default=DEFAULT_WATCH_PERCENT)

    modules: Mapped[list[CourseModule]] = relationship(
        order_by="CourseModule.position", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def is_published(self) -> bool:
        """Tell whether learners can see the course."""
        return self.status == CourseStatus.PUBLISHED


class CourseModule(db.Model):
    """A titled group of lessons inside a course (``position`` orders them)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))

    course: Mapped[Course] = relationship(back_populates="modules")
    lessons: Mapped[list[Lesson]] = relationship(
        order_by="Lesson.position", cascade="all, delete-orphan", passive_deletes=True
    )


class Lesson(TimestampMixin, db.Model):
    """A lesson: a video with captions, Markdown notes, attachments, a quiz, maybe practice."""

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(
        ForeignKey("course_module.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    notes_md: Mapped[str] = mapped_column(Text, default="")
    recording_id: Mapped[int | None] = mapped_column(
        ForeignKey("recording.id", ondelete="SET NULL"), index=True
    )
    practice_prompt: Mapped[str] = mapped_column(Text, default="")

    module: Mapped[CourseModule] = relationship(back_populates="lessons")
    attachments: Mapped[list[LessonAttachment]] = relationship(
        order_by="LessonAttachment.id", cascade="all, delete-orphan", passive_deletes=True
    )
    captions: Mapped[list[LessonCaption]] = relationship(
        order_by="LessonCaption.language", cascade="all, delete-orphan", passive_deletes=True
    )
    quiz: Mapped[Quiz | None] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, uselist=False
    )

    @property
    def has_practice(self) -> bool:
        """Tell whether the lesson asks for a practice video."""
        return bool(self.practice_prompt.strip())


class LessonAttachment(db.Model):
    """A file handed out with a lesson (stored under a generated name)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lesson.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(80))
    content_type: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    size_bytes: Mapped[int] = mapped_column(default=0)


class LessonCaption(db.Model):
    """An extra caption track (WebVTT) in a language other than the transcript's."""

    __table_args__ = (UniqueConstraint("lesson_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lesson.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(8))
    vtt: Mapped[str] = mapped_column(Text)


class QuestionKind(StrEnum):
    """How a quiz question is answered."""

    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "true_false"


class AnswerReveal(StrEnum):
    """When a learner sees a quiz's correct answers (which questions were wrong: always)."""

    AFTER_PASS = "after_pass"  # after passing or after the last allowed attempt
    ALWAYS = "always"
    NEVER = "never"


class Quiz(db.Model):
    """A lesson's quiz: pass mark in percent, attempts allowed (0 = unlimited), answer reveal."""

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lesson.id", ondelete="CASCADE"), unique=True)
    pass_percent: Mapped[int] = mapped_column(default=60)
    max_attempts: Mapped[int] = mapped_column(default=3)
    answer_reveal: Mapped[AnswerReveal] = mapped_column(String(20), default=AnswerReveal.AFTER_PASS)

    lesson: Mapped[Lesson] = relationship(back_populates="quiz")
    questions: Mapped[list[QuizQuestion]] = relationship(
        order_by="QuizQuestion.position", cascade="all, delete-orphan", passive_deletes=True
    )


class QuizQuestion(db.Model):
    """One question with its choices; ``explanation`` is shown after submitting."""

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quiz.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[QuestionKind] = mapped_column(String(20), default=QuestionKind.SINGLE)
    prompt: Mapped[str] = mapped_column(Text)
    explanation: Mapped[str] = mapped_column(Text, default="")

    choices: Mapped[list[QuizChoice]] = relationship(
        order_by="QuizChoice.position", cascade="all, delete-orphan", passive_deletes=True
    )


class QuizChoice(db.Model):
    """One answer choice of a question."""

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("quiz_question.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(String(500))
    is_correct: Mapped[bool] = mapped_column(default=False)


class QuizAttempt(db.Model):
    """One submitted attempt: the chosen choice ids per question id, and the score."""

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quiz.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    answers: Mapped[dict[str, list[int]]] = mapped_column(JSON, default=dict)
    score_percent: Mapped[int] = mapped_column(default=0)
    passed: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Enrolment(db.Model):
    """A learner taking a course; ``completed_at`` is set when every requirement is met."""

    __table_args__ = (UniqueConstraint("user_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), index=True)
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_lesson_id: Mapped[int | None] = mapped_column(ForeignKey("lesson.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship()
    course: Mapped[Course] = relationship()


class LessonProgress(db.Model):
    """A learner's place in a lesson video.

    ``position_s`` is where to resume; ``furthest_s`` the furthest point reached;
    ``watched_ranges`` the merged ``[start_s, end_s]`` spans actually played (having watched the
    course's ``watch_percent`` of the video completes the lesson); ``client_seq`` orders the
    player's posts, so a stale one never moves the position back.
    """

    __table_args__ = (UniqueConstraint("user_id", "lesson_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lesson.id", ondelete="CASCADE"), index=True)
    position_s: Mapped[float] = mapped_column(Float, default=0.0)
    furthest_s: Mapped[float] = mapped_column(Float, default=0.0)
    watched_ranges: Mapped[list[list[float]]] = mapped_column(JSON, default=list)
    client_seq: Mapped[int] = mapped_column(default=0)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @property
    def is_complete(self) -> bool:
        """Tell whether the lesson counts as done."""
        return self.completed_at is not None


class PracticeState(StrEnum):
    """Where a practice submission stands."""

    SUBMITTED = "submitted"
    PASSED = "passed"
    TRY_AGAIN = "try_again"


RUBRIC_CRITERIA = ("lighting", "framing", "sound", "product_knowledge", "compliance")


class PracticeSubmission(db.Model):
    """A practice video a learner submitted for a lesson, and the trainer's decision.

    ``rubric`` maps each of ``RUBRIC_CRITERIA`` to a score 1–5. Timecoded feedback is kept as
    ``portal.comments`` rows with this submission as their subject.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lesson.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    recording_id: Mapped[int | None] = mapped_column(
        ForeignKey("recording.id", ondelete="SET NULL")
    )
    state: Mapped[PracticeState] = mapped_column(
        String(20), default=PracticeState.SUBMITTED, index=True
    )
    rubric: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    feedback: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    lesson: Mapped[Lesson] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])


class Certificate(db.Model):
    """Proof that a learner completed a course; anyone can check ``code`` at the verify URL.

    Holder name and course title are copied when issued, so the certificate reads the same later.
    """

    __table_args__ = (UniqueConstraint("user_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"))
    holder_name: Mapped[str] = mapped_column(String(200))
    course_title: Mapped[str] = mapped_column(String(200))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    revoke_reason: Mapped[str] = mapped_column(Text, default="")

    @property
    def is_revoked(self) -> bool:
        """Tell whether the certificate was withdrawn."""
        return self.revoked_at is not None
