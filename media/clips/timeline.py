"""The editor's timeline under the player: the recording around the clip, its kept ranges.

It shows a stretch of the recording a little wider than the clip: the loudness the
transcription job stored (``media.recordings.overview``, never computed per request), each kept
range as a block with a handle at either edge, and the review comments on the clip's current
version as markers at the recording times they point at. The handles snap to the word
boundaries listed here (starts for a range's start, ends for its end); the server snaps again
when an edge is saved (``cutting.move_edge``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from media.clips import ranges
from media.clips.models import Clip, ClipVersion
from media.clips.presenters import LOUD_DB, STRIP_HEIGHT, TIMELINE_WIDTH
from media.recordings.models import Recording
from media.recordings.overview import FLOOR_DB, load_overview
from media.recordings.services import source_path
from media.transcripts.models import Word
from media.transcripts.services import get_transcript, words_between
from portal.comments.models import Comment

MIN_MARGIN_MS = 5000  # shown either side of the clip, at least
MARGIN_SHARE = 0.2  # of the clip's span, either side, when that is more


@dataclass(frozen=True)
class Handle:
    """One edge of a kept range: where it is and how far a drag may take it."""

    index: int
    edge: str
    at_ms: int
    min_ms: int
    max_ms: int


@dataclass(frozen=True)
class Marker:
    """A review comment at the recording time it points at."""

    at_ms: int
    clip_s: float  # the comment's own time, in the rendered version
    body: str


@dataclass(frozen=True)
class ClipTimeline:
    """What ``clips/_edit_timeline.html`` draws (times in ms of the recording)."""

    start_ms: int
    end_ms: int
    kept: list[ranges.Range]
    handles: list[Handle]
    markers: list[Marker]
    word_starts: list[int]
    word_ends: list[int]
    loudness_points: str  # an SVG polygon in a TIMELINE_WIDTH × STRIP_HEIGHT box; "" if none
    width: int = TIMELINE_WIDTH
    height: int = STRIP_HEIGHT


def shown_span(clip: Clip, duration_ms: int) -> ranges.Range:
    """The stretch of the recording the timeline shows: the clip and a margin either side.

    The recording's length (``duration_ms``, 0 when unknown) only shortens the margin: the clip
    itself is always shown whole, even where a probe found the recording shorter.
    """
    margin = max(MIN_MARGIN_MS, round((clip.end_ms - clip.start_ms) * MARGIN_SHARE))
    end_ms = clip.end_ms + margin
    if duration_ms:
        end_ms = max(clip.end_ms, min(duration_ms, end_ms))
    return max(0, clip.start_ms - margin), end_ms


def handles_of(kept: Sequence[ranges.Range], span: ranges.Range) -> list[Handle]:
    """Both edges of every kept range, each free to move up to its neighbours."""
    gap = ranges.MIN_RANGE_MS
    found = []
    for n, (start, end) in enumerate(kept):
        low = kept[n - 1][1] + 1 if n else span[0]
        high = kept[n + 1][0] - 1 if n + 1 < len(kept) else span[1]
        found.append(Handle(n, "start", start, low, end - gap))
        found.append(Handle(n, "end", end, start + gap, high))
    return found


def markers_of(
    comments: Sequence[Comment], version: ClipVersion | None, span: ranges.Range
) -> list[Marker]:
    """The comments on ``version`` placed on the recording through its kept ranges."""
    if version is None or not version.ranges:
        return []
    kept = [(int(a), int(b)) for a, b in version.ranges]
    found = []
    for comment in comments:
        at_ms = ranges.recording_time(kept, round(comment.at_s * 1000))
        if comment.version_id == version.id and at_ms is not None and span[0] <= at_ms <= span[1]:
            found.append(Marker(at_ms, comment.at_s, comment.body))
    return found


def loudness_points(recording: Recording, span: ranges.Range) -> str:
    """The stored loudness of the span as an SVG polygon (high where loud); "" without one."""
    overview = load_overview(source_path(recording))
    if overview is None or span[1] <= span[0]:
        return ""
    window_ms = overview.window_s * 1000
    scale = TIMELINE_WIDTH / (span[1] - span[0])
    points = [f"0,{STRIP_HEIGHT}"]
    for n, level in enumerate(overview.levels_db):
        middle_ms = (n + 0.5) * window_ms
        if span[0] - window_ms <= middle_ms <= span[1] + window_ms:
            x = min(max((middle_ms - span[0]) * scale, 0), TIMELINE_WIDTH)
            share = (min(level, LOUD_DB) - FLOOR_DB) / (LOUD_DB - FLOOR_DB)
            points.append(f"{x:.1f},{STRIP_HEIGHT * (1 - share):.1f}")
    points.append(f"{TIMELINE_WIDTH},{STRIP_HEIGHT}")
    return " ".join(points)


def build_timeline(
    clip: Clip,
    recording: Recording,
    comments: Sequence[Comment],
    version: ClipVersion | None,
    words: Sequence[Word] | None = None,
) -> ClipTimeline:
    """Gather the timeline of ``clip`` (``comments`` on ``version``, the clip's current one;
    ``words``: those said in its ``shown_span``, if loaded)."""
    span = shown_span(clip, round((recording.duration_s or 0) * 1000))
    if words is None:
        transcript = get_transcript(recording)
        words = words_between(transcript, *span) if transcript else []
    return ClipTimeline(
        start_ms=span[0],
        end_ms=span[1],
        kept=clip.kept,
        handles=handles_of(clip.kept, span),
        markers=markers_of(comments, version, span),
        word_starts=[w.start_ms for w in words],
        word_ends=[w.end_ms for w in words],
        loudness_points=loudness_points(recording, span),
    )
