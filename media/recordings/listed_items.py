"""The items whose names a recording is checked against first: its item list, or a small catalog.

The recogniser's hints give the stream's listed items first (``media.recordings.tasks``), name
correction (``media.transcripts.corrections``) writes their names more boldly, and item finding
(``media.clips.discovery``) counts them from nearer mishearings. A merchant whose whole catalog
is no bigger than one stream's list has, in effect, listed it; without this the same stream came
out with names spelled worse than with the list (Mandarin, 10 items: 0.62–0.79 of the names as
the catalog spells them, 0.86–0.97 listed; docs/benchmarks.md). Link numbers ("3号链接") still
come only from the real list.
"""

from __future__ import annotations

from media.recordings.models import Recording
from media.recordings.stream_items import stream_item_ids
from portal.catalog.models import Item
from portal.extensions import db
from portal.organisations.scoping import scoped

# A stream sells 20–50 items (issue #15; the merchant's journey lists 15), so a catalog of at
# most 20 active items is no bigger than the smallest list a stream would have: all of it could
# be on the list. A bigger catalog holds items this stream did not sell, and treating all of
# them as listed would write near-miss names over one another.
SMALL_CATALOG_ITEMS = 20


def small_catalog_ids(org_id: int) -> set[int]:
    """Return the ids of the organisation's active items if there are at most
    ``SMALL_CATALOG_ITEMS`` of them, else none (one query, never more than that many + 1 rows).
    """
    statement = (
        scoped(Item, org_id)
        .where(Item.archived_at.is_(None))
        .with_only_columns(Item.id)
        .limit(SMALL_CATALOG_ITEMS + 1)
    )
    ids = set(db.session.scalars(statement))
    return ids if len(ids) <= SMALL_CATALOG_ITEMS else set()


def listed_or_small_catalog(recording: Recording) -> set[int]:
    """Return the ids of the items to treat as the stream's list.

    The active items of the recording's list when it has any (a real list always wins); else
    every active item of a catalog of at most ``SMALL_CATALOG_ITEMS``; else none. Archived
    items never count.
    """
    return stream_item_ids(recording) or small_catalog_ids(recording.org_id)
