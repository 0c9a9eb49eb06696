"""The space recordings take, counted against the quotas by ``media.usage`` (registered by the
recordings blueprint at app creation)."""

from __future__ import annotations

from sqlalchemy import select

from media.recordings.models import Recording
from media.usage import UsageSource, total_bytes
from portal.organisations.models import BASE_ORG_SLUG, Organisation


def _of_org(org_id: int) -> int:
    """The bytes of organisation ``org_id``'s recordings."""
    return total_bytes(Recording.size_bytes, Recording.org_id == org_id)


def _of_user(user_id: int) -> int:
    """The bytes of the course and practice videos a user added (the base's recordings)."""
    base = select(Organisation.id).where(Organisation.slug == BASE_ORG_SLUG).scalar_subquery()
    return total_bytes(
        Recording.size_bytes, Recording.created_by_id == user_id, Recording.org_id == base
    )


RECORDINGS = UsageSource(of_org=_of_org, of_user=_of_user)
