"""Review workflows: submit a rendered clip, decide on it, list what waits for review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from difflib import SequenceMatcher

from flask_babel import gettext as _
from sqlalchemy import select

from media.clips.models import Clip, ClipState, ClipVersion
from media.clips.rendering import latest_ready_version, list_versions
from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.errors import ConflictError, ServiceError
from portal.extensions import db
from portal.organisations.models import Organisation
from portal.review.states import transition


def submit_for_review(clip: Clip, actor: User) -> None:
    """Send the clip's newest rendered version to the base's trainers."""
    org = db.session.get(Organisation, clip.org_id)
    if org is None or not org.is_approved:
        raise ConflictError(_("Only approved merchants can submit clips for review."))
    if latest_ready_version(clip) is None:
        raise ConflictError(_("Render the clip before submitting it."))
    transition(clip, ClipState.IN_REVIEW, actor)


def _require_reason(reason: str) -> str:
    text = reason.strip()
    if not text:
        raise ServiceError(_("Tell the merchant what to change."), field="message")
    return text


def request_changes(clip: Clip, actor: User, message: str) -> None:
    """Send the clip back to the merchant with what to change."""
    transition(clip, ClipState.CHANGES_REQUESTED, actor, _require_reason(message))


def approve(clip: Clip, actor: User) -> None:
    """Approve the clip for publishing."""
    transition(clip, ClipState.APPROVED, actor)


def reject(clip: Clip, actor: User, reason: str) -> None:
    """Refuse the clip (the merchant may rework and submit again)."""
    transition(clip, ClipState.REJECTED, actor, _require_reason(reason))


def review_queue() -> list[Clip]:
    """Clips waiting for review, oldest first (staff see every organisation)."""
    return list(
        db.session.scalars(
            select(Clip).where(Clip.state == ClipState.IN_REVIEW).order_by(Clip.updated_at)
        )
    )


@dataclass(frozen=True)
class Decision:
    """A state change of the clip as the merchant sees it."""

    at: datetime
    target: str
    reason: str
    actor_name: str


def decisions(clip: Clip) -> list[Decision]:
    """Every transition of the clip, newest first, with reasons."""
    events = db.session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.action == "clip.transition",
            AuditEvent.object_type == "Clip",
            AuditEvent.object_id == clip.id,
        )
        .order_by(AuditEvent.id.desc())
    ).all()
    names = {u.id: u.name for u in db.session.scalars(
        select(User).where(User.id.in_({e.actor_id for e in events if e.actor_id}))
    )}  # fmt: skip
    return [
        Decision(e.at, e.details.get("target", ""), e.details.get("reason", ""),
                 names.get(e.actor_id or 0, ""))
        for e in events
    ]  # fmt: skip


@dataclass(frozen=True)
class DiffLine:
    """One subtitle line compared between two versions."""

    kind: str  # "same", "added", "removed", "changed"
    old: str
    new: str


def subtitle_diff(old: ClipVersion, new: ClipVersion) -> list[DiffLine]:
    """Compare the subtitle lines of two versions."""
    before = [str(cue["text"]) for cue in old.cues]
    after = [str(cue["text"]) for cue in new.cues]
    lines: list[DiffLine] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(a=before, b=after).get_opcodes():
        if tag == "equal":
            lines += [DiffLine("same", text, text) for text in before[i1:i2]]
        elif tag == "delete":
            lines += [DiffLine("removed", text, "") for text in before[i1:i2]]
        elif tag == "insert":
            lines += [DiffLine("added", "", text) for text in after[j1:j2]]
        else:
            pairs = max(i2 - i1, j2 - j1)
            olds, news = before[i1:i2], after[j1:j2]
            lines += [
                DiffLine(
                    "changed", olds[k] if k < len(olds) else "", news[k] if k < len(news) else ""
                )
                for k in range(pairs)
            ]
    return lines


def version_pair(
    clip: Clip, version_id: int | None
) -> tuple[ClipVersion | None, ClipVersion | None]:
    """The version to show (``version_id`` or the newest ready) and the one before it."""
    ready = [v for v in list_versions(clip) if v.is_ready]
    shown = next((v for v in ready if v.id == version_id), ready[0] if ready else None)
    older = [v for v in ready if shown and v.number < shown.number]
    return shown, (older[0] if older else None)
