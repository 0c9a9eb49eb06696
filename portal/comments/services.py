"""Add, reply to, resolve and list timecoded comments on a subject."""

from __future__ import annotations

from typing import Protocol

from flask_babel import gettext as _
from sqlalchemy import select

from portal.audit.services import record_event
from portal.auth.models import User
from portal.comments.models import Comment
from portal.database import utcnow
from portal.errors import ServiceError
from portal.extensions import db

MAX_BODY = 2000


class Subject(Protocol):
    """A commented row: has an id (and, for merchants' rows, an org_id)."""

    id: int


def _subject_key(subject: Subject) -> tuple[str, int]:
    return type(subject).__name__, subject.id


def _clean(body: str) -> str:
    text = body.strip()
    if not text:
        raise ServiceError(_("Write a comment first."), field="body")
    if len(text) > MAX_BODY:
        raise ServiceError(_("A comment may have at most 2000 characters."), field="body")
    return text


def add_comment(
    subject: Subject,
    actor: User,
    *,
    body: str,
    at_s: float,
    version_id: int | None,
    parent: Comment | None = None,
) -> Comment:
    """Pin a comment (or a reply) to ``at_s`` seconds of the subject's video."""
    subject_type, subject_id = _subject_key(subject)
    comment = Comment(
        subject_type=subject_type,
        subject_id=subject_id,
        version_id=version_id,
        org_id=getattr(subject, "org_id", None),
        author_id=actor.id,
        at_s=max(0.0, round(at_s, 1)),
        body=_clean(body),
        parent_id=parent.id if parent else None,
    )
    if parent is not None:
        comment.at_s, comment.version_id = parent.at_s, parent.version_id
    db.session.add(comment)
    record_event(actor, "comment.added", comment, org_id=comment.org_id, subject=subject_type)
    db.session.commit()
    return comment


def get_comment_or_404(subject: Subject, comment_id: int) -> Comment:
    """Load one comment of ``subject``; anything else is a 404."""
    subject_type, subject_id = _subject_key(subject)
    return db.first_or_404(
        select(Comment).where(
            Comment.id == comment_id,
            Comment.subject_type == subject_type,
            Comment.subject_id == subject_id,
        )
    )


def set_resolved(comment: Comment, actor: User, resolved: bool) -> None:
    """Mark a comment dealt with, or open it again."""
    comment.resolved_at = utcnow() if resolved else None
    comment.resolved_by_id = actor.id if resolved else None
    record_event(
        actor,
        "comment.resolved" if resolved else "comment.reopened",
        comment,
        org_id=comment.org_id,
    )
    db.session.commit()


def list_comments(subject: Subject) -> list[Comment]:
    """Top-level comments of the subject in time order (replies hang off each)."""
    subject_type, subject_id = _subject_key(subject)
    return list(
        db.session.scalars(
            select(Comment)
            .where(
                Comment.subject_type == subject_type,
                Comment.subject_id == subject_id,
                Comment.parent_id.is_(None),
            )
            .order_by(Comment.at_s, Comment.id)
        )
    )
