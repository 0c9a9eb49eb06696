"""Publishing: compliance overrides, publish and unpublish, and sending clips back to review.

A clip is published only when every unsatisfied compliance hit of its subtitles carries a
trainer's override; the move itself goes through ``portal.review.states.transition``.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from media.clips.models import Clip, ClipItem, ClipState
from portal.audit.services import record_event
from portal.auth.models import User
from portal.catalog.models import Item
from portal.compliance.matching import Hit
from portal.compliance.services import check_clip
from portal.errors import ConflictError, ServiceError
from portal.extensions import db
from portal.library.models import ComplianceOverride
from portal.organisations.scoping import scoped
from portal.review.states import transition


@dataclass(frozen=True)
class FlaggedHit:
    """A compliance hit of the clip and the override that lets it stand, if any."""

    hit: Hit
    override: ComplianceOverride | None

    @property
    def is_open(self) -> bool:
        """Tell whether the hit still blocks publishing."""
        return not self.hit.satisfied and self.override is None


def list_overrides(clip: Clip) -> list[ComplianceOverride]:
    """Return the clip's overrides, oldest first."""
    statement = scoped(ComplianceOverride, clip.org_id).where(ComplianceOverride.clip_id == clip.id)
    return list(db.session.scalars(statement.order_by(ComplianceOverride.id)))


def flagged_hits(clip: Clip) -> list[FlaggedHit]:
    """Check the clip's current subtitles; pair each hit with its override.

    Overrides of lines that no longer carry the term simply match nothing.
    """
    overrides = {(o.term, o.cue_index): o for o in list_overrides(clip)}
    return [FlaggedHit(hit, overrides.get((hit.term, hit.cue_index))) for hit in check_clip(clip)]


def open_hits(clip: Clip) -> list[Hit]:
    """Return the hits that block publishing: unsatisfied and not overridden."""
    return [flagged.hit for flagged in flagged_hits(clip) if flagged.is_open]


def override_hit(clip: Clip, actor: User, *, term: str, cue_index: int, reason: str) -> None:
    """Let one unsatisfied hit stand, with the trainer's written reason."""
    text = reason.strip()
    if not text:
        raise ServiceError(_("Write why this line may stay."), field="reason")
    flagged = next(
        (f for f in flagged_hits(clip) if (f.hit.term, f.hit.cue_index) == (term, cue_index)),
        None,
    )
    if flagged is None or not flagged.is_open:
        raise ConflictError(_("This flag is no longer open. Reload the page."))
    override = ComplianceOverride(
        org_id=clip.org_id, clip_id=clip.id, term=term, cue_index=cue_index,
        start_s=flagged.hit.start_s, reason=text, trainer_id=actor.id,
    )  # fmt: skip
    db.session.add(override)
    record_event(
        actor, "clip.compliance_override", clip, org_id=clip.org_id, term=term,
        cue_index=cue_index, reason=text,
    )  # fmt: skip
    db.session.commit()


def publish(clip: Clip, actor: User) -> None:
    """Publish an approved clip to the library, unless a compliance flag is still open."""
    blocking = open_hits(clip)
    if blocking and clip.state == ClipState.APPROVED:
        terms = "、".join(dict.fromkeys(hit.term for hit in blocking))
        raise ConflictError(
            _(
                "Publishing is blocked: %(count)s compliance flag(s) need a trainer's "
                "override first (%(terms)s).",
                count=len(blocking),
                terms=terms,
            )
        )
    transition(clip, ClipState.PUBLISHED, actor)


def unpublish(clip: Clip, actor: User) -> None:
    """Take a published clip out of the library (it stays approved; nothing is deleted)."""
    if clip.state != ClipState.PUBLISHED:  # in review → approved is a decision, not this
        raise ConflictError(_("Only a published clip can be taken out of the library."))
    transition(clip, ClipState.APPROVED, actor)


def certificate_of(item: Item) -> tuple[str, str, str]:
    """Return the item's certificate fields (lab, number, grade)."""
    return (item.cert_lab, item.cert_number, item.cert_grade)


def recall_clips_of_item(item: Item, reason: str) -> int:
    """Send the item's approved and published clips back to review; return how many."""
    statement = (
        scoped(Clip, item.org_id)
        .join(ClipItem, ClipItem.clip_id == Clip.id)
        .where(
            ClipItem.item_id == item.id,
            Clip.state.in_([ClipState.APPROVED, ClipState.PUBLISHED]),
        )
        .order_by(Clip.id)
    )
    clips = list(db.session.scalars(statement))
    for clip in clips:
        transition(clip, ClipState.IN_REVIEW, None, reason)
    return len(clips)


def item_archived(item: Item) -> int:
    """The item was archived: its clips go back to review."""
    return recall_clips_of_item(
        item, _("Linked item %(name)s was archived.", name=f"{item.name} ({item.sku})")
    )


def item_certificate_changed(item: Item) -> int:
    """The item's certificate changed: its clips go back to review."""
    return recall_clips_of_item(
        item,
        _("The certificate of linked item %(name)s changed.", name=f"{item.name} ({item.sku})"),
    )
