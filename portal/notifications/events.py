"""Who must act on each event: the listeners that add notifications to the event's unit of work.

``connect_listeners`` is called once, at app creation (the blueprint's registration); the
listeners never commit: the service that sent the signal commits them with its own change.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from courses.models import PracticeState, PracticeSubmission
from courses.practice.signals import practice_decided, practice_submitted
from media.clips.models import Clip, ClipState, ClipVersion
from media.clips.signals import clip_moved
from portal.audit.models import AuditEvent
from portal.auth.models import Role, User
from portal.extensions import db
from portal.jobs.models import Job
from portal.jobs.signals import job_failed
from portal.notifications.models import Notification
from portal.organisations.models import Organisation
from portal.screening.models import Application
from portal.screening.signals import application_decided

# A clip's decision → what its merchant is told.
CLIP_DECISIONS = {
    ClipState.CHANGES_REQUESTED: "clip.changes_requested",
    ClipState.APPROVED: "clip.approved",
    ClipState.PUBLISHED: "clip.published",
    ClipState.REJECTED: "clip.rejected",
}


def _active(statement: Any) -> list[User]:
    return list(db.session.scalars(statement.where(User.is_suspended.is_(False))))


def org_merchants(org_id: int) -> list[User]:
    """The merchant members of an organisation (who act on its clips and application)."""
    return _active(select(User).where(User.role == Role.MERCHANT, User.org_id == org_id))


def trainers() -> list[User]:
    """The base's trainers (who review clips and practice videos)."""
    return _active(select(User).where(User.role == Role.TRAINER))


def notify(
    users: Iterable[User],
    kind: str,
    obj: tuple[str, int],
    actor: User | None = None,
    **params: Any,
) -> None:
    """Add a ``kind`` notification about ``obj`` (type, id) for each user but the actor."""
    object_type, object_id = obj
    for user in users:
        if actor is None or user.id != actor.id:
            row = Notification(
                user_id=user.id,
                kind=kind,
                object_type=object_type,
                object_id=object_id,
                params=params,
            )
            db.session.add(row)


def on_clip_moved(
    _sender: object, *, clip: Clip, source: ClipState, target: ClipState, actor: User | None
) -> None:
    """Tell trainers a clip waits for review; tell the merchant a trainer decided."""
    title = clip.title
    if target == ClipState.IN_REVIEW:
        if actor is None:
            kind = "clip.back_in_review"
        else:
            kind = "clip.submitted" if source == ClipState.READY else "clip.resubmitted"
        org = db.session.get(Organisation, clip.org_id)
        notify(trainers(), kind, ("clip", clip.id), actor, title=title, org=org.name if org else "")
    elif target in CLIP_DECISIONS:
        kind = CLIP_DECISIONS[target]
        notify(org_merchants(clip.org_id), kind, ("clip", clip.id), actor, title=title)


def on_application_decided(
    _sender: object, *, org: Organisation, application: Application, actor: User
) -> None:
    """Tell the applicant what the trainer decided."""
    kind = f"screening.{application.decision}"
    notify(org_merchants(org.id), kind, ("organisation", org.id), actor, org=org.name)


def on_practice_submitted(_sender: object, *, submission: PracticeSubmission) -> None:
    """Tell trainers a practice video waits for them."""
    notify(
        trainers(),
        "practice.submitted",
        ("practice", submission.id),
        submission.user,
        lesson=submission.lesson.title,
        name=submission.user.name,
    )


def on_practice_decided(_sender: object, *, submission: PracticeSubmission, actor: User) -> None:
    """Tell the learner whether the practice passed, with the trainer's feedback waiting."""
    passed = submission.state == PracticeState.PASSED
    kind = "practice.passed" if passed else "practice.try_again"
    notify(
        [submission.user],
        kind,
        ("practice", submission.id),
        actor,
        lesson=submission.lesson.title,
    )


def _job_owner(job: Job) -> User | None:
    """Who queued the job (its audit row names them); None for the system's own jobs."""
    actor_id = db.session.scalar(
        select(AuditEvent.actor_id).where(
            AuditEvent.action == "job.queued",
            AuditEvent.object_type == "Job",
            AuditEvent.object_id == job.id,
        )
    )
    return db.session.get(User, actor_id) if actor_id is not None else None


def _job_object(job: Job) -> tuple[str, int]:
    """The page a failed job is about: a version's clip, or the recording."""
    if job.subject_type == ClipVersion.__name__:
        version = db.session.get(ClipVersion, job.subject_id)
        if version is not None:
            return ("clip", version.clip_id)
    return (job.subject_type.lower(), job.subject_id)


def on_job_failed(_sender: object, *, job: Job) -> None:
    """Tell whoever started a job that it failed for good."""
    owner = _job_owner(job)
    if owner is not None and not owner.is_suspended:
        notify([owner], "job.failed", _job_object(job), job=job.kind)


def connect_listeners() -> None:
    """Connect every listener to its signal (once, at app creation)."""
    clip_moved.connect(on_clip_moved)
    application_decided.connect(on_application_decided)
    practice_submitted.connect(on_practice_submitted)
    practice_decided.connect(on_practice_decided)
    job_failed.connect(on_job_failed)
