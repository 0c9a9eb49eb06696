"""Clips: title, description, subtitles and linked items (owned; published ones are public).

The subtitles are the lines the clip keeps, without the words and sentences cut from it
(``media.clips.kept_text``), as its videos and publish kit show them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, exists, or_, select, true
from sqlalchemy.orm import selectinload

from media.clips.kept_text import kept_lines
from media.clips.models import Clip, ClipItem, ClipState
from media.clips.signals import clip_changed
from portal.catalog.signals import catalog_changed
from portal.extensions import db
from portal.library.services import approved_items, published_clips
from portal.organisations.scoping import all_orgs, scoped
from portal.search import indexing
from portal.search.registry import Document, Hit, Source, Viewer, register

KIND = "clip"


def _document(clip: Clip) -> Document:
    lines = " ".join(line.text for line in kept_lines(clip) if not line.cue.is_hidden)
    return Document(
        ref_id=clip.id,
        org_id=clip.org_id,
        recording_id=clip.recording_id,
        title=clip.title,
        body=" ".join(part for part in (clip.description, lines) if part),
        context="、".join(_item_names(clip)),
        happened_at=clip.updated_at,
        exact=(clip.title,),
    )


def _item_names(clip: Clip) -> list[str]:
    """The linked items' names; a published clip's as its approved version kept them (the public
    finds it, and the catalog may have changed since)."""
    if clip.state == ClipState.PUBLISHED:
        return [item.name for item in approved_items(clip)]
    return [link.item.name for link in clip.links]


def _clips(statement: Any) -> Iterator[Document]:
    statement = statement.where(Clip.state != ClipState.ARCHIVED).options(
        selectinload(Clip.cues), selectinload(Clip.links).selectinload(ClipItem.item)
    )
    last = 0
    while batch := db.session.scalars(
        statement.where(Clip.id > last).order_by(Clip.id).limit(indexing.BATCH)
    ).all():
        yield from (_document(clip) for clip in batch)
        last = batch[-1].id


def published(clip_id: Any) -> ColumnElement[bool]:
    """SQL: the clip is in the public library."""
    return published_clips().where(Clip.id == clip_id).exists()


class ClipSource(Source):
    """Clips."""

    kind = KIND
    order = 20

    @property
    def label(self) -> str:
        """Group heading."""
        return str(_l("Clips"))

    def documents(self) -> Iterator[Document]:
        """Every clip that is not archived."""
        return _clips(all_orgs(Clip))

    def visible(self, viewer: Viewer, doc: Any) -> ColumnElement[bool] | None:
        """Staff: all; a merchant: their own; everyone: published clips."""
        if viewer.is_staff:
            return true()
        if viewer.org_id is not None:
            return or_(doc.org_id == viewer.org_id, published(doc.ref_id))
        return published(doc.ref_id)

    def about_item(self, item_id: int, doc: Any) -> ColumnElement[bool] | None:
        """Clips linked to the item."""
        return exists(
            select(ClipItem.clip_id).where(
                ClipItem.clip_id == doc.ref_id, ClipItem.item_id == item_id
            )
        )

    def link(self, hit: Hit, viewer: Viewer) -> str | None:
        """The editor for its merchant, the review page for staff, else the library page."""
        if viewer.org_id is not None and viewer.org_id == hit.org_id:
            return url_for("clips.editor", clip_id=hit.ref_id)
        if viewer.is_staff:
            return url_for("review.clip_page", clip_id=hit.ref_id)
        return url_for("library.clip", clip_id=hit.ref_id)

    def connect(self) -> None:
        """Re-index a clip when it changes, and an organisation's clips when items change."""
        clip_changed.connect(reindex_clip)
        catalog_changed.connect(reindex_org_clips)


def reindex_clip(sender: object = None, *, clip_id: int, org_id: int, **_: object) -> None:
    """Bring the clip's index row up to date (archived clips leave the index)."""
    statement = scoped(Clip, org_id).where(Clip.id == clip_id)
    indexing.refresh(KIND, indexing.D.ref_id == clip_id, _clips(statement))


def reindex_org_clips(sender: object = None, *, org_id: int, **_: object) -> None:
    """Item names show beside clips: refresh the organisation's clip rows."""
    indexing.refresh(KIND, indexing.D.org_id == org_id, _clips(scoped(Clip, org_id)))


register(ClipSource())
