"""Publishing: compliance overrides, publish and unpublish, and sending clips back to review.

Everything here is about the clip's review version (the one submitted and approved). It is
published only when every unsatisfied compliance hit of that version carries a trainer's
override and none of its items is archived; the move goes through
``media.clips.states.transition``.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import Select, select

from media.clips.models import Clip, ClipItem, ClipState, ClipVersion
from media.clips.rendering import review_version, version_items
from media.clips.signals import clip_changed
from media.clips.states import move, transition
from portal.audit.services import record_event
from portal.auth.models import User
from portal.catalog.models import Item
from portal.claims.matching import Hit
from portal.compliance.published import check_version
from portal.errors import ConflictError, ServiceError
from portal.extensions import db
from portal.i18n import N_
from portal.library.models import ComplianceOverride
from portal.organisations.scoping import scoped

FlagKey = tuple[str, int, str]  # a hit's (source, line index, term)


@dataclass(frozen=True)
class FlaggedHit:
    """A compliance hit of the clip and the override that lets it stand, if any."""

    hit: Hit
    override: ComplianceOverride | None

    @property
    def is_open(self) -> bool:
        """Tell whether the hit still blocks publishing."""
        return not self.hit.satisfied and self.override is None


def list_overrides(version: ClipVersion) -> list[ComplianceOverride]:
    """Return the overrides given on ``version``, oldest first."""
    statement = scoped(ComplianceOverride, version.org_id).where(
        ComplianceOverride.version_id == version.id
    )
    return list(db.session.scalars(statement.order_by(ComplianceOverride.id)))


def flagged_hits(clip: Clip) -> list[FlaggedHit]:
    """Check the clip's review version; pair each hit with its override on that version."""
    version = review_version(clip)
    if version is None:
        return []
    overrides = {(o.source, o.cue_index, o.term): o for o in list_overrides(version)}
    return [FlaggedHit(hit, overrides.get(hit.key)) for hit in check_version(version)]


def open_hits(clip: Clip) -> list[Hit]:
    """Return the hits that block publishing: unsatisfied and not overridden."""
    return [flagged.hit for flagged in flagged_hits(clip) if flagged.is_open]


def override_hits(
    clip: Clip, actor: User, *, version_id: int | None, keys: list[FlagKey], reason: str
) -> int:
    """Let the ticked unsatisfied hits of the review version stand, with one reason.

    ``keys`` are hits' (source, line index, term); ``version_id`` is the version the trainer
    looked at. Each flag gets its own override and audit row; nothing is written unless every
    ticked flag is still open on that version. Return how many flags were overridden.
    """
    text = reason.strip()
    if not text:
        raise ServiceError(_("Write why these lines may stay."), field="reason")
    if not keys:
        raise ServiceError(_("Tick at least one flag."), field="flags")
    if clip.review_version_id is None or version_id != clip.review_version_id:
        raise ServiceError(
            _("The merchant submitted another version meanwhile. Reload the page."), field="flags"
        )
    flagged = {f.hit.key: f for f in flagged_hits(clip) if f.is_open}
    closed = [key[2] for key in keys if key not in flagged]
    if closed:
        raise ServiceError(
            _(
                "No longer open (overridden meanwhile?): %(terms)s. Reload the page.",
                terms="、".join(dict.fromkeys(closed)),
            ),
            field="flags",
        )
    for key in dict.fromkeys(keys):
        _add_override(clip, actor, flagged[key].hit, text)
    db.session.commit()
    return len(dict.fromkeys(keys))


def _add_override(clip: Clip, actor: User, hit: Hit, reason: str) -> None:
    """Add one flag's override and its audit row to the session."""
    source, cue_index, term = hit.key
    db.session.add(
        ComplianceOverride(
            org_id=clip.org_id,
            clip_id=clip.id,
            version_id=clip.review_version_id,
            source=source,
            term=term,
            cue_index=cue_index,
            start_s=hit.start_s,
            reason=reason,
            trainer_id=actor.id,
        )
    )
    record_event(
        actor,
        "clip.compliance_override",
        clip,
        org_id=clip.org_id,
        term=term,
        source=source,
        cue_index=cue_index,
        reason=reason,
        version_id=clip.review_version_id,
    )


def archived_items(clip: Clip) -> list[Item]:
    """The review version's linked items that are archived (they block publishing)."""
    version = review_version(clip)
    return [item for item in version_items(version) if item.is_archived] if version else []


def publish_blockers(clip: Clip) -> list[str]:
    """Why the approved clip cannot be published now (empty when it can)."""
    reasons = []
    blocking = open_hits(clip)
    if blocking:
        terms = "、".join(dict.fromkeys(hit.term for hit in blocking))
        reasons.append(
            _(
                "%(count)s compliance flag(s) need a trainer's override first (%(terms)s).",
                count=len(blocking),
                terms=terms,
            )
        )
    archived = archived_items(clip)
    if archived:
        names = "、".join(f"{item.name} ({item.sku})" for item in archived)
        reasons.append(_("Linked items are archived: %(names)s.", names=names))
    return reasons


def publish(clip: Clip, actor: User) -> None:
    """Publish the approved version to the library, unless something still blocks it."""
    if clip.state == ClipState.APPROVED:
        if review_version(clip) is None:
            raise ConflictError(_("No approved version to publish."))
        blockers = publish_blockers(clip)
        if blockers:
            raise ConflictError(_("Publishing is blocked:") + " " + " ".join(blockers))
    transition(clip, ClipState.PUBLISHED, actor)


def unpublish(clip: Clip, actor: User) -> None:
    """Take a published clip out of the library (it stays approved; nothing is deleted)."""
    if clip.state != ClipState.PUBLISHED:  # in review → approved is a decision, not this
        raise ConflictError(_("Only a published clip can be taken out of the library."))
    transition(clip, ClipState.APPROVED, actor)


def _recallable(org_id: int, item_ids: list[int]) -> Select[tuple[Clip]]:
    """The approved and published clips of the organisation linked to any of ``item_ids``."""
    return (
        scoped(Clip, org_id)
        .where(
            Clip.id.in_(select(ClipItem.clip_id).where(ClipItem.item_id.in_(item_ids))),
            Clip.state.in_([ClipState.APPROVED, ClipState.PUBLISHED]),
        )
        .order_by(Clip.id)
    )


def count_recalls(sender: object = None, *, item_ids: list[int], **_: object) -> int:
    """How many clips archiving or re-certifying ``item_ids`` would recall (a signal listener)."""
    items = list(db.session.scalars(select(Item).where(Item.id.in_(item_ids))))
    if not items:
        return 0
    statement = _recallable(items[0].org_id, [item.id for item in items])
    return len(db.session.scalars(statement).all())


def recall_clips_of_item(item: Item, reason_key: str) -> int:
    """Send the item's approved and published clips back to review; return how many."""
    clips = list(db.session.scalars(_recallable(item.org_id, [item.id])))
    args = {"name": f"{item.name} ({item.sku})"}
    for clip in clips:
        move(clip, ClipState.IN_REVIEW, None, reason_key=reason_key, reason_args=args)
    db.session.commit()  # one unit of work for all of them
    for clip in clips:
        clip_changed.send(clip_id=clip.id, org_id=clip.org_id)
    return len(clips)


def recall_archived(sender: object = None, *, item: Item, **_: object) -> int:
    """The item was archived: its clips go back to review (a ``item_archived`` listener)."""
    return recall_clips_of_item(item, N_("Linked item %(name)s was archived."))


def recall_recertified(sender: object = None, *, item: Item, **_: object) -> int:
    """The item's certificate changed: its clips go back to review (a signal listener)."""
    return recall_clips_of_item(item, N_("The certificate of linked item %(name)s changed."))
