"""Transcript exports: SubRip, WebVTT, plain text and JSON, from timed sentences."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Protocol

from media.subtitle_files import srt_text, vtt_text


class TimedText(Protocol):
    """Anything with a start, an end (milliseconds) and text to show."""

    start_ms: int
    end_ms: int

    @property
    def shown_text(self) -> str:
        """The text to export."""
        ...


def to_srt(cues: Sequence[TimedText]) -> str:
    """Return SubRip text."""
    return srt_text(_timed(cues))


def to_vtt(cues: Sequence[TimedText]) -> str:
    """Return WebVTT text."""
    return vtt_text(_timed(cues))


def _timed(cues: Sequence[TimedText]) -> list[tuple[int, int, str]]:
    """Return the cues as (start ms, end ms, shown text)."""
    return [(c.start_ms, c.end_ms, c.shown_text) for c in cues]


def to_text(cues: Sequence[TimedText]) -> str:
    """Return one sentence per line."""
    return "".join(f"{c.shown_text}\n" for c in cues)


def to_json(cues: Sequence[TimedText], **header: object) -> str:
    """Return a JSON document with ``header`` fields and the timed sentences."""
    sentences = [
        {"start": c.start_ms / 1000, "end": c.end_ms / 1000, "text": c.shown_text} for c in cues
    ]
    return json.dumps({**header, "sentences": sentences}, ensure_ascii=False, indent=1)


EXPORTERS = {"srt": to_srt, "vtt": to_vtt, "txt": to_text}
MIME_TYPES = {
    "srt": "application/x-subrip",
    "vtt": "text/vtt",
    "txt": "text/plain",
    "json": "application/json",
}
