"""Keep the sentences that were heard; report the time of those the recogniser made up.

A recognition result is screened before it is stored: a segment whose own scores say the
decoding failed, and a sentence that loops, only lists the hints, or whose words are mostly
guesses, become an unclear range of the recording instead of text (``media.transcription.
quality`` says how each is judged). Unclear ranges next to each other are merged.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from media.transcription.engine import Segment
from media.transcription.quality import (
    HintVocabulary,
    Reason,
    decoding_failed,
    looped_sentences,
    repair_words,
    text_verdict,
)
from media.transcripts.sentences import SentenceDraft, split_sentences


@dataclass(frozen=True)
class UnclearSpan:
    """A stretch of the recording whose speech could not be recognised, and why."""

    start: float
    end: float
    reason: str

    def as_json(self) -> dict[str, object]:
        """The span as stored in ``Transcript.unclear_ranges``."""
        return {
            "start_ms": round(self.start * 1000),
            "end_ms": round(self.end * 1000),
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Screened:
    """The sentences to store, and the unclear spans between them, in time order."""

    sentences: list[SentenceDraft]
    unclear: list[UnclearSpan]


def screen_sentences(segments: Iterable[Segment], hints: HintVocabulary) -> Screened:
    """Split the segments into sentences, keeping only those that were heard."""
    timeline = [entry for segment in segments for entry in _screen_segment(segment, hints)]
    return Screened(
        sentences=[entry for entry in timeline if isinstance(entry, SentenceDraft)],
        unclear=_merged(timeline),
    )


def _screen_segment(segment: Segment, hints: HintVocabulary) -> list[SentenceDraft | UnclearSpan]:
    """Judge one segment: its scores, its loops, its text as a whole, then each sentence.

    The text is judged whole (without the looped sentences) as well as sentence by sentence:
    a made-up list such as "jadeite pendant, jadeite pendant pendant, jadeite ring" is often
    split by pauses into sentences that each look harmless. A loop drops only its sentences,
    as it often follows real speech in the same segment.
    """
    failed = decoding_failed(segment)
    drafts = split_sentences([replace(segment, words=repair_words(segment.words))])
    looped = looped_sentences([draft.text for draft in drafts])
    if failed is Reason.NO_SPEECH or (failed is not None and not looped):
        return [UnclearSpan(segment.start, segment.end, failed)]
    rest = [draft for index, draft in enumerate(drafts) if index not in looped]
    whole = text_verdict(
        "".join(draft.text for draft in rest), [pair for draft in rest for pair in _scored(draft)],
        hints,
    )  # fmt: skip
    return [
        UnclearSpan(draft.start, draft.end, Reason.REPETITION if index in looped else whole)
        if index in looped or whole is not None
        else _judged(draft, hints)
        for index, draft in enumerate(drafts)
    ]


def _scored(draft: SentenceDraft) -> list[tuple[str, float]]:
    """The sentence's words with their probabilities."""
    return [(word.text, word.probability) for word in draft.words]


def _judged(draft: SentenceDraft, hints: HintVocabulary) -> SentenceDraft | UnclearSpan:
    """Return the sentence, or its span if it was not heard."""
    reason = text_verdict(draft.text, _scored(draft), hints)
    return draft if reason is None else UnclearSpan(draft.start, draft.end, reason)


def _merged(timeline: Sequence[SentenceDraft | UnclearSpan]) -> list[UnclearSpan]:
    """Merge unclear spans that follow each other with no kept sentence between them."""
    merged: list[UnclearSpan] = []
    follows = False
    for entry in timeline:
        if not isinstance(entry, UnclearSpan):
            follows = False
            continue
        if follows:
            last = merged[-1]
            merged[-1] = replace(last, end=max(last.end, entry.end))
        else:
            merged.append(entry)
        follows = True
    return merged
