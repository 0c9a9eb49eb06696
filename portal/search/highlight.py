"""Mark where a query matched a result's text, and cut long text around the first match.

Text is normalised character by character (so offsets map back to what is shown); Chinese
words and Latin stems are found directly, and a pinyin query marks the Chinese words it spells.
"""

from __future__ import annotations

import re
import unicodedata

from markupsafe import Markup, escape

from portal.search.query import Plan
from portal.search.text import CJK_RUN, normalize, pinyin_of, segmenter, stem

SNIPPET_CHARS = 140
_MAX_PINYIN_WORDS = 4


def _normalised(text: str) -> tuple[str, list[int]]:
    """Return ``text`` normalised and, per normalised character, its source index."""
    whole = normalize(text)
    if len(whole) == len(text):  # the usual case: every character maps to one
        return whole, list(range(len(text)))
    chars: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        folded = unicodedata.normalize("NFKC", char).lower()
        folded = normalize(folded) if len(folded) == 1 else folded
        chars.extend(folded)
        offsets.extend([index] * len(folded))
    return "".join(chars), offsets


def _pinyin_spans(normal: str, spelled: str) -> list[tuple[int, int]]:
    """Spans of Chinese words whose joined pinyin starts with ``spelled``."""
    spans = []
    for run in CJK_RUN.finditer(normal):
        words, start = [], run.start()
        for word in segmenter().lcut(run.group()):
            words.append((start, start + len(word), pinyin_of(word)))
            start += len(word)
        for i in range(len(words)):
            reading = ""
            for j in range(i, min(i + _MAX_PINYIN_WORDS, len(words))):
                reading += words[j][2]
                if reading.startswith(spelled):
                    spans.append((words[i][0], words[j][1]))
                    break
                if not spelled.startswith(reading):
                    break
    return spans


def _spans(normal: str, plan: Plan) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for clause in plan.clauses:
        if not clause.is_latin:
            spans.extend((m.start(), m.end()) for m in re.finditer(re.escape(clause.word), normal))
            continue
        root = stem(clause.word)
        pattern = re.compile(rf"(?<![a-z0-9]){re.escape(root)}[a-z0-9]*")
        spans.extend((m.start(), m.end()) for m in pattern.finditer(normal))
        if clause.word.isalpha() and len(clause.word) > 1:
            spans.extend(_pinyin_spans(normal, clause.word))
    return sorted(spans)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, plan: Plan, *, limit: int | None = SNIPPET_CHARS) -> Markup:
    """Return ``text`` escaped, with ``<mark>`` around matches, cut to about ``limit`` chars."""
    normal, offsets = _normalised(text)
    spans = [(offsets[s], offsets[e - 1] + 1) for s, e in _merged(_spans(normal, plan)) if e > s]
    begin, end = 0, len(text)
    if limit is not None and len(text) > limit:
        first = spans[0][0] if spans else 0
        begin = max(0, min(first - limit // 4, len(text) - limit))
        end = begin + limit
    pieces: list[str] = ["…" if begin else ""]
    cursor = begin
    for start, stop in spans:
        if stop <= begin or start >= end:
            continue
        start, stop = max(start, cursor), min(stop, end)
        pieces.append(escape(text[cursor:start]) + Markup("<mark>") + escape(text[start:stop]))
        pieces.append(Markup("</mark>"))
        cursor = stop
    pieces.append(escape(text[cursor:end]) + ("…" if end < len(text) else ""))
    return Markup("").join(pieces)
