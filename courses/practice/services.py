"""Practice assignments: practice video submissions, the trainer's decision, the lesson panel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import abort
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from courses import videos
from courses.completion import get_enrolment
from courses.models import Lesson, PracticeState, PracticeSubmission
from courses.practice.signals import practice_submitted
from media.recordings.forms import language_choices
from portal.audit.services import record_event
from portal.auth.models import User
from portal.errors import ServiceError
from portal.extensions import db

STATE_LABELS = {
    PracticeState.SUBMITTED: _l("Waiting for a trainer"),
    PracticeState.PASSED: _l("Passed"),
    PracticeState.TRY_AGAIN: _l("Try again"),
}


def state_label(state: str) -> str:
    """Return the translated name of a submission state."""
    return str(STATE_LABELS.get(PracticeState(state), state))


@dataclass(frozen=True)
class SubmissionSummary:
    """One of the learner's submissions as listed in the lesson panel."""

    id: int
    state: PracticeState
    created_at: datetime
    decided_at: datetime | None

    @property
    def state_label(self) -> str:
        """Return the translated state."""
        return state_label(self.state)


@dataclass(frozen=True)
class PracticePanel:
    """What the lesson page shows of a practice assignment for one learner."""

    lesson_id: int
    prompt: str
    submissions: tuple[SubmissionSummary, ...]
    can_submit: bool

    @property
    def latest(self) -> SubmissionSummary | None:
        """Return the newest submission, if any."""
        return self.submissions[0] if self.submissions else None

    @property
    def is_passed(self) -> bool:
        """Tell whether a submission was passed."""
        return any(s.state == PracticeState.PASSED for s in self.submissions)

    @property
    def language_choices(self) -> list[tuple[str, str]]:
        """Return the spoken-language choices of the upload form."""
        return language_choices()


def list_learner_submissions(lesson: Lesson, user: User) -> list[PracticeSubmission]:
    """Return the user's submissions for the lesson, newest first."""
    statement = (
        select(PracticeSubmission)
        .where(PracticeSubmission.lesson_id == lesson.id, PracticeSubmission.user_id == user.id)
        .order_by(PracticeSubmission.created_at.desc(), PracticeSubmission.id.desc())
    )
    return list(db.session.scalars(statement))


def can_submit(submissions: list[PracticeSubmission]) -> bool:
    """Tell whether a learner may send a new video: none yet, or the newest was "try again"."""
    return not submissions or submissions[0].state == PracticeState.TRY_AGAIN


def practice_panel(lesson: Lesson, user: User) -> PracticePanel | None:
    """Return the lesson's practice assignment for ``user``, or None when it asks for none."""
    if not lesson.has_practice:
        return None
    submissions = list_learner_submissions(lesson, user)
    return PracticePanel(
        lesson_id=lesson.id,
        prompt=lesson.practice_prompt,
        submissions=tuple(
            SubmissionSummary(
                id=s.id, state=s.state, created_at=s.created_at, decided_at=s.decided_at
            )
            for s in submissions
        ),
        can_submit=can_submit(submissions),
    )


def get_practice_lesson_or_404(lesson_id: int, user: User) -> Lesson:
    """Load a lesson that asks for practice and that ``user`` can see; else 404."""
    lesson = db.get_or_404(Lesson, lesson_id)
    if not lesson.has_practice or not (lesson.module.course.is_published or user.is_staff):
        abort(404)
    return lesson


def submit_practice(
    lesson: Lesson, user: User, upload_id: str, language: str
) -> PracticeSubmission:
    """Turn the learner's finished upload into a practice submission waiting for a trainer.

    A refused file raises ``ServiceError`` (nothing is kept); so does a learner who is not
    enrolled, or who already has a submission waiting or passed.
    """
    course = lesson.module.course
    if get_enrolment(user, course) is None:
        raise ServiceError(_("Enrol in the course before sending practice."), field="upload_id")
    if not can_submit(list_learner_submissions(lesson, user)):
        raise ServiceError(
            _("Your last video is still waiting for a trainer, or was already passed."),
            field="upload_id",
        )
    title = _("Practice: %(lesson)s — %(name)s", lesson=lesson.title, name=user.name)
    try:
        recording = videos.add_video_from_upload(user, upload_id, title[:200], language)
    except ServiceError as exc:
        raise ServiceError(exc.message, field="upload_id") from exc
    submission = PracticeSubmission(lesson_id=lesson.id, user_id=user.id, recording_id=recording.id)
    db.session.add(submission)
    record_event(user, "practice.submitted", submission, lesson=lesson.id)
    practice_submitted.send(submission=submission)
    db.session.commit()
    return submission


def get_submission_or_404(submission_id: int, user: User) -> PracticeSubmission:
    """Load a submission that ``user`` submitted, or any for staff; anything else is a 404."""
    submission = db.get_or_404(PracticeSubmission, submission_id)
    if submission.user_id != user.id and not user.is_staff:
        abort(404)
    return submission
