"""The clip state machine: one transition table, one function that checks, applies and audits.

Views and services never set ``Clip.state`` directly; they call ``transition``. "Rendering" is
not stored: a clip is rendering while its newest version's render job runs.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from media.clips.models import Clip, ClipState
from media.clips.signals import clip_changed, clip_moved
from portal.audit.services import record_event
from portal.auth.models import Role, User
from portal.database import lock_rows
from portal.errors import ConflictError
from portal.extensions import db

S = ClipState
MERCHANT, STAFF, SYSTEM = frozenset({Role.MERCHANT}), frozenset({Role.TRAINER, Role.ADMIN}), None
# Merchants publish and unpublish only when BELTCAST_MERCHANT_CAN_PUBLISH is on (see _roles).
PUBLISHERS = MERCHANT | STAFF
# Moves the system makes too, besides the people the table names.
SYSTEM_TOO = frozenset({(S.APPROVED, S.IN_REVIEW), (S.PUBLISHED, S.IN_REVIEW)})

# (from, to) → who may make the move (None: the system, e.g. a finished render).
TRANSITIONS: dict[tuple[ClipState, ClipState], frozenset[Role] | None] = {
    (S.DRAFT, S.READY): SYSTEM,
    (S.READY, S.IN_REVIEW): MERCHANT,
    (S.CHANGES_REQUESTED, S.IN_REVIEW): MERCHANT,
    (S.REJECTED, S.IN_REVIEW): MERCHANT,
    (S.IN_REVIEW, S.CHANGES_REQUESTED): STAFF,
    (S.IN_REVIEW, S.APPROVED): STAFF,
    (S.IN_REVIEW, S.REJECTED): STAFF,
    (S.APPROVED, S.PUBLISHED): PUBLISHERS,
    (S.PUBLISHED, S.APPROVED): PUBLISHERS,
    # The system recalls a clip whose item changed; the merchant submits a text change.
    (S.APPROVED, S.IN_REVIEW): MERCHANT,
    (S.PUBLISHED, S.IN_REVIEW): MERCHANT,
    **{(state, S.ARCHIVED): MERCHANT | STAFF for state in S if state != S.ARCHIVED},
    (S.ARCHIVED, S.DRAFT): MERCHANT | STAFF,
}


def _roles(move: tuple[ClipState, ClipState]) -> frozenset[Role] | None:
    """Who may make ``move`` under the current settings (merchants publish if allowed)."""
    roles = TRANSITIONS[move]
    if roles is PUBLISHERS and not current_app.config["MERCHANT_CAN_PUBLISH"]:
        return STAFF
    return roles


def _may(move: tuple[ClipState, ClipState], actor: User | None) -> bool:
    """Tell whether ``actor`` (None: the system) may make ``move``."""
    roles = _roles(move)
    if actor is None:
        return roles is None or move in SYSTEM_TOO
    return roles is not None and actor.role in roles


def allowed_targets(clip: Clip, actor: User) -> list[ClipState]:
    """The states ``actor`` may move ``clip`` to now (what the page offers)."""
    return [
        target
        for (source, target) in TRANSITIONS
        if source == clip.state and (roles := _roles((source, target))) and actor.role in roles
    ]


def hold(clip: Clip) -> None:
    """Hold the clip's row until the caller commits; refuse (409) if its state changed since the
    request read it.

    Every check of a clip's state followed by a write goes through here (``move``, and the
    editing checks of ``media.clips.services``): else a request that read the clip before
    another one committed wrote over it (a publish racing a resubmission put the unreviewed text
    in the library; a second trainer's approval undid a request for changes).
    """
    lock_rows(db.session, select(Clip.id).where(Clip.id == clip.id))
    stored = db.session.scalar(select(Clip.state).where(Clip.id == clip.id))
    if stored is not None and ClipState(stored) != ClipState(clip.state):
        raise ConflictError(
            _("This action does not fit the current state. Reload the page and try again.")
        )


def transition(clip: Clip, target: ClipState, actor: User | None, reason: str = "") -> None:
    """Move ``clip`` to ``target`` (see ``move``) and commit: one unit of work."""
    move(clip, target, actor, reason)
    db.session.commit()
    clip_changed.send(clip_id=clip.id, org_id=clip.org_id)


def move(
    clip: Clip,
    target: ClipState,
    actor: User | None,
    reason: str = "",
    *,
    reason_key: str = "",
    reason_args: dict[str, str] | None = None,
) -> None:
    """Move ``clip`` to ``target`` if the table allows it for ``actor`` and audit it.

    Part of the caller's unit of work: the caller commits, then sends ``clip_changed``.
    ``actor`` None is the system. Anything the table does not allow is a 409. A person's
    ``reason`` is kept as written; the system's is a message id (``reason_key``, marked with
    ``N_``) and its arguments, translated when shown. The audit row names the version the clip's
    review is about.
    """
    hold(clip)
    source = ClipState(clip.state)
    if (source, target) not in TRANSITIONS:
        raise ConflictError(_("A clip cannot go from this state to that one."))
    if not _may((source, target), actor):
        raise ConflictError(_("You cannot make this change to the clip."))
    clip.state = target
    record_event(
        actor,
        "clip.transition",
        clip,
        org_id=clip.org_id,
        source=str(source),
        target=str(target),
        reason=reason,
        reason_key=reason_key,
        reason_args=reason_args or {},
        version_id=clip.review_version_id,
    )
    clip_moved.send(clip=clip, source=source, target=target, actor=actor)
