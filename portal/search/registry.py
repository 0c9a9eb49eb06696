"""The one indexing interface: a registry of searchable sources.

A new searchable object needs one ``Source`` subclass, registered with ``register``: what it
is called, how to list all its documents (``flask search reindex``), who may see a row (an SQL
condition, so visibility is decided inside the search query), and where a hit links to. Its
signal listeners keep its rows current through ``portal.search.indexing.refresh`` (after a
committed change, its own commit) or ``sync`` (inside a change not committed yet).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement


@dataclass(frozen=True)
class Document:
    """What a source hands to the index for one searchable thing.

    ``title`` and ``body`` are indexed (the title weighs more) and shown; ``context`` is only
    shown (a recording's title beside a sentence). ``exact`` lists names that, typed in full,
    put the row first. ``at_ms`` is the moment a spoken line starts.
    """

    ref_id: int
    title: str
    body: str
    happened_at: datetime
    org_id: int | None = None
    part_id: int = 0
    recording_id: int | None = None
    context: str = ""
    at_ms: int | None = None
    exact: tuple[str, ...] = ()


@dataclass(frozen=True)
class Viewer:
    """Who is searching: decides which rows the query may return."""

    org_id: int | None = None
    is_staff: bool = False
    is_signed_in: bool = False

    @classmethod
    def of(cls, user: Any) -> Viewer:
        """Describe ``user`` (maybe anonymous)."""
        if not getattr(user, "is_authenticated", False):
            return cls()
        member = user.org_id if user.is_merchant else None
        return cls(org_id=member, is_staff=user.is_staff, is_signed_in=True)


@dataclass(frozen=True)
class Hit:
    """One row found, as a source needs it to build a link."""

    kind: str
    ref_id: int
    part_id: int
    org_id: int | None
    recording_id: int | None
    at_ms: int | None


@dataclass(frozen=True)
class Thumbnail:
    """A small picture beside a hit (an item's primary photo): where it is, its size, alt text."""

    url: str
    width: int
    height: int
    alt: str


class Source(ABC):
    """A kind of searchable thing."""

    kind: str
    order: int = 100
    # Rank hits by relevance (exact name, then full-text rank); False: newest first, which lets
    # the index stop after a page of hits (for very large kinds such as spoken sentences).
    ranked: bool = True
    # Non-staff viewers see only their own organisation's rows (lets the index narrow early).
    owner_only: bool = False
    # Name the kind inside the full-text query, so the index reads only this kind's rows; False
    # for a kind holding most of the index (spoken sentences), whose kind token would make the
    # index walk a posting list of nearly every row for nothing.
    narrow_by_kind: bool = True

    @property
    @abstractmethod
    def label(self) -> str:
        """The group heading shown above this kind's results."""

    @abstractmethod
    def documents(self) -> Iterable[Document]:
        """Yield every document of this kind (the full rebuild)."""

    @abstractmethod
    def visible(self, viewer: Viewer, doc: Any) -> ColumnElement[bool] | None:
        """Return the SQL condition on ``doc`` (the search_document table) for ``viewer``.

        None: this kind is never shown to ``viewer``.
        """

    def about_item(self, item_id: int, doc: Any) -> ColumnElement[bool] | None:
        """Return the SQL condition keeping rows about catalog item ``item_id`` (None: none)."""
        return None

    @abstractmethod
    def link(self, hit: Hit, viewer: Viewer) -> str | None:
        """Return where ``hit`` opens for ``viewer`` (None: no page to open)."""

    def thumbnail(self, hit: Hit, viewer: Viewer) -> Thumbnail | None:
        """Return the picture shown beside ``hit`` for ``viewer`` (None: no picture)."""
        return None

    @abstractmethod
    def connect(self) -> None:
        """Connect the signal listeners that keep this kind's rows current."""


_SOURCES: dict[str, Source] = {}


def register(source: Source) -> Source:
    """Add a source to the registry (once per kind)."""
    _SOURCES.setdefault(source.kind, source)
    return _SOURCES[source.kind]


def all_sources() -> list[Source]:
    """Return the registered sources in display order."""
    return sorted(_SOURCES.values(), key=lambda source: (source.order, source.kind))


def get_source(kind: str) -> Source | None:
    """Return the source of ``kind``, if registered."""
    return _SOURCES.get(kind)
