"""Machine-readable documents of suggestions and clips (the JSON API and the CLI)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from media.clips.discovery import suggestion_items
from media.clips.kept_text import kept_lines
from media.clips.models import Clip, Suggestion
from media.clips.ranges import total_ms
from media.clips.rendering import latest_ready_version
from portal.catalog.models import Item


def _seconds(ms: int) -> float:
    return round(ms / 1000, 3)


def suggestions_document(
    recording_id: int,
    suggestions: list[Suggestion],
    stream: Sequence[tuple[int | None, Item]] = (),
) -> dict[str, Any]:
    """The suggestions of one recording: main SKU, all SKUs, times, score, mentions.

    ``items`` lists every item of a suggestion (main first) with the seconds it is mentioned
    inside the suggestion: a comparison of two items is one suggestion with both. ``stream`` is
    the recording's item list (``stream_links``): each item says whether it is on it (``None``
    when the recording has no list).
    """
    linked = suggestion_items(suggestions)
    listed = {item.id for _, item in stream} if stream else None
    return {
        "recording": recording_id,
        "stream_items": [
            {"link": number, "sku": item.sku, "name": item.name} for number, item in stream
        ],
        "suggestions": [
            {
                "sku": s.main_item.sku,
                "skus": [link.item.sku for link in s.links],
                "item": s.main_item.name,
                "start": _seconds(s.start_ms),
                "end": _seconds(s.end_ms),
                "score": round(s.score, 4),
                "mentions": s.mention_count,
                "items": [
                    {
                        "sku": entry.item.sku,
                        "name": entry.item.name,
                        "mentions": [round(t, 3) for t in entry.times_s],
                        "on_list": None if listed is None else entry.item.id in listed,
                    }
                    for entry in linked[s.id]
                ],
            }
            for s in suggestions
        ],
    }


def clip_document(clip: Clip) -> dict[str, Any]:
    """One clip: items with SKUs, its kept ranges, its subtitles, and its newest rendered version.

    ``ranges`` are the stretches of the recording the clip plays one after another (seconds
    into the recording); ``start`` and ``end`` are their bounds. Subtitles are timed into the
    clip and say only the words kept (a cut filler word is not in them).
    """
    version = latest_ready_version(clip)
    return {
        "clip": clip.id,
        "recording": clip.recording_id,
        "title": clip.title,
        "description": clip.description,
        "state": str(clip.state),
        "items": [{"sku": item.sku, "name": item.name} for item in clip.items],
        "start": _seconds(clip.start_ms),
        "end": _seconds(clip.end_ms),
        "ranges": [{"start": _seconds(a), "end": _seconds(b)} for a, b in clip.kept],
        "duration": _seconds(total_ms(clip.kept)),
        "subtitles": [
            {
                "start": _seconds(line.start_ms),
                "end": _seconds(line.end_ms),
                "text": line.text,
                "hidden": line.cue.is_hidden,
            }
            for line in kept_lines(clip)
        ],
        "version": None
        if version is None
        else {
            "number": version.number,
            "profile": str(version.profile),
            "width": version.width,
            "height": version.height,
            "duration": version.duration_s,
        },
    }
