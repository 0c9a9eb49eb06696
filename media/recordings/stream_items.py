"""The stream's item list (the live-commerce cart, 小黄车): the catalog items a recording sells,
with their link numbers ("3号链接").

Other parts read the list through two functions:

* ``stream_items(recording)``: the active items, in list order;
* ``stream_links(recording)``: the same as ``(link_number, item)`` pairs (``None``: no number).

List order is link number, then the items without a number in the order they were added or
moved. The list may be empty (then the whole catalog is all there is). Archived items stay on
the list, marked on the page, but neither function returns them.

When the list is empty, the items found in the transcript (``found_items``, asked of the clip
workshop through ``items_found``) can be put on it in one go (``add_found_items``).

Every change below is one unit of work: it locks the recording, writes, commits and then sends
``stream_items_changed`` (the clip workshop finds the items again).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from flask_babel import gettext as _
from sqlalchemy import Select, delete, select
from sqlalchemy.orm import selectinload

from media.mentions.links import MAX_LINK_NUMBER
from media.recordings.models import Recording, StreamItem
from media.recordings.signals import items_found, stream_items_changed
from portal.audit.services import record_event
from portal.auth.models import User
from portal.catalog.models import Item
from portal.catalog.services import ItemFilter, list_items
from portal.database import lock_rows
from portal.errors import ServiceError
from portal.extensions import db
from portal.organisations.scoping import scoped

MAX_ITEMS = 500


def _entries(recording: Recording) -> Select[tuple[StreamItem]]:
    return (
        scoped(StreamItem, recording.org_id)
        .where(StreamItem.recording_id == recording.id)
        .order_by(
            StreamItem.link_number.is_(None),
            StreamItem.link_number,
            StreamItem.position,
            StreamItem.id,
        )
    )


def list_entries(recording: Recording) -> list[StreamItem]:
    """Return the list's rows in list order, archived items included, items loaded."""
    statement = _entries(recording).options(selectinload(StreamItem.item))
    return list(db.session.scalars(statement))


def stream_links(recording: Recording) -> list[tuple[int | None, Item]]:
    """Return ``(link_number, item)`` for every active item on the list, in list order."""
    return [(e.link_number, e.item) for e in list_entries(recording) if not e.item.is_archived]


def stream_items(recording: Recording) -> list[Item]:
    """Return the active items of the recording's item list, in list order (may be empty)."""
    return [item for _, item in stream_links(recording)]


def listed_item_ids(recording: Recording) -> list[int]:
    """Return the item ids of the recording's list in list order, archived ones too (one query)."""
    return list(db.session.scalars(_entries(recording).with_only_columns(StreamItem.item_id)))


def stream_item_ids(recording: Recording) -> set[int]:
    """Return the ids of the active items of the recording's item list."""
    return {item.id for item in stream_items(recording)}


def off_list(recording: Recording, item_ids: Iterable[int]) -> set[int]:
    """Return the ids of ``item_ids`` not on the recording's list (none when it has no list).

    The workshop marks these: found in the transcript, though the merchant did not list them.
    """
    listed = {item.id for item in stream_items(recording)}
    return set(item_ids) - listed if listed else set()


def found_items(recording: Recording) -> list[Item]:
    """Return the active items found in the recording's transcript, most mentioned first.

    Asked with ``items_found`` (the clip workshop answers); only the recording's organisation's
    items count, archived ones never, and no more than a list holds (``MAX_ITEMS``).
    """
    items: dict[int, Item] = {}
    for _receiver, answer in items_found.send(recording):
        for entry in answer or ():
            item = entry.item
            if item.org_id == recording.org_id and not item.is_archived:
                items.setdefault(item.id, item)
    return list(items.values())[:MAX_ITEMS]


def add_found_items(recording: Recording, actor: User | None, item_ids: Sequence[int]) -> int:
    """Put on the list those of ``item_ids`` (as offered) that are still found in the transcript.

    Returns how many were added; none still found is refused (the page offered them earlier).
    """
    found = {item.id for item in found_items(recording)}
    chosen = [item_id for item_id in dict.fromkeys(item_ids) if item_id in found]
    if not chosen:
        raise ServiceError(
            _("These items are no longer found in this stream. Reload the page."),
            field="item_ids",
        )
    return add_items(recording, actor, chosen)


def get_entry_or_404(recording: Recording, item_id: int) -> StreamItem:
    """Load the list's row for ``item_id``; an item not on the list answers 404."""
    return db.first_or_404(_entries(recording).where(StreamItem.item_id == item_id))


def search_catalog(recording: Recording, query: str) -> list[Item]:
    """Return active catalog items whose name, SKU or alias holds ``query`` (one page)."""
    return list(list_items(recording.org_id, ItemFilter(query=query), page=1).items)


def _lock(recording: Recording) -> None:
    lock_rows(db.session, select(Recording.id).where(Recording.id == recording.id))


def _commit(recording: Recording, actor: User | None, action: str, **details: object) -> None:
    if actor is not None:
        recording.updated_by_id = actor.id
    record_event(actor, action, recording, org_id=recording.org_id, **details)
    db.session.commit()
    stream_items_changed.send(recording_id=recording.id, org_id=recording.org_id)


def _own_active_items(org_id: int, item_ids: Sequence[int]) -> list[Item]:
    """Return the items in the order asked; a foreign, archived or unknown id is refused."""
    wanted = list(dict.fromkeys(item_ids))
    statement = scoped(Item, org_id).where(Item.id.in_(wanted), Item.archived_at.is_(None))
    found = {item.id: item for item in db.session.scalars(statement)}
    if len(found) != len(wanted):
        raise ServiceError(_("Choose items from your own catalog."), field="item_ids")
    return [found[item_id] for item_id in wanted]


def add_items(recording: Recording, actor: User | None, item_ids: Sequence[int]) -> int:
    """Put items on the list after the last one, numbered on from the highest link number.

    Items already on the list stay where they are. Returns how many were added.
    """
    _lock(recording)
    items = _own_active_items(recording.org_id, item_ids)
    entries = list_entries(recording)
    present = {entry.item_id for entry in entries}
    new = [item for item in items if item.id not in present]
    if len(entries) + len(new) > MAX_ITEMS:
        raise ServiceError(
            _("A stream's list holds at most %(max)s items.", max=MAX_ITEMS), field="item_ids"
        )
    number = max((e.link_number or 0 for e in entries), default=0)
    position = max((e.position for e in entries), default=-1)
    for offset, item in enumerate(new, start=1):
        link = number + offset if number + offset <= MAX_LINK_NUMBER else None
        db.session.add(
            StreamItem(
                org_id=recording.org_id,
                recording_id=recording.id,
                item_id=item.id,
                link_number=link,
                position=position + offset,
            )
        )
    _commit(recording, actor, "recording.items_added", skus=[item.sku for item in new])
    return len(new)


def set_link_number(entry: StreamItem, actor: User | None, number: int | None) -> None:
    """Give the item another link number, or none; a number is used once per recording."""
    recording = db.session.get_one(Recording, entry.recording_id)
    _lock(recording)
    if number is not None:
        taken = db.session.scalar(
            _entries(recording).where(StreamItem.link_number == number, StreamItem.id != entry.id)
        )
        if taken is not None:
            raise ServiceError(
                _(
                    "Link number %(number)s is already used by %(name)s.",
                    number=number,
                    name=taken.item.name,
                ),
                field="link_number",
            )
    entry.link_number = number
    _commit(recording, actor, "recording.items_link_set", sku=entry.item.sku, link=number)


def move_item(entry: StreamItem, actor: User | None, step: int) -> None:
    """Swap the item with its neighbour (``step`` -1: up, 1: down), link numbers and all.

    The item at the top or bottom stays where it is.
    """
    recording = db.session.get_one(Recording, entry.recording_id)
    _lock(recording)
    entries = list_entries(recording)
    index = entries.index(entry)
    if not 0 <= index + step < len(entries):
        return
    other = entries[index + step]
    numbers, positions = (entry.link_number, other.link_number), (entry.position, other.position)
    entry.link_number = other.link_number = None  # unique numbers move through free values
    db.session.flush()
    other.link_number, entry.link_number = numbers
    other.position, entry.position = positions
    _commit(recording, actor, "recording.items_moved", sku=entry.item.sku, step=step)


def number_in_order(recording: Recording, actor: User | None) -> None:
    """Number the whole list 1, 2, 3 … in its present order."""
    _lock(recording)
    entries = list_entries(recording)
    for entry in entries:
        entry.link_number = None
    db.session.flush()
    for number, entry in enumerate(entries, start=1):
        entry.link_number, entry.position = number, number
    _commit(recording, actor, "recording.items_numbered", count=len(entries))


def remove_item(entry: StreamItem, actor: User | None) -> None:
    """Take the item off the list (the catalog keeps it; other link numbers stay)."""
    recording = db.session.get_one(Recording, entry.recording_id)
    _lock(recording)
    sku = entry.item.sku
    db.session.delete(entry)
    _commit(recording, actor, "recording.items_removed", sku=sku)


def replace_items(
    recording: Recording, actor: User | None, links: Sequence[tuple[int | None, int]]
) -> None:
    """Make ``links`` (link number or None, item id) the whole list, in that order."""
    _lock(recording)
    items = _own_active_items(recording.org_id, [item_id for _, item_id in links])
    db.session.execute(delete(StreamItem).where(StreamItem.recording_id == recording.id))
    db.session.add_all(
        StreamItem(
            org_id=recording.org_id,
            recording_id=recording.id,
            item_id=item.id,
            link_number=number,
            position=position,
        )
        for position, ((number, _), item) in enumerate(zip(links, items, strict=True))
    )
    _commit(recording, actor, "recording.items_imported", count=len(links))
