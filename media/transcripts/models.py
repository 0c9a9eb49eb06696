"""Transcript models: a transcript per recording, its sentences, words and edit history."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship

from portal.database import OrgOwned, TimestampMixin, UTCDateTime, utcnow
from portal.extensions import db


class Transcript(OrgOwned, TimestampMixin, db.Model):
    """The recognised speech of one recording, and what the recogniser was told."""

    id: Mapped[int] = mapped_column(primary_key=True)
    recording_id: Mapped[int] = mapped_column(
        ForeignKey("recording.id", ondelete="CASCADE"), unique=True
    )
    language: Mapped[str] = mapped_column(String(8))
    model_name: Mapped[str] = mapped_column(String(200))
    duration_s: Mapped[float] = mapped_column(default=0.0)
    hotwords: Mapped[str] = mapped_column(Text, default="")
    prompt: Mapped[str] = mapped_column(Text, default="")

    sentences: Mapped[list[Sentence]] = relationship(
        order_by="Sentence.position", cascade="all, delete-orphan", passive_deletes=True
    )
    words: WriteOnlyMapped[Word] = relationship(cascade="all, delete-orphan", passive_deletes=True)


class Sentence(OrgOwned, db.Model):
    """One sentence with its times; ``edited_text`` holds the merchant's correction."""

    __table_args__ = (Index("ix_sentence_transcript_position", "transcript_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    transcript_id: Mapped[int] = mapped_column(ForeignKey("transcript.id", ondelete="CASCADE"))
    position: Mapped[int]
    start_ms: Mapped[int]
    end_ms: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    edited_text: Mapped[str | None] = mapped_column(Text)

    @property
    def shown_text(self) -> str:
        """The text to show and export: the correction if any, else what was recognised."""
        return self.edited_text if self.edited_text is not None else self.text

    @property
    def start_s(self) -> float:
        """Start in seconds."""
        return self.start_ms / 1000

    @property
    def end_s(self) -> float:
        """End in seconds."""
        return self.end_ms / 1000


class Word(db.Model):
    """One recognised word (a character or two in Chinese) with its time."""

    __table_args__ = (Index("ix_word_transcript_start", "transcript_id", "start_ms"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    transcript_id: Mapped[int] = mapped_column(ForeignKey("transcript.id", ondelete="CASCADE"))
    sentence_position: Mapped[int]
    start_ms: Mapped[int]
    end_ms: Mapped[int]
    text: Mapped[str] = mapped_column(String(100))
    probability: Mapped[float] = mapped_column(default=0.0)


class SentenceEdit(db.Model):
    """History: who changed a sentence's text, from what, to what."""

    id: Mapped[int] = mapped_column(primary_key=True)
    sentence_id: Mapped[int] = mapped_column(
        ForeignKey("sentence.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    old_text: Mapped[str] = mapped_column(Text)
    new_text: Mapped[str] = mapped_column(Text)
