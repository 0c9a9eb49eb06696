"""Published clips that hold a banned term without an override.

A term added (switched on, edited) after a clip was published does not unpublish it: the library
keeps what was published under the terms of the day. This finds such clips so that the admin
who changed the list and the trainers are told, and a trainer can unpublish with the review
page's own action. Each published clip's review version is checked as publishing checks it
(``flagged_hits``); the newest ``SCAN_LIMIT`` published clips are scanned.
"""

from __future__ import annotations

from dataclasses import dataclass

from media.clips.models import Clip, ClipState
from portal.claims.matching import Hit
from portal.extensions import db
from portal.library.publishing import flagged_hits
from portal.organisations.scoping import all_orgs

SCAN_LIMIT = 500


@dataclass(frozen=True)
class HeldClip:
    """A published clip and the banned terms its published version holds, not overridden."""

    clip: Clip
    hits: list[Hit]

    @property
    def terms(self) -> list[str]:
        """The terms held, each once, in the order found."""
        return list(dict.fromkeys(hit.term for hit in self.hits))


@dataclass(frozen=True)
class Exposure:
    """The published clips holding banned terms, and whether the scan stopped at its limit."""

    clips: list[HeldClip]
    scanned: int
    capped: bool
    limit: int = SCAN_LIMIT


def published_holding(term_id: int | None = None, limit: int = SCAN_LIMIT) -> Exposure:
    """Check the newest ``limit`` published clips of every merchant; keep those whose published
    version holds an active term (``term_id`` only, if given) that is neither satisfied nor
    overridden."""
    statement = (
        all_orgs(Clip)
        .where(Clip.state == ClipState.PUBLISHED)
        .order_by(Clip.updated_at.desc(), Clip.id.desc())
        .limit(limit + 1)
    )
    published = list(db.session.scalars(statement))
    capped = len(published) > limit
    held = []
    for clip in published[:limit]:
        hits = [
            flagged.hit
            for flagged in flagged_hits(clip)
            if flagged.is_open and (term_id is None or flagged.hit.term_id == term_id)
        ]
        if hits:
            held.append(HeldClip(clip, hits))
    return Exposure(held, min(len(published), limit), capped, limit)
