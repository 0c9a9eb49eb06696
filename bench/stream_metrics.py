"""Score one transcription of a generated stream against its script (``bench.stream_bench``).

* item recall: share of the stream's items found; an item is found when a suggestion linking it
  overlaps a paragraph about it (its own or the comparison) by at least ``OVERLAP_S``;
* precision: share of the suggestions' item links (a suggestion of two items counts twice) that
  overlap a paragraph about that item by at least ``OVERLAP_S``; a link to any other catalog item,
  or one over the distractor or talk about nothing, is wrong;
* comparison: whether one suggestion links both compared items over the comparison paragraph;
* names written correctly: of the catalog names and aliases spoken in the script, the share that
  appear in the transcript of their paragraph spelled as the catalog spells them (Chinese: the
  exact characters, punctuation and spaces ignored; English: the words, case and punctuation
  ignored);
* CER (Mandarin): character error rate of the whole transcript against the whole script, as
  ``bench/mandarin_cer.py`` scores it (NFKC, no punctuation or spaces, Simplified Chinese).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from bench.mandarin_cer import edit_distance, normalise
from bench.mentions_bench import OVERLAP_S, shared_s
from bench.stream_script import Paragraph
from media.mentions.matching import TimedSentence
from portal.simplified import to_simplified

_NOT_WORD = re.compile(r"[^\w]+")


@dataclass(frozen=True)
class Timed:
    """A script paragraph with the seconds it is spoken."""

    paragraph: Paragraph
    start: float
    end: float


@dataclass(frozen=True)
class Found:
    """A suggestion as the bench sees it: the SKUs it links (main first) and its seconds."""

    skus: tuple[str, ...]
    start: float
    end: float


@dataclass(frozen=True)
class Score:
    """One condition's measures (CER None for English)."""

    recall: float
    precision: float
    comparison: bool
    names: float
    cer: float | None
    suggestions: int


def _about(found: Found, sku: str, truth: Sequence[Timed]) -> bool:
    """Tell whether a suggestion overlaps a paragraph about ``sku`` by ``OVERLAP_S``."""
    return any(
        sku in t.paragraph.skus and shared_s(t.start, t.end, found.start, found.end) >= OVERLAP_S
        for t in truth
    )


def recall(items: Sequence[str], found: Sequence[Found], truth: Sequence[Timed]) -> float:
    """Share of ``items`` some suggestion linking it finds where it is discussed."""
    hits = [sku for sku in items if any(sku in f.skus and _about(f, sku, truth) for f in found)]
    return len(hits) / len(items) if items else 0.0


def precision(found: Sequence[Found], truth: Sequence[Timed]) -> float:
    """Share of the suggestions' item links that are about that item there."""
    links = [(f, sku) for f in found for sku in f.skus]
    right = [1 for f, sku in links if _about(f, sku, truth)]
    return len(right) / len(links) if links else 0.0


def comparison_linked(found: Sequence[Found], truth: Sequence[Timed]) -> bool:
    """Tell whether one suggestion links both compared items over the comparison."""
    compared = [t for t in truth if t.paragraph.kind == "comparison"]
    return all(
        any(
            set(t.paragraph.skus) <= set(f.skus)
            and shared_s(t.start, t.end, f.start, f.end) >= OVERLAP_S
            for f in found
        )
        for t in compared
    )


def _text_of(sentences: Sequence[TimedSentence], start: float, end: float) -> str:
    """The transcript of the sentences whose middle falls in ``start``–``end`` (±1 s)."""
    inside = [s for s in sentences if start - 1.0 <= (s.start + s.end) / 2 <= end + 1.0]
    return " ".join(s.text for s in inside)


def _key(text: str, language: str) -> str:
    """Fold a text for spelling comparison (see the module docstring)."""
    if language == "zh":
        return normalise(to_simplified(text))
    return f" {_NOT_WORD.sub(' ', text.casefold()).strip()} "


def names_written(
    sentences: Sequence[TimedSentence], truth: Sequence[Timed], language: str
) -> float:
    """Share of spoken catalog names found spelled as the catalog spells them, per paragraph."""
    spoken = written = 0
    for t in truth:
        if not t.paragraph.spoken:
            continue
        heard = _key(_text_of(sentences, t.start, t.end), language)
        for name, times in Counter(t.paragraph.spoken).items():
            spoken += times
            written += min(times, heard.count(_key(name, language)))
    return written / spoken if spoken else 0.0


def cer(sentences: Sequence[TimedSentence], truth: Sequence[Timed]) -> float:
    """Character error rate of the whole transcript against the whole script."""
    reference = normalise("".join(t.paragraph.text for t in truth))
    hypothesis = normalise(to_simplified("".join(s.text for s in sentences)))
    return edit_distance(reference, hypothesis) / len(reference) if reference else 0.0


def score(
    items: Sequence[str],
    sentences: Sequence[TimedSentence],
    found: Sequence[Found],
    truth: Sequence[Timed],
    language: str,
) -> Score:
    """Measure one condition."""
    return Score(
        recall=recall(items, found, truth),
        precision=precision(found, truth),
        comparison=comparison_linked(found, truth),
        names=names_written(sentences, truth, language),
        cer=cer(sentences, truth) if language == "zh" else None,
        suggestions=len(found),
    )
