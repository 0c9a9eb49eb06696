"""One item's clip windows: its mentions grouped, split and padded to whole sentences (pure).

Per item:

1. group its mentions whose gaps are at most ``gap_s``, and cut a group where a whole group of
   another item (two or more mentions, or one in a gap over ``gap_s`` / 2) lies between two of
   its mentions: the host moved on to another piece and came back. In a comparison the groups
   interleave, or the other item is named close by, and the group stays whole. A group is also
   cut at a pause over ``gap_s`` / 2 when the mentions on one side of it (two or more) fit in
   ``min_s`` together with another item's whole group: a comparison, then more about one of its
   items;
2. split a group spanning more than ``max_s`` into the fewest pieces that fit, cut at the widest
   gaps between mentions, so the dense parts stay whole;
3. extend each piece to whole sentences, then pad it with neighbouring sentences up to ``min_s``
   (the side with the shorter pause first, after on ties), never past ``max_s`` and never into the
   item's neighbouring pieces; a single sentence longer than ``max_s`` is cut to ``max_s`` around
   its mentions.
"""

from __future__ import annotations

import itertools
import math
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from media.mentions.matching import Mention, TimedSentence

_TOPIC_SWITCH = 2


@dataclass(frozen=True)
class Window:
    """One item's clip candidate: timeline positions, sentence indices, seconds and mentions."""

    item_id: int
    first: int
    last: int
    first_sentence: int
    last_sentence: int
    start: float
    end: float
    mentions: tuple[Mention, ...]

    @property
    def duration(self) -> float:
        """Length in seconds."""
        return self.end - self.start


class Timeline:
    """Sentences in time order, with the position of each sentence index."""

    def __init__(self, sentences: Sequence[TimedSentence]) -> None:
        self.sentences = sorted(sentences, key=lambda s: (s.start, s.index))
        self.position = {sentence.index: pos for pos, sentence in enumerate(self.sentences)}

    def span(self, first: int, last: int) -> float:
        """Seconds from the start of sentence ``first`` to the end of ``last`` (positions)."""
        return self.sentences[last].end - self.sentences[first].start

    def of(self, mention: Mention) -> int:
        """Return the position of the sentence holding ``mention``."""
        try:
            return self.position[mention.sentence_index]
        except KeyError:
            raise ValueError(f"mention of unknown sentence {mention.sentence_index}") from None


def item_windows(
    timeline: Timeline, mentions: Iterable[Mention], min_s: float, max_s: float, gap_s: float
) -> list[Window]:
    """Return every item's windows (items in id order, each item's in time order)."""
    by_item: dict[int, list[Mention]] = defaultdict(list)
    for mention in mentions:
        by_item[mention.item_id].append(mention)
    ordered = {
        item_id: sorted(found, key=lambda m: (timeline.of(m), m.start, m.end, m.term, m.kind))
        for item_id, found in sorted(by_item.items())
    }
    plain = {item_id: _groups(found, gap_s) for item_id, found in ordered.items()}
    stretches = _Stretches(plain, gap_s, min_s)
    windows: list[Window] = []
    for item_id, groups in plain.items():
        pieces = [
            piece
            for group in groups
            for part in stretches.split_switches(item_id, group)
            for piece in stretches.split_comparisons(item_id, part)
        ]
        windows.extend(_item_windows(timeline, item_id, pieces, min_s, max_s))
    return windows


def _item_windows(
    timeline: Timeline,
    item_id: int,
    groups: list[list[Mention]],
    min_s: float,
    max_s: float,
) -> list[Window]:
    """Cut one item's groups of mentions into padded, non-overlapping windows."""
    pieces: list[list[Mention]] = []
    for group in groups:
        for piece in _split(timeline, group, max_s):
            if pieces and timeline.of(piece[0]) <= timeline.of(pieces[-1][-1]):
                pieces[-1].extend(piece)  # a sentence longer than gap_s holds both
            else:
                pieces.append(piece)
    windows: list[Window] = []
    for number, piece in enumerate(pieces):
        low = windows[-1].last + 1 if windows else 0
        following = pieces[number + 1] if number + 1 < len(pieces) else None
        high = timeline.of(following[0]) - 1 if following else len(timeline.sentences) - 1
        first, last = pad(timeline, piece, (low, high), min_s, max_s)
        windows.append(_clamp(timeline, item_id, piece, first, last, max_s))
    return windows


def _groups(mentions: list[Mention], gap_s: float) -> list[list[Mention]]:
    """Group one item's time-ordered mentions whose gaps are at most ``gap_s``."""
    groups: list[list[Mention]] = []
    group_end = -math.inf
    for mention in mentions:
        if not groups or mention.start - group_end > gap_s:
            groups.append([])
        groups[-1].append(mention)
        group_end = max(group_end, mention.end)
    return groups


class _Stretches:
    """Every item's groups as (start, end, item, mention count), in time order."""

    def __init__(self, groups: dict[int, list[list[Mention]]], gap_s: float, min_s: float) -> None:
        self.spans = sorted(
            (group[0].start, max(m.end for m in group), item_id, len(group))
            for item_id, found in groups.items()
            for group in found
        )
        self.starts = [span[0] for span in self.spans]
        self.long_gap_s = gap_s / 2
        self.min_s = min_s

    def has_other_inside(self, item_id: int, after: float, before: float) -> bool:
        """Tell whether another item's whole group lies in the gap ``after``–``before``.

        A single mention counts only in a long gap (over half of ``gap_s``): a passing
        reference in a comparison sits close to the item's own mentions.
        """
        least = 1 if before - after > self.long_gap_s else _TOPIC_SWITCH
        for number in range(bisect_right(self.starts, after), len(self.spans)):
            start, end, other, count = self.spans[number]
            if start >= before:
                return False
            if end <= before and other != item_id and count >= least:
                return True
        return False

    def beside_other(self, item_id: int, start: float, end: float) -> bool:
        """Tell whether another item's whole group and ``start``–``end`` fit in ``min_s``."""
        low = bisect_left(self.starts, end - self.min_s)  # any earlier group is too far
        for other_start, other_end, other, _ in self.spans[low:]:
            if other_start > start + self.min_s:
                return False
            if other != item_id and max(end, other_end) - min(start, other_start) <= self.min_s:
                return True
        return False

    def split_comparisons(self, item_id: int, group: list[Mention]) -> list[list[Mention]]:
        """Cut a group at a long pause where the mentions on one side were said beside another
        item's (a comparison, then more about this item): that side can be linked to it.

        A side of one mention stays: "that was the X, thank you" closes X's own stretch even
        when a comparison of two others follows.
        """
        for cut in range(1, len(group)):
            if group[cut].start - group[cut - 1].end <= self.long_gap_s:
                continue
            head, tail = group[:cut], group[cut:]
            if any(
                len(side) >= _TOPIC_SWITCH
                and self.beside_other(item_id, side[0].start, max(m.end for m in side))
                for side in (head, tail)
            ):
                return [head, *self.split_comparisons(item_id, tail)]
        return [group]

    def split_switches(self, item_id: int, group: list[Mention]) -> list[list[Mention]]:
        """Split a group where the host talked about another item in between (a topic switch).

        In a comparison the items' groups interleave, so neither lies inside the other's gap.
        """
        parts = [[group[0]]]
        for previous, mention in itertools.pairwise(group):
            if self.has_other_inside(item_id, previous.end, mention.start):
                parts.append([])
            parts[-1].append(mention)
        return parts


def _split(timeline: Timeline, group: list[Mention], max_s: float) -> list[list[Mention]]:
    """Split a group into the fewest pieces spanning at most ``max_s``, cut at the widest gaps.

    Dynamic programming over the cuts between sentences: ``best[e]`` is the cheapest way to cut
    the first ``e`` mentions, costed (pieces, minus the sum of the gaps cut at).
    """
    pos = [timeline.of(m) for m in group]
    cuttable = [e for e in range(len(group) + 1) if e in (0, len(group)) or pos[e] > pos[e - 1]]
    best: dict[int, tuple[int, float, int]] = {0: (0, 0.0, 0)}  # e -> (pieces, -gaps, start)
    for number, e in enumerate(cuttable[1:], start=1):
        gap = group[e].start - group[e - 1].end if e < len(group) else 0.0
        for s in (cuttable[k] for k in range(number - 1, -1, -1)):
            if pos[s] < pos[e - 1] and timeline.span(pos[s], pos[e - 1]) > max_s:
                break
            pieces, gaps, _ = best[s]
            cost = (pieces + 1, gaps - gap, s)
            if e not in best or cost[:2] < best[e][:2]:
                best[e] = cost
    pieces: list[list[Mention]] = []
    e = len(group)
    while e > 0:
        s = best[e][2]
        pieces.append(group[s:e])
        e = s
    return pieces[::-1]


def pad(
    timeline: Timeline,
    piece: list[Mention],
    bounds: tuple[int, int],
    min_s: float,
    max_s: float,
) -> tuple[int, int]:
    """Extend a piece to whole sentences and pad it towards ``min_s`` within ``bounds``."""
    sentences = timeline.sentences
    first, last = timeline.of(piece[0]), timeline.of(piece[-1])
    low, high = bounds
    while timeline.span(first, last) < min_s:
        options = []
        if last + 1 <= high and timeline.span(first, last + 1) <= max_s:
            options.append((sentences[last + 1].start - sentences[last].end, 0, first, last + 1))
        if first - 1 >= low and timeline.span(first - 1, last) <= max_s:
            options.append((sentences[first].start - sentences[first - 1].end, 1, first - 1, last))
        if not options:
            break
        _, _, first, last = min(options)
    return first, last


def _clamp(
    timeline: Timeline,
    item_id: int,
    piece: list[Mention],
    first: int,
    last: int,
    max_s: float,
) -> Window:
    """Build the window; a span over ``max_s`` (one long sentence) is cut around its mentions."""
    start, end = timeline.sentences[first].start, timeline.sentences[last].end
    if end - start > max_s:
        piece = _densest(piece, max_s)
        centre = (piece[0].start + max(m.end for m in piece)) / 2
        start = min(max(start, centre - max_s / 2), end - max_s)
        end = start + max_s
        inside = [
            pos
            for pos in range(first, last + 1)
            if timeline.sentences[pos].start < end and timeline.sentences[pos].end > start
        ]
        first, last = inside[0], inside[-1]
    indices = (timeline.sentences[first].index, timeline.sentences[last].index)
    return Window(item_id, first, last, *indices, start, end, tuple(piece))


def _densest(piece: list[Mention], max_s: float) -> list[Mention]:
    """Return the most mentions that fit in ``max_s`` seconds (the earliest such run on ties)."""
    best: list[Mention] = piece[:1]
    for number, mention in enumerate(piece):
        run = [m for m in piece[number:] if m.end <= mention.start + max_s]
        if len(run) > len(best):
            best = run
    return best
