"""Record audit events inside the caller's unit of work."""

from __future__ import annotations

from typing import Any, Protocol

from portal.audit.models import AuditEvent
from portal.extensions import db


class Identified(Protocol):
    """Anything with an integer ``id`` (a model row)."""

    id: int


def record_event(
    actor: Identified | None,
    action: str,
    obj: Identified,
    *,
    org_id: int | None = None,
    **details: Any,
) -> AuditEvent:
    """Add an audit row for ``action`` on ``obj``; the caller's service commits it."""
    db.session.flush()
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        org_id=org_id,
        action=action,
        object_type=type(obj).__name__,
        object_id=obj.id,
        details=details,
    )
    db.session.add(event)
    return event
