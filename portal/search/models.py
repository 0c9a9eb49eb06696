"""Search index rows: one document per searchable thing, and the vocabulary of its tokens.

The full-text machinery lives beside these tables, outside the ORM (see ``portal.search.schema``):
on SQLite an FTS5 table kept in step with ``search_document`` by triggers, on PostgreSQL a stored
``tsvector`` column with a GIN index. Both read the same pre-computed ``*_tokens`` columns.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.database import UTCDateTime
from portal.extensions import db


class SearchDocument(db.Model):
    """One searchable thing (an item, a spoken sentence, a clip, a lesson or a lesson line).

    ``org_id`` is the owning organisation (None: the base's own, e.g. courses); who may see a
    row is decided in the search query by the row's source. ``title``/``body``/``context`` are
    what the result shows; ``*_tokens`` are what the full-text index reads.
    """

    __table_args__ = (
        UniqueConstraint("kind", "ref_id", "part_id", name="uq_search_document_kind_ref"),
        Index("ix_search_document_kind_org", "kind", "org_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    ref_id: Mapped[int]
    part_id: Mapped[int] = mapped_column(default=0)
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    recording_id: Mapped[int | None] = mapped_column(
        ForeignKey("recording.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    context: Mapped[str] = mapped_column(String(300), default="")
    at_ms: Mapped[int | None]
    happened_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    exact_keys: Mapped[str] = mapped_column(Text, default="")
    title_tokens: Mapped[str] = mapped_column(Text, default="")
    body_tokens: Mapped[str] = mapped_column(Text, default="")


class SearchTerm(db.Model):
    """A token of the index (a Chinese word, pinyin, an English stem) and how many rows hold it.

    Used to correct typos and to suggest close terms; ``pinyin`` is set for Chinese words.
    """

    term: Mapped[str] = mapped_column(String(100), primary_key=True)
    pinyin: Mapped[str] = mapped_column(String(200), default="", index=True)
    doc_count: Mapped[int] = mapped_column(default=0)
