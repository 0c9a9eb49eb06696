"""The transcript in pieces: the recording page loads a few minutes at a time, and finds words.

A piece is a fixed time range of ``PIECE_MS``; a sentence belongs to the piece its start falls
in (``start_ms <= sentence.start_ms < end_ms``), so pieces never share or lose a sentence. The
page opens with the piece at the asked time (and the next ones, up to ``FIRST_SENTENCES``); the
rest are placeholders that load as they scroll into view, when the player reaches them, or
when a jump or a found sentence needs them.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from flask_babel import gettext as _
from sqlalchemy import Select, func, select

from media.transcripts.models import RecordingRef, Sentence, Transcript
from portal.errors import ServiceError
from portal.extensions import db
from portal.organisations.scoping import scoped
from portal.templating import duration

PIECE_MS = 5 * 60 * 1000
FIRST_SENTENCES = 100  # the first paint holds pieces until this many sentences are in
MAX_PIECE_MS = 30 * 60 * 1000  # the longest range one request may ask for
MAX_HITS = 50


@dataclass(frozen=True)
class Piece:
    """A time range of the transcript; ``sentences`` is None until it is loaded."""

    start_ms: int
    end_ms: int
    count: int
    sentences: list[Sentence] | None = None

    @property
    def start_s(self) -> float:
        """Start in seconds (a whole number when it is one: it goes into URLs)."""
        return _seconds(self.start_ms)

    @property
    def end_s(self) -> float:
        """End in seconds."""
        return _seconds(self.end_ms)

    @property
    def dom_id(self) -> str:
        """The id of its element on the page."""
        return f"piece-{self.start_ms}"


def _seconds(ms: int) -> float:
    return ms // 1000 if ms % 1000 == 0 else ms / 1000


@dataclass(frozen=True)
class Hit:
    """A sentence that contains the query, its text split around the first match."""

    sentence: Sentence
    before: str
    match: str
    after: str


@dataclass(frozen=True)
class Found:
    """The first ``MAX_HITS`` sentences that contain the query, and how many do."""

    query: str
    hits: list[Hit]
    total: int


def _in_transcript(transcript: Transcript) -> Select[tuple[Sentence]]:
    return scoped(Sentence, transcript.org_id).where(Sentence.transcript_id == transcript.id)


def list_pieces(transcript: Transcript) -> list[Piece]:
    """Return the transcript's pieces that hold sentences, in time order, none loaded."""
    index = (Sentence.start_ms // PIECE_MS).label("piece")
    statement = (
        _in_transcript(transcript)
        .with_only_columns(index, func.count())
        .group_by(index)
        .order_by(index)
    )
    return [
        Piece(start_ms=n * PIECE_MS, end_ms=(n + 1) * PIECE_MS, count=count)
        for n, count in db.session.execute(statement)
    ]


def load_sentences(transcript: Transcript, start_ms: int, end_ms: int) -> list[Sentence]:
    """Return the sentences that start in ``start_ms``–``end_ms`` (end excluded), in order."""
    statement = (
        _in_transcript(transcript)
        .where(Sentence.start_ms >= start_ms, Sentence.start_ms < end_ms)
        .order_by(Sentence.start_ms, Sentence.position)
    )
    return list(db.session.scalars(statement))


def load_piece(transcript: Transcript, start_s: float, end_s: float) -> Piece:
    """Load the piece ``start_s``–``end_s``; a range that is not one raises ``ServiceError``."""
    finite = math.isfinite(start_s) and math.isfinite(end_s)
    if not finite or not 0 <= start_s < end_s or (end_s - start_s) * 1000 > MAX_PIECE_MS:
        raise ServiceError(_("That part of the transcript does not exist."))
    start_ms, end_ms = round(start_s * 1000), round(end_s * 1000)
    sentences = load_sentences(transcript, start_ms, end_ms)
    return Piece(start_ms=start_ms, end_ms=end_ms, count=len(sentences), sentences=sentences)


def open_pieces(transcript: Transcript, at_s: float = 0.0) -> list[Piece]:
    """Return every piece, those from the one at ``at_s`` on loaded up to ``FIRST_SENTENCES``.

    Before the first piece or after the last, the nearest piece is the one opened.
    """
    pieces = list_pieces(transcript)
    if not pieces:
        return []
    at_ms = round(at_s * 1000) if math.isfinite(at_s) else 0
    first = next((n for n, p in enumerate(pieces) if p.end_ms > at_ms), len(pieces) - 1)
    last, total = first, pieces[first].count
    while total < FIRST_SENTENCES and last + 1 < len(pieces):
        last += 1
        total += pieces[last].count
    sentences = load_sentences(transcript, pieces[first].start_ms, pieces[last].end_ms)
    for n in range(first, last + 1):
        start, end = pieces[n].start_ms, pieces[n].end_ms
        inside = [s for s in sentences if start <= s.start_ms < end]
        pieces[n] = replace(pieces[n], sentences=inside)
    return pieces


def check_time(recording: RecordingRef, transcript: Transcript, at_s: float) -> None:
    """Refuse a time beyond the end of the recording (``ServiceError`` on the field ``at``)."""
    length_s = recording.duration_s or transcript.duration_s
    if length_s and at_s > length_s:
        raise ServiceError(
            _("The recording is only %(length)s long.", length=duration(length_s)), field="at"
        )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _hit(sentence: Sentence, query: str) -> Hit:
    text = sentence.shown_text
    found = re.search(re.escape(query), text, re.IGNORECASE)
    if found is None:  # the database matched case another way; show the sentence whole
        return Hit(sentence, text, "", "")
    start, end = found.span()
    return Hit(sentence, text[:start], text[start:end], text[end:])


def find_sentences(transcript: Transcript, query: str) -> Found:
    """Find the sentences whose shown text contains ``query`` (any case, ``%`` and ``_`` too)."""
    shown = func.coalesce(Sentence.edited_text, Sentence.text)
    matching = _in_transcript(transcript).where(
        shown.ilike(f"%{_escape_like(query)}%", escape="\\")
    )
    total = db.session.scalar(select(func.count()).select_from(matching.subquery())) or 0
    first = db.session.scalars(
        matching.order_by(Sentence.start_ms, Sentence.position).limit(MAX_HITS)
    )
    return Found(query=query, hits=[_hit(s, query) for s in first], total=total)
