"""Transcript exports: SubRip, WebVTT, plain text and JSON, from timed sentences."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from typing import Protocol


class TimedText(Protocol):
    """Anything with a start, an end (milliseconds) and text to show."""

    start_ms: int
    end_ms: int

    @property
    def shown_text(self) -> str:
        """The text to export."""
        ...


def _timestamp(ms: int, separator: str) -> str:
    ms = max(ms, 0)
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"


def to_srt(cues: Sequence[TimedText]) -> str:
    """Return SubRip text."""
    blocks = [
        f"{n}\n{_timestamp(c.start_ms, ',')} --> {_timestamp(c.end_ms, ',')}\n{c.shown_text}\n"
        for n, c in enumerate(cues, start=1)
    ]
    return "\n".join(blocks)


def _vtt_cue_text(text: str) -> str:
    # WebVTT cue text may not contain "-->", and "&" and "<" start entities and tags.
    return html.escape(text.replace("-->", "→"), quote=False)


def to_vtt(cues: Sequence[TimedText]) -> str:
    """Return WebVTT text."""
    blocks = [
        f"{_timestamp(c.start_ms, '.')} --> {_timestamp(c.end_ms, '.')}\n"
        f"{_vtt_cue_text(c.shown_text)}\n"
        for c in cues
    ]
    return "WEBVTT\n\n" + "\n".join(blocks)


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
