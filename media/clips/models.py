"""Clip workshop models: mentions, suggestions, clips, their subtitles and rendered versions."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Float, ForeignKey, Index, String, Text
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from media.clips.ranges import Range, output_span, total_ms
from portal.catalog.models import Item
from portal.database import OrgOwned, TimestampMixin, UTCDateTime
from portal.extensions import db
from portal.organisations.models import Organisation


class Mention(OrgOwned, db.Model):
    """A place in a recording's transcript where a catalog item is named."""

    __table_args__ = (Index("ix_mention_recording_item", "recording_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recording_id: Mapped[int] = mapped_column(ForeignKey("recording.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id", ondelete="CASCADE"), index=True)
    sentence_position: Mapped[int]
    start_ms: Mapped[int]
    end_ms: Mapped[int]
    matched_text: Mapped[str] = mapped_column(String(200))
    term: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10))


class Suggestion(OrgOwned, db.Model):
    """A proposed clip: a sentence-aligned stretch where items are discussed densely."""

    id: Mapped[int] = mapped_column(primary_key=True)
    recording_id: Mapped[int] = mapped_column(
        ForeignKey("recording.id", ondelete="CASCADE"), index=True
    )
    main_item_id: Mapped[int] = mapped_column(ForeignKey("item.id", ondelete="CASCADE"), index=True)
    first_sentence: Mapped[int]
    last_sentence: Mapped[int]
    start_ms: Mapped[int]
    end_ms: Mapped[int]
    score: Mapped[float] = mapped_column(Float)
    mention_count: Mapped[int]
    # The proposed clip title: the item's name and the key facts said (media.mentions.titles).
    title: Mapped[str] = mapped_column(String(200), default="", server_default="")

    links: Mapped[list[SuggestionItem]] = relationship(
        order_by="SuggestionItem.position", cascade="all, delete-orphan", passive_deletes=True
    )
    main_item: Mapped[Item] = relationship()


class SuggestionItem(db.Model):
    """An item a suggestion is about (the main one first)."""

    suggestion_id: Mapped[int] = mapped_column(
        ForeignKey("suggestion.id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[int] = mapped_column(
        ForeignKey("item.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(default=0)

    item: Mapped[Item] = relationship()


class ClipState(StrEnum):
    """Where a clip is in its life.

    "Rendering" is not a stored state: a clip is rendering while its newest render job runs.
    """

    DRAFT = "draft"
    READY = "ready"
    IN_REVIEW = "in_review"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    PUBLISHED = "published"
    REJECTED = "rejected"
    ARCHIVED = "archived"


class Clip(OrgOwned, TimestampMixin, db.Model):
    """A short video cut from a recording, about one or more catalog items."""

    id: Mapped[int] = mapped_column(primary_key=True)
    recording_id: Mapped[int] = mapped_column(
        ForeignKey("recording.id", ondelete="CASCADE"), index=True
    )
    suggestion_id: Mapped[int | None] = mapped_column(
        ForeignKey("suggestion.id", ondelete="SET NULL")
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    updated_by_id: Mapped[int | None]  # no foreign key: see review_version_id
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    start_ms: Mapped[int]  # the first kept range's start (``ranges`` holds what is kept)
    end_ms: Mapped[int]  # the last kept range's end
    # The earlier lists of kept ranges, oldest first: undo restores the last one.
    range_history: Mapped[list[list[list[int]]]] = mapped_column(db.JSON, default=list)
    state: Mapped[ClipState] = mapped_column(String(20), default=ClipState.DRAFT, index=True)
    key_facts: Mapped[list[str]] = mapped_column(db.JSON, default=list)  # subtitle lines
    # The version the review state is about: submitted, approved, and published when published.
    # No foreign key: SQLite adds one only by rebuilding this table, and dropping the old table
    # would cascade-delete the clip's cues and items. Versions are deleted only with their clip.
    review_version_id: Mapped[int | None]
    # A text change (title, description, key_facts) made after approval, not yet submitted.
    pending_text: Mapped[dict[str, object] | None] = mapped_column(db.JSON)
    # How renders are styled (media.clips.styling): the subtitle template (None: the
    # organisation's), the hook line of the first seconds (None: the title), the product card.
    subtitle_template: Mapped[str | None] = mapped_column(String(20))
    hook_text: Mapped[str | None] = mapped_column(String(200))
    show_card: Mapped[bool] = mapped_column(default=True, server_default=sa_true())

    links: Mapped[list[ClipItem]] = relationship(
        order_by="ClipItem.position", cascade="all, delete-orphan", passive_deletes=True
    )
    org: Mapped[Organisation] = relationship()
    cues: Mapped[list[ClipCue]] = relationship(
        order_by="ClipCue.start_ms", cascade="all, delete-orphan", passive_deletes=True
    )
    ranges: Mapped[list[ClipRange]] = relationship(
        order_by="ClipRange.position", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def kept(self) -> list[Range]:
        """The kept ranges of the recording, in order (one: the in and out, if none stored)."""
        return [(r.start_ms, r.end_ms) for r in self.ranges] or [(self.start_ms, self.end_ms)]

    def keeps(self, start_ms: int, end_ms: int) -> bool:
        """Tell whether any of a recording stretch (a subtitle line's) is kept in the clip."""
        return output_span(self.kept, start_ms, end_ms) is not None

    @property
    def duration_s(self) -> float:
        """Length of the kept ranges one after another, in seconds."""
        return total_ms(self.kept) / 1000

    @property
    def items(self) -> list[Item]:
        """The linked catalog items, the main one first."""
        return [link.item for link in self.links]


class ClipItem(db.Model):
    """A catalog item a clip is about."""

    clip_id: Mapped[int] = mapped_column(
        ForeignKey("clip.id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[int] = mapped_column(
        ForeignKey("item.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(default=0)

    item: Mapped[Item] = relationship()


class ClipRange(db.Model):
    """One kept range of a clip's recording; the clip plays its ranges in ``position`` order."""

    id: Mapped[int] = mapped_column(primary_key=True)
    clip_id: Mapped[int] = mapped_column(ForeignKey("clip.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    start_ms: Mapped[int]
    end_ms: Mapped[int]


class ClipCue(db.Model):
    """One subtitle line of a clip: a transcript sentence, its edited text, maybe hidden."""

    id: Mapped[int] = mapped_column(primary_key=True)
    clip_id: Mapped[int] = mapped_column(ForeignKey("clip.id", ondelete="CASCADE"), index=True)
    sentence_position: Mapped[int]
    start_ms: Mapped[int]
    end_ms: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    is_hidden: Mapped[bool] = mapped_column(default=False)


class RenderProfile(StrEnum):
    """The shapes a clip can be rendered in."""

    VERTICAL = "vertical"
    ORIGINAL = "original"
    SQUARE = "square"


class ClipVersion(OrgOwned, db.Model):
    """One render of a clip and everything published with it; versions never change.

    Besides the files and the burned-in ``cues`` (seconds into the clip, shown lines only), a
    version keeps what the trainer reviews and the public sees: the title, description, key
    facts, linked items and their card facts as they were when it was made, and ``spoken``, the
    transcript of its ranges (seconds into the clip, ``heard`` is the recogniser's text when it
    was corrected). ``ranges`` are the kept ranges of the recording it was rendered from.
    """

    __table_args__ = (Index("ix_clip_version_clip_number", "clip_id", "number", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clip_id: Mapped[int] = mapped_column(ForeignKey("clip.id", ondelete="CASCADE"))
    number: Mapped[int]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    profile: Mapped[RenderProfile] = mapped_column(String(16))
    fill: Mapped[str] = mapped_column(String(8), default="blur")
    burn_subtitles: Mapped[bool] = mapped_column(default=True)
    start_ms: Mapped[int]
    end_ms: Mapped[int]
    ranges: Mapped[list[list[int]]] = mapped_column(db.JSON, default=list)  # [start_ms, end_ms]
    poster_at_s: Mapped[float] = mapped_column(Float, default=0.0)
    cues: Mapped[list[dict[str, object]]] = mapped_column(db.JSON, default=list)
    spoken: Mapped[list[dict[str, object]]] = mapped_column(db.JSON, default=list)
    title: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    key_facts: Mapped[list[str]] = mapped_column(db.JSON, default=list)
    item_ids: Mapped[list[int]] = mapped_column(db.JSON, default=list)  # the main item first
    # What the card, the post's hashtags and the public library show of each item, in order
    # (rendering.item_facts: also its aliases, category id and photos, pinned by id and stem).
    item_facts: Mapped[list[dict[str, object]]] = mapped_column(db.JSON, default=list)
    # The live account that streamed the recording, as the public clip page names it
    # (rendering.live_account_facts: platform and name); None: none said, or unknown (older).
    live_account: Mapped[dict[str, str] | None] = mapped_column(db.JSON)
    stored_stem: Mapped[str] = mapped_column(String(64))
    is_ready: Mapped[bool] = mapped_column(default=False)
    duration_s: Mapped[float] = mapped_column(Float, default=0.0)
    width: Mapped[int] = mapped_column(default=0)
    height: Mapped[int] = mapped_column(default=0)
    loudness_lufs: Mapped[float | None] = mapped_column(Float)
    # What the render drew over the picture (media.clips.styling.version_style); None: older.
    style: Mapped[dict[str, object] | None] = mapped_column(db.JSON)
