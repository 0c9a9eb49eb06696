"""Transcript models: a transcript per recording, its sentences, words and edit history.

Where each version of a sentence's text lives:

* ``Sentence.text``: what the pipeline wrote, with catalog names and glossary terms written
  as the catalog spells them (``NameCorrection``); the text subtitles and exports use unless
  the merchant edits it. ``Word`` rows carry the same spelling, so mentions are timed on it.
* ``Sentence.heard_text``: what the recogniser wrote, kept when a correction changed the
  sentence (None when nothing was corrected).
* ``NameCorrection``: each automatic correction, where it is in ``text`` and what was heard;
  undoing one puts the heard words back and is kept (``undone_at``), not deleted.
* ``Sentence.edited_text`` and ``SentenceEdit``: the merchant's own corrections and their
  history (an undone name correction is one of them).
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship

from portal.database import OrgOwned, TimestampMixin, UTCDateTime, utcnow
from portal.extensions import db
from portal.punctuation import tidy_punctuation


class RecordingRef(Protocol):
    """What transcripts read of the recording they belong to (``media.recordings`` sits above
    them and passes its ``Recording``)."""

    id: int
    org_id: int
    duration_s: float | None


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
    # Where the speech could not be recognised (no sentences there): a list of
    # {"start_ms", "end_ms", "reason"}, reason a ``media.transcription.quality.Reason``.
    unclear_ranges: Mapped[list[dict[str, object]]] = mapped_column(db.JSON, default=list)

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
    heard_text: Mapped[str | None] = mapped_column(Text)

    # The corrections in force (not undone), in text order, loaded with the sentences.
    corrections: Mapped[list[NameCorrection]] = relationship(
        primaryjoin="and_(NameCorrection.sentence_id == Sentence.id, "
        "NameCorrection.undone_at.is_(None))",
        order_by="NameCorrection.start_char",
        viewonly=True,
        lazy="selectin",
    )

    @property
    def shown_text(self) -> str:
        """The text to show and export: the correction if any, else what was recognised.

        Chinese gets its full-width punctuation here, not in ``text``: the offsets of name
        corrections point into ``text`` as recognised.
        """
        return tidy_punctuation(self.edited_text if self.edited_text is not None else self.text)

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


class NameCorrection(OrgOwned, db.Model):
    """A span of a sentence written as a catalog name or glossary term spells it.

    ``start_char``/``end_char`` locate ``written`` in ``Sentence.text`` (while not undone);
    ``heard`` is what the recogniser wrote there. ``word_start_ms``/``word_end_ms`` time the
    word that carries it. ``source`` is ``catalog`` or ``glossary``.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    sentence_id: Mapped[int] = mapped_column(
        ForeignKey("sentence.id", ondelete="CASCADE"), index=True
    )
    start_char: Mapped[int]
    end_char: Mapped[int]
    heard: Mapped[str] = mapped_column(String(200))
    written: Mapped[str] = mapped_column(String(200))
    term: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(20))
    word_start_ms: Mapped[int]
    word_end_ms: Mapped[int]
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
