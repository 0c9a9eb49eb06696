"""Clips by review state: the one count per state and the lists every page shows.

The merchant's home, the trainer's home, the review queue's tabs and the trainer dashboard all
count and list clips here, so their numbers cannot disagree. ``org_id`` None means every
organisation (staff); a number limits everything to that merchant's own clips.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, func, select

from media.clips.models import Clip, ClipState
from media.recordings.models import Recording
from portal.extensions import db
from portal.library.publishing import publish_blockers
from portal.organisations.scoping import all_orgs, scoped

PAGE_SIZE = 50


class ClipGroup(StrEnum):
    """A state as a merchant reads it (a rendered clip not yet submitted is still a draft)."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    CHANGES_REQUESTED = "changes_requested"
    REJECTED = "rejected"
    APPROVED = "approved"
    PUBLISHED = "published"


GROUP_STATES: dict[ClipGroup, tuple[ClipState, ...]] = {
    ClipGroup.DRAFT: (ClipState.DRAFT, ClipState.READY),
    ClipGroup.IN_REVIEW: (ClipState.IN_REVIEW,),
    ClipGroup.CHANGES_REQUESTED: (ClipState.CHANGES_REQUESTED,),
    ClipGroup.REJECTED: (ClipState.REJECTED,),
    ClipGroup.APPROVED: (ClipState.APPROVED,),
    ClipGroup.PUBLISHED: (ClipState.PUBLISHED,),
}
GROUP_LABELS = {
    ClipGroup.DRAFT: _l("Drafts"),
    ClipGroup.IN_REVIEW: _l("In review"),
    ClipGroup.CHANGES_REQUESTED: _l("Changes requested"),
    ClipGroup.REJECTED: _l("Rejected"),
    ClipGroup.APPROVED: _l("Approved, not yet published"),
    ClipGroup.PUBLISHED: _l("Published"),
}


def group_label(group: str) -> str:
    """Return the translated name of a clip group."""
    return str(GROUP_LABELS[ClipGroup(group)])


def _clips(org_id: int | None, account_id: int | None = None) -> Select[tuple[Clip]]:
    """The clips of ``org_id`` (None: every organisation), of one live account if given."""
    statement = all_orgs(Clip) if org_id is None else scoped(Clip, org_id)
    if account_id is not None:
        streamed = select(Recording.id).where(Recording.live_account_id == account_id)
        statement = statement.where(Clip.recording_id.in_(streamed))
    return statement


def count_clips(org_id: int | None = None, account_id: int | None = None) -> dict[ClipGroup, int]:
    """Count clips per group (every group, zero included) in one query; ``account_id``: only
    the clips of recordings that live account streamed."""
    per_state = dict(
        db.session.execute(
            _clips(org_id, account_id)
            .with_only_columns(Clip.state, func.count())
            .group_by(Clip.state)
        ).all()
    )
    return {
        group: sum(per_state.get(state, 0) for state in states)
        for group, states in GROUP_STATES.items()
    }


def _group_select(
    group: ClipGroup, org_id: int | None, *, oldest_first: bool, account_id: int | None = None
) -> Select[tuple[Clip]]:
    order = (Clip.updated_at, Clip.id) if oldest_first else (Clip.updated_at.desc(), Clip.id.desc())
    return _clips(org_id, account_id).where(Clip.state.in_(GROUP_STATES[group])).order_by(*order)


def clips_in_group(
    group: ClipGroup,
    org_id: int | None = None,
    *,
    oldest_first: bool = False,
    limit: int | None = None,
) -> list[Clip]:
    """The group's clips by last change: newest first, or oldest (longest waiting) first."""
    statement = _group_select(group, org_id, oldest_first=oldest_first).limit(limit)
    return list(db.session.scalars(statement))


def group_page(
    group: ClipGroup, org_id: int, page: int, account_id: int | None = None
) -> Pagination:
    """One page of the organisation's clips in ``group`` (of one live account), newest first."""
    statement = _group_select(group, org_id, oldest_first=False, account_id=account_id)
    return db.paginate(statement, page=page, per_page=PAGE_SIZE, error_out=False)


@dataclass(frozen=True)
class ApprovedClip:
    """An approved clip waiting to be published, and what still blocks publishing."""

    clip: Clip
    blockers: list[str]


def approved_queue(limit: int | None = None) -> list[ApprovedClip]:
    """Approved clips of every organisation not yet published, longest waiting first."""
    return [
        ApprovedClip(clip, publish_blockers(clip))
        for clip in clips_in_group(ClipGroup.APPROVED, oldest_first=True, limit=limit)
    ]
