"""Propose clips from mentions: dense stretches about items, cut at sentence boundaries (pure).

Each item's mentions become clip windows (``media.mentions.windows``). A window is scored as
mentions per minute (over at least ``min_s``) + 0.5 · ln(1 + mentions), so density counts most
and more mentions break near-ties.

Across items, windows about one stretch become one suggestion; the window with more mentions
leads (``item_ids`` lists its item first) and the count and score include the linked items'
mentions inside it. Windows are about one stretch when

* their mentions interleave (the stretches from first to last mention overlap: a comparison),
  unless the other item has several windows there (it has clips of its own); or
* they share at least half of the longer one, or all their mentions fit in ``min_s``: two
  clips would show mostly the same time (two items named once each, a few seconds apart).
  The suggestion is then padded anew around all their mentions, within the windows' stretch,
  unless that passes ``max_s`` or meets another window of one of its items.

A suggestion then starts where the main item is introduced, not mid-thought
(``_introduce``): at the sentence naming it when that starts at most ``INTRODUCE_S`` before
the start (or after it, if the clip keeps ``min_s``); else leading sentences that open with a
connective (然后, 所以, "and", "so" …) are skipped, never past the first naming.

Finally, greedily by score, no two suggestions sharing an item overlap in time. The result is
sorted by score descending, ties by start, then item ids: the same input always gives the same
list.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from media.mentions.matching import Mention, TimedSentence
from media.mentions.windows import Timeline, Window, item_windows, pad

_COUNT_BONUS = 0.5
_MOSTLY = 0.5
INTRODUCE_S = 6.0
# Words that continue a thought: a clip opening with one starts mid-thought.
CONNECTIVE = re.compile(
    r"\s*(?:然后|所以|那么|还有|另外|而且|但是|不过|接着|因为"
    r"|(?:and|so|then|but|also|because)\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Suggestion:
    """A proposed clip: its items (main first), seconds, sentence range and score."""

    item_ids: tuple[int, ...]
    start: float
    end: float
    first_sentence: int
    last_sentence: int
    score: float
    mention_count: int


def suggest_clips(
    sentences: Sequence[TimedSentence],
    mentions: Iterable[Mention],
    *,
    min_s: float = 20.0,
    max_s: float = 90.0,
    gap_s: float = 30.0,
) -> list[Suggestion]:
    """Propose clips of ``min_s``–``max_s`` seconds around each item's mentions, best first.

    A clip is shorter than ``min_s`` only when the recording or the item's neighbouring clips
    leave no room. Raises ValueError for inconsistent limits or a mention of an unknown sentence.
    """
    if not 0 < min_s <= max_s or gap_s < 0:
        raise ValueError("need 0 < min_s <= max_s and gap_s >= 0")
    timeline = Timeline(sentences)
    mentions = list(mentions)
    windows = item_windows(timeline, mentions, min_s, max_s, gap_s)
    named: dict[int, set[int]] = defaultdict(set)
    for mention in mentions:
        named[mention.item_id].add(timeline.of(mention))
    linked = [
        _introduce(timeline, s, sorted(named[s.item_ids[0]]), min_s, max_s)
        for s in _link(timeline, windows, min_s, max_s)
    ]
    return sorted(_select(linked), key=lambda s: (-s.score, s.start, s.item_ids))


def _introduce(
    timeline: Timeline, suggestion: Suggestion, named: list[int], min_s: float, max_s: float
) -> Suggestion:
    """Start ``suggestion`` where its main item is introduced (``named``: sentence positions)."""
    first = timeline.position[suggestion.first_sentence]
    last = timeline.position[suggestion.last_sentence]
    start = timeline.sentences[first].start

    def fits(p: int) -> bool:  # near the start; moving forward keeps min_s, back keeps max_s
        span = timeline.span(p, last)
        close = abs(timeline.sentences[p].start - start) <= INTRODUCE_S
        return p <= last and close and span <= max_s and (p < first or span >= min_s)

    near = [p for p in named if fits(p)]
    if near:
        first = near[0]
    else:
        naming = next((p for p in named if p >= first), last)
        while first < min(naming, last) and CONNECTIVE.match(timeline.sentences[first].text):
            first += 1
    if timeline.sentences[first].index == suggestion.first_sentence:
        return suggestion
    sentence = timeline.sentences[first]
    return replace(suggestion, first_sentence=sentence.index, start=sentence.start)


def _score(count: int, duration: float, min_s: float) -> float:
    """Mentions per minute over at least ``min_s``, plus a small bonus for more mentions."""
    return round(60.0 * count / max(duration, min_s) + _COUNT_BONUS * math.log1p(count), 6)


class _Index:
    """Every window by start, to find the ones near a stretch."""

    def __init__(self, windows: list[Window], max_s: float) -> None:
        self.by_start = sorted(windows, key=lambda w: (w.start, w.item_id))
        self.starts = [w.start for w in self.by_start]
        self.max_s = max_s

    def overlapping(self, start: float, end: float) -> list[Window]:
        """Return the windows sharing time with ``start``–``end``."""
        # Windows are at most max_s long, so any overlapping one starts after start - max_s.
        low, high = bisect_left(self.starts, start - self.max_s), bisect_left(self.starts, end)
        return [w for w in self.by_start[low:high] if w.end > start]


def _link(
    timeline: Timeline, windows: list[Window], min_s: float, max_s: float
) -> list[Suggestion]:
    """Merge windows of different items about one stretch; the most mentioned item leads.

    A window joins a bigger one when their mentions interleave (a comparison; unless its item
    has several windows there), or when they cover mostly the same stretch, also after that
    one grew by merging.
    """
    order = sorted(windows, key=lambda w: (-len(w.mentions), w.start, w.item_id))
    index = _Index(windows, max_s)
    taken: set[int] = set()
    groups: list[tuple[Window, list[Window]]] = []  # (the stretch, its windows: main first)
    owner: dict[int, int] = {}  # id of a window -> the number of its group
    for main in order:
        if id(main) in taken:
            continue
        taken.add(id(main))
        number = _join(timeline, index, groups, owner, main, min_s)
        if number is None:
            number = len(groups)
            groups.append(_group(timeline, index, main, taken, min_s))
        owner.update((id(w), number) for w in groups[number][1])
    return [_suggestion(stretch, members[1:], min_s) for stretch, members in groups]


def _group(
    timeline: Timeline, index: _Index, main: Window, taken: set[int], min_s: float
) -> tuple[Window, list[Window]]:
    """Link to ``main`` the free windows of other items about its stretch; mark them taken."""
    near = [
        w
        for w in index.overlapping(main.start - min_s, main.end + min_s)
        if w.item_id != main.item_id and id(w) not in taken
    ]
    per_item = Counter(w.item_id for w in index.overlapping(main.start, main.end))
    partners = [w for w in near if per_item[w.item_id] == 1 and _interleave(main, w)]
    window = main
    for other in near:
        if other not in partners and _same_stretch(main, other, min_s):
            merged = _merged(timeline, index, [main, *partners, other], min_s)
            if merged is not None:
                window = merged
                partners.append(other)
    taken.update(id(w) for w in partners)
    return window, [main, *partners]


def _join(
    timeline: Timeline,
    index: _Index,
    groups: list[tuple[Window, list[Window]]],
    owner: dict[int, int],
    window: Window,
    min_s: float,
) -> int | None:
    """Add ``window`` to an earlier group about the same stretch; return its number, if any."""
    near = index.overlapping(window.start - min_s, window.end + min_s)
    for number in sorted({owner[id(w)] for w in near if id(w) in owner}):
        stretch, members = groups[number]
        if window.item_id in {w.item_id for w in members}:
            continue
        if _same_stretch(stretch, window, min_s):
            merged = _merged(timeline, index, [*members, window], min_s)
            if merged is not None:
                groups[number] = (merged, [*members, window])
                return number
    return None


def _interleave(a: Window, b: Window) -> bool:
    """Tell whether the stretches from first to last mention of two windows overlap."""
    a_first, a_last = a.mentions[0].start, max(m.end for m in a.mentions)
    b_first, b_last = b.mentions[0].start, max(m.end for m in b.mentions)
    return a_first <= b_last and b_first <= a_last


def _same_stretch(a: Window, b: Window, min_s: float) -> bool:
    """Tell whether two windows share half of the longer one, or all their mentions fit ``min_s``.

    Either way two clips of their own would show mostly the same stretch.
    """
    shared = min(a.end, b.end) - max(a.start, b.start)
    if shared > 0 and shared >= _MOSTLY * max(a.duration, b.duration):
        return True
    found = [*a.mentions, *b.mentions]
    return max(m.end for m in found) - min(m.start for m in found) <= min_s


def _merged(timeline: Timeline, index: _Index, group: list[Window], min_s: float) -> Window | None:
    """One window over the group's mentions, padded within the group's windows (main first).

    None when it would pass ``max_s`` or overlap another window of one of the group's items
    (two suggestions of one item would overlap).
    """
    piece = sorted((m for w in group for m in w.mentions), key=lambda m: (timeline.of(m), m.start))
    bounds = (min(w.first for w in group), max(w.last for w in group))
    first, last = pad(timeline, piece, bounds, min_s, index.max_s)
    start, end = timeline.sentences[first].start, timeline.sentences[last].end
    items = {w.item_id for w in group}
    others = (w for w in index.overlapping(start, end) if all(w is not own for own in group))
    if end - start > index.max_s or any(w.item_id in items for w in others):
        return None
    indices = (timeline.sentences[first].index, timeline.sentences[last].index)
    return Window(group[0].item_id, first, last, *indices, start, end, group[0].mentions)


def _suggestion(main: Window, partners: list[Window], min_s: float) -> Suggestion:
    """Build a suggestion for ``main`` linking the ``partners`` mentioned inside it."""
    inside = {
        w.item_id: [m for m in w.mentions if main.start <= (m.start + m.end) / 2 <= main.end]
        for w in partners
    }
    linked = sorted(inside, key=lambda item: (-len(inside[item]), item))
    count = len(main.mentions) + sum(len(found) for found in inside.values())
    return Suggestion(
        item_ids=(main.item_id, *linked),
        start=main.start,
        end=main.end,
        first_sentence=main.first_sentence,
        last_sentence=main.last_sentence,
        score=_score(count, main.duration, min_s),
        mention_count=count,
    )


def _select(suggestions: list[Suggestion]) -> list[Suggestion]:
    """Keep the best suggestions, greedily, so no two sharing an item overlap."""
    kept: list[Suggestion] = []
    per_item: dict[int, list[Suggestion]] = defaultdict(list)
    for suggestion in sorted(suggestions, key=lambda s: (-s.score, s.start, s.item_ids)):
        clashes = (
            other
            for item in suggestion.item_ids
            for other in per_item[item]
            if other.start < suggestion.end and suggestion.start < other.end
        )
        if next(clashes, None) is None:
            kept.append(suggestion)
            for item in suggestion.item_ids:
                per_item[item].append(suggestion)
    return kept
