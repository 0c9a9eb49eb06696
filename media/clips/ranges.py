"""Range arithmetic of a clip cut by text: the kept ranges of a recording, in order.

A clip keeps an ordered list of ranges ``(start_ms, end_ms)`` of its recording: sorted,
non-overlapping, none shorter than ``MIN_RANGE_MS``. Deleting a sentence, a filler word or the
middle of a pause removes a stretch (splitting a range); the output plays the ranges one after
another, so a recording time inside a range has an output time (``output_span``). Every edit
pushes the list it replaced on a short history, and undo pops it back. Pure functions, no
database.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

Range = tuple[int, int]

MIN_RANGE_MS = 100  # shorter pieces left by a cut are dropped (less than a syllable)
HISTORY_LENGTH = 50  # undo steps kept per clip
PAUSE_KEEP_MS = 300  # what "shorten pauses" leaves of each long pause
FILLERS = frozenset({"嗯", "啊", "呃", "额", "那个", "um", "uh", "umm", "uhm", "erm"})
_PUNCTUATION = " \t,.!?;:，。！？；：、…\"'“”‘’"


def normalised(ranges: Iterable[Sequence[int]], bounds: Range) -> list[Range]:
    """Return ``ranges`` inside ``bounds``, sorted, overlapping ones merged, tiny ones dropped."""
    low, high = bounds
    clipped = sorted((max(low, int(a)), min(high, int(b))) for a, b in ranges)
    merged: list[Range] = []
    for start, end in clipped:
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return [(a, b) for a, b in merged if b - a >= MIN_RANGE_MS]


def cut(ranges: Sequence[Range], start_ms: int, end_ms: int) -> list[Range]:
    """Remove ``start_ms``–``end_ms`` from ``ranges`` (a range around it is split in two)."""
    kept: list[Range] = []
    for a, b in ranges:
        if end_ms <= a or start_ms >= b:
            kept.append((a, b))
            continue
        kept.extend(piece for piece in ((a, start_ms), (end_ms, b)) if piece[1] > piece[0])
    return [(a, b) for a, b in kept if b - a >= MIN_RANGE_MS]


def cut_all(ranges: Sequence[Range], stretches: Iterable[Range]) -> list[Range]:
    """Remove every stretch in ``stretches`` from ``ranges``."""
    for start, end in stretches:
        ranges = cut(ranges, start, end)
    return list(ranges)


def with_bounds(ranges: Sequence[Range], start_ms: int, end_ms: int) -> list[Range]:
    """Move the first range's start to ``start_ms`` and the last one's end to ``end_ms``.

    The cuts between them stay; ranges outside the new bounds go.
    """
    inside = [(max(a, start_ms), min(b, end_ms)) for a, b in ranges if a < end_ms and b > start_ms]
    kept = inside or [(start_ms, end_ms)]
    kept[0] = (start_ms, kept[0][1])
    kept[-1] = (kept[-1][0], end_ms)
    return normalised(kept, (start_ms, end_ms))


def with_edge(ranges: Sequence[Range], index: int, edge: str, at_ms: int) -> list[Range]:
    """``ranges`` with the start (``edge`` "start") or end of range ``index`` moved to ``at_ms``.

    Nothing is merged or dropped: the caller checks that the result is still in order.
    """
    moved = list(ranges)
    start, end = moved[index]
    moved[index] = (at_ms, end) if edge == "start" else (start, at_ms)
    return moved


def nearest(times: Iterable[int], at_ms: int) -> int:
    """The time among ``times`` nearest to ``at_ms`` (``at_ms`` itself when there is none)."""
    return min(times, key=lambda t: (abs(t - at_ms), t), default=at_ms)


def recording_time(ranges: Sequence[Range], output_ms: int) -> int | None:
    """Map a time of the output (the ranges played one after another) back to the recording.

    The inverse of ``output_span``; ``None`` past the end of the output.
    """
    offset = 0
    for a, b in ranges:
        if output_ms <= offset + b - a:
            return a + max(0, output_ms - offset)
        offset += b - a
    return None


def total_ms(ranges: Sequence[Range]) -> int:
    """The output's length: the kept ranges one after another."""
    return sum(b - a for a, b in ranges)


def bounds_of(ranges: Sequence[Range]) -> Range:
    """The first range's start and the last one's end."""
    return ranges[0][0], ranges[-1][1]


def output_span(ranges: Sequence[Range], start_ms: int, end_ms: int) -> Range | None:
    """Map a recording stretch to the output timeline, or ``None`` when all of it is cut.

    The span runs from the output time of its first kept moment to that of its last, so a line
    with a word cut from its middle stays one line, a little shorter.
    """
    offset, first, last = 0, None, None
    for a, b in ranges:
        low, high = max(a, start_ms), min(b, end_ms)
        if low < high:
            first = offset + low - a if first is None else first
            last = offset + high - a
        offset += b - a
    return None if first is None or last is None else (first, last)


def long_pauses(words: Sequence[Range], longer_than_ms: int) -> list[Range]:
    """The middles of the silences between words longer than ``longer_than_ms``.

    Each returned stretch, once cut, leaves ``PAUSE_KEEP_MS`` of the pause (half either side).
    ``words`` are (start_ms, end_ms) in time order.
    """
    keep = PAUSE_KEEP_MS // 2
    return [
        (before[1] + keep, after[0] - keep)
        for before, after in itertools.pairwise(words)
        if after[0] - before[1] > max(longer_than_ms, PAUSE_KEEP_MS)
    ]


def is_filler(text: str) -> bool:
    """Tell whether a recognised word (or two words joined) is a filler: 嗯, 啊, "um" …"""
    return text.strip(_PUNCTUATION).lower() in FILLERS


def filler_stretches(words: Sequence[tuple[int, int, str]]) -> list[Range]:
    """The times of the filler words among ``(start_ms, end_ms, text)`` words in time order.

    A filler may come as one word or two (Chinese recognisers often split 那个).
    """
    found: list[Range] = []
    index = 0
    while index < len(words):
        start, end, text = words[index]
        if index + 1 < len(words) and is_filler(text + words[index + 1][2]):
            found.append((start, words[index + 1][1]))
            index += 2
            continue
        if is_filler(text):
            found.append((start, end))
        index += 1
    return found


def pushed(history: Sequence[Sequence[Range]], previous: Sequence[Range]) -> list[list[Range]]:
    """The undo history after an edit replaced ``previous`` (the oldest steps fall off)."""
    return [*[list(step) for step in history][-(HISTORY_LENGTH - 1) :], list(previous)]


def popped(history: Sequence[Sequence[Sequence[int]]]) -> tuple[list[list[Range]], list[Range]]:
    """Undo: the history without its last step, and that step (the list to restore)."""
    if not history:
        raise ValueError("nothing to undo")
    steps = [[(int(a), int(b)) for a, b in step] for step in history]
    return steps[:-1], steps[-1]
