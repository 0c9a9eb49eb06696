"""Spoken sentences of merchants' recordings (merchant-owned; a hit opens the player there).

Course videos belong to the base's own organisation; their sentences are indexed as lessons.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, exists, select, true

from courses.videos import BASE_ORG_SLUG
from media.clips.models import Mention
from media.recordings.models import Recording
from media.transcripts.models import Sentence, Transcript
from media.transcripts.signals import transcript_deleted, transcript_edited, transcript_saved
from portal.organisations.services import get_org_by_slug
from portal.search import indexing
from portal.search.registry import Document, Hit, Source, Viewer, register

KIND = "sentence"


def seconds(at_ms: int | None) -> int:
    """The whole second a spoken moment starts at (the player starts just before the words)."""
    return (at_ms or 0) // 1000


def _sentences() -> Select[Any]:
    statement = (
        select(
            Sentence.id,
            Sentence.org_id,
            Sentence.text,
            Sentence.edited_text,
            Sentence.start_ms,
            Transcript.recording_id,
            Recording.title,
            Recording.created_at,
        )
        .join(Transcript, Transcript.id == Sentence.transcript_id)
        .join(Recording, Recording.id == Transcript.recording_id)
    )
    base = get_org_by_slug(BASE_ORG_SLUG)
    return statement.where(Recording.org_id != base.id) if base else statement


def _documents(statement: Select[Any]) -> Iterator[Document]:
    for row in indexing.batched(statement, Sentence.id):
        yield Document(
            ref_id=row.id,
            org_id=row.org_id,
            recording_id=row.recording_id,
            title="",
            body=row.edited_text if row.edited_text is not None else row.text,
            context=row.title,
            at_ms=row.start_ms,
            happened_at=row.created_at,
        )


class TranscriptSource(Source):
    """Sentences of stream recordings."""

    kind = KIND
    order = 30
    ranked = False
    owner_only = True
    narrow_by_kind = False

    @property
    def label(self) -> str:
        """Group heading."""
        return str(_l("Spoken moments"))

    def documents(self) -> Iterator[Document]:
        """Every sentence of every merchant recording."""
        return _documents(_sentences())

    def visible(self, viewer: Viewer, doc: Any) -> ColumnElement[bool] | None:
        """Staff: all; a merchant: their own; nobody else."""
        if viewer.is_staff:
            return true()
        if viewer.org_id is not None:
            return doc.org_id == viewer.org_id
        return None

    def about_item(self, item_id: int, doc: Any) -> ColumnElement[bool] | None:
        """Sentences where the item was found mentioned."""
        return exists(
            select(Mention.id)
            .join(Sentence, Sentence.position == Mention.sentence_position)
            .where(
                Sentence.id == doc.ref_id,
                Mention.recording_id == doc.recording_id,
                Mention.item_id == item_id,
            )
        )

    def link(self, hit: Hit, viewer: Viewer) -> str | None:
        """The recording page, playing from the moment (its merchant only)."""
        if viewer.org_id is None or viewer.org_id != hit.org_id:
            return None
        return url_for("recordings.detail", recording_id=hit.recording_id, t=seconds(hit.at_ms))

    def connect(self) -> None:
        """Re-index a recording's sentences when its transcript is stored, corrected or deleted."""
        transcript_saved.connect(reindex_recording)
        transcript_edited.connect(reindex_recording)
        transcript_deleted.connect(unindex_recording)


def reindex_recording(sender: object = None, *, recording_id: int, **_: object) -> None:
    """Bring the index rows of the recording's sentences up to date (its own commit)."""
    statement = _sentences().where(Transcript.recording_id == recording_id)
    indexing.refresh(KIND, indexing.D.recording_id == recording_id, _documents(statement))


def unindex_recording(sender: object = None, *, recording_id: int, **_: object) -> None:
    """Drop the rows of a transcript being deleted, in the unit of work that deletes it."""
    statement = _sentences().where(Transcript.recording_id == recording_id)
    indexing.sync(KIND, indexing.D.recording_id == recording_id, _documents(statement))


register(TranscriptSource())
