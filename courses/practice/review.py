"""Reviewing practice videos: the trainers' queue, the submission page, the decision.

Timecoded feedback uses the one comment component (``portal.comments``) with the
``PracticeSubmission`` row as its subject; the compliance check runs on the video's transcript.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from courses import videos
from courses.completion import refresh_completion
from courses.models import (
    RUBRIC_CRITERIA,
    Course,
    CourseModule,
    Lesson,
    PracticeState,
    PracticeSubmission,
)
from courses.practice.signals import practice_decided
from portal.audit.services import record_event
from portal.auth.models import User
from portal.claims.matching import Hit, TimedCue, find_hits
from portal.claims.terms import active_terms
from portal.comments import services as comments
from portal.comments.models import Comment
from portal.database import utcnow
from portal.errors import ConflictError, ServiceError
from portal.extensions import db

if TYPE_CHECKING:
    from media.transcripts.models import Sentence
    from portal.jobs.models import Job

RUBRIC_LABELS = {
    "lighting": _l("Lighting"),
    "framing": _l("Framing"),
    "sound": _l("Sound"),
    "product_knowledge": _l("Product knowledge"),
    "compliance": _l("Compliance of claims"),
}
RUBRIC_MIN, RUBRIC_MAX = 1, 5
QUEUE_LIMIT = 200


def rubric_label(criterion: str) -> str:
    """Return the translated name of a rubric criterion."""
    return str(RUBRIC_LABELS.get(criterion, criterion))


@dataclass(frozen=True)
class QueueRow:
    """One submission waiting for a decision, with where it belongs and its transcription."""

    submission: PracticeSubmission
    course: Course
    job: Job | None


def count_waiting() -> int:
    """Count the submissions waiting for a decision (the queue page and the trainer's home)."""
    waiting = select(func.count()).where(PracticeSubmission.state == PracticeState.SUBMITTED)
    return db.session.scalar(waiting) or 0


def review_queue(limit: int = QUEUE_LIMIT) -> list[QueueRow]:
    """Return the submissions waiting for a decision, oldest first."""
    statement = (
        select(PracticeSubmission, Course)
        .join(Lesson, PracticeSubmission.lesson_id == Lesson.id)
        .join(CourseModule, Lesson.module_id == CourseModule.id)
        .join(Course, CourseModule.course_id == Course.id)
        .where(PracticeSubmission.state == PracticeState.SUBMITTED)
        .options(joinedload(PracticeSubmission.user), joinedload(PracticeSubmission.lesson))
        .order_by(PracticeSubmission.created_at, PracticeSubmission.id)
        .limit(limit)
    )
    rows = db.session.execute(statement).all()
    jobs = videos.processing_jobs([s.recording_id for s, _c in rows if s.recording_id is not None])
    return [
        QueueRow(submission=submission, course=course, job=jobs.get(submission.recording_id))
        for submission, course in rows
    ]


@dataclass(frozen=True)
class SubmissionPage:
    """Everything the submission page shows (the template only displays it)."""

    submission: PracticeSubmission
    course: Course
    job: Job | None
    is_processing: bool
    has_video: bool
    sentences: list[Sentence]
    captions_language: str | None
    hits: list[Hit]
    comments: list[Comment]
    rubric: list[tuple[str, int]]
    can_decide: bool
    can_comment: bool
    can_resubmit: bool


def submission_page(submission: PracticeSubmission, viewer: User) -> SubmissionPage:
    """Collect the submission's video state, transcript, compliance hits, comments, decision."""
    recording = (
        videos.get_video_or_404(submission.recording_id) if submission.recording_id else None
    )
    job = videos.processing_job(recording) if recording else None
    processing = recording is not None and videos.is_processing(recording)
    sentences = videos.sentences(recording) if recording and not processing else []
    course = submission.lesson.module.course
    is_owner = submission.user_id == viewer.id
    return SubmissionPage(
        submission=submission,
        course=course,
        job=job,
        is_processing=processing,
        has_video=recording is not None,
        sentences=sentences,
        captions_language=videos.captions_language(recording) if sentences else None,
        hits=transcript_hits(sentences),
        comments=comments.list_comments(submission),
        rubric=[
            (rubric_label(c), submission.rubric[c])
            for c in RUBRIC_CRITERIA
            if c in submission.rubric
        ],
        can_decide=viewer.is_staff and submission.state == PracticeState.SUBMITTED,
        can_comment=viewer.is_staff,
        can_resubmit=is_owner
        and submission.state == PracticeState.TRY_AGAIN
        and _is_newest(submission),
    )


def _is_newest(submission: PracticeSubmission) -> bool:
    newest = db.session.scalar(
        select(PracticeSubmission.id)
        .where(
            PracticeSubmission.lesson_id == submission.lesson_id,
            PracticeSubmission.user_id == submission.user_id,
        )
        .order_by(PracticeSubmission.created_at.desc(), PracticeSubmission.id.desc())
        .limit(1)
    )
    return newest == submission.id


def transcript_hits(sentences: list[Sentence]) -> list[Hit]:
    """Find the active banned terms in the transcript sentences (``cue_index`` = sentence id)."""
    if not sentences:
        return []
    cues = [
        TimedCue(start_s=s.start_s, end_s=s.end_s, text=s.shown_text, index=s.id) for s in sentences
    ]
    return find_hits(cues, active_terms(), items_certified=False)


def decide_submission(
    submission: PracticeSubmission,
    actor: User,
    *,
    passed: bool,
    rubric: Mapping[str, int],
    feedback: str,
) -> PracticeSubmission:
    """Record a trainer's decision: pass or try again, a 1–5 score per criterion, feedback.

    A pass may complete the learner's course (the certificate is issued then).
    """
    if submission.state != PracticeState.SUBMITTED:
        raise ConflictError(_("This submission was already decided."))
    scores = _checked_rubric(rubric)
    text = feedback.strip()
    if not passed and not text:
        raise ServiceError(_("Tell the learner what to improve."), field="feedback")
    submission.state = PracticeState.PASSED if passed else PracticeState.TRY_AGAIN
    submission.rubric = scores
    submission.feedback = text
    submission.decided_by_id = actor.id
    submission.decided_at = utcnow()
    record_event(
        actor,
        "practice.decided",
        submission,
        state=str(submission.state),
        rubric=scores,
        learner=submission.user_id,
    )
    practice_decided.send(submission=submission, actor=actor)
    db.session.commit()
    if passed:
        refresh_completion(submission.user, submission.lesson.module.course)
    return submission


def _checked_rubric(rubric: Mapping[str, int]) -> dict[str, int]:
    scores: dict[str, int] = {}
    for criterion in RUBRIC_CRITERIA:
        value = rubric.get(criterion)
        if not isinstance(value, int) or not RUBRIC_MIN <= value <= RUBRIC_MAX:
            raise ServiceError(
                _("Score %(criterion)s from 1 to 5.", criterion=rubric_label(criterion)),
                field=f"score_{criterion}",
            )
        scores[criterion] = value
    return scores


def add_feedback_comment(
    submission: PracticeSubmission,
    actor: User,
    *,
    body: str,
    at_s: float,
    parent_id: int | None,
) -> Comment:
    """Pin a trainer's comment to a time of the video, or add a reply (learners only reply)."""
    parent = comments.get_comment_or_404(submission, parent_id) if parent_id else None
    if parent is None and not actor.is_staff:
        raise ServiceError(_("Reply to one of the trainer's comments."), field="body")
    return comments.add_comment(
        submission, actor, body=body, at_s=at_s, version_id=None, parent=parent
    )
