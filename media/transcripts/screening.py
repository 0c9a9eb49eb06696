"""Keep the sentences that were heard; report the time of those the recogniser made up.

A recognition result is screened before it is stored: a segment whose own scores say the
decoding failed, and a sentence that loops, only lists the hints, or whose words are mostly
guesses, become an unclear range of the recording instead of text (``media.transcription.
quality`` says how each is judged). Unclear ranges next to each other are merged.

Before that, a stretch dropped from a segment may be recognised once more without hints
(``recover_unclear``): the hints that help names can pull Whisper into a loop over clear speech,
and bare Whisper often hears that speech. The new text is kept only where it passes the same
screening; otherwise the stretch stays unclear. Likewise a long stretch with no recognised word
at all (``recover_unheard``): Whisper sometimes ends a chunk's text early or jumps over a
sentence, and that speech would be missing without a trace.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from faster_whisper.transcribe import get_compression_ratio

from media.transcription.engine import Segment, Word
from media.transcription.quality import (
    MIN_AVG_LOGPROB,
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


SpanRecogniser = Callable[[float, float], Sequence[Segment]]
# A stretch this long without a recognised word may hold speech Whisper skipped (the pauses of
# a generated stream's script are 1.5 s; a skipped paragraph on seed 8111 at beam 3 was 15 s).
MIN_UNHEARD_S = 3.0
# Whisper skips at most a chunk (30 s) at a time: a longer stretch without words is music or
# quiet the voice activity detector let through, not worth reading and recognising again.
MAX_UNHEARD_S = 90.0


def recover_unclear(
    segments: Iterable[Segment], hints: HintVocabulary, recognise: SpanRecogniser
) -> list[Segment]:
    """Recognise each stretch the screening would drop once more; keep what passes it.

    ``recognise(start_s, end_s)`` recognises that stretch of the recording again (without hints:
    ``WhisperRecogniser.recognise_again``). A segment with dropped sentences (other than no
    speech) is rebuilt, one segment per sentence, from its kept sentences and the new text of
    each dropped stretch — the time from the kept sentence before it to the one after — but only
    if all of that new text and the rebuilt segment pass the screening; otherwise it stays as it
    was, and so is dropped again when it is screened for storing.
    """
    recovered: list[Segment] = []
    for segment in segments:
        entries = _screen_segment(segment, hints)
        retry = any(isinstance(e, UnclearSpan) and e.reason != Reason.NO_SPEECH for e in entries)
        rebuilt = _rebuilt(segment, entries, hints, recognise) if retry else None
        recovered.extend(rebuilt or [segment])
    return recovered


def recover_unheard(
    segments: Sequence[Segment], duration_s: float, hints: HintVocabulary, recognise: SpanRecogniser
) -> list[Segment]:
    """Recognise once more each stretch of ``MIN_UNHEARD_S``–``MAX_UNHEARD_S`` with no word.

    The stretches lie between the recognised words (and before the first and after the last,
    within ``duration_s``). ``recognise`` runs the voice activity detector first, so a quiet
    stretch costs only that; new text is kept where it passes the screening (``_heard_again``),
    as a segment per sentence, in time order with the others.
    """
    found = [
        piece
        for start, end in unheard_stretches(segments, duration_s)
        for piece in _heard_again(start, end, hints, recognise) or ()
    ]
    return sorted([*segments, *found], key=lambda segment: segment.start) if found else [*segments]


def unheard_stretches(segments: Iterable[Segment], duration_s: float) -> list[tuple[float, float]]:
    """Return the stretches of ``MIN_UNHEARD_S``–``MAX_UNHEARD_S`` no recognised word covers."""
    covered = sorted(
        (word.start, word.end)
        for segment in segments
        for word in segment.words or (Word(segment.start, segment.end, segment.text, 1.0),)
    )
    stretches: list[tuple[float, float]] = []
    heard_to = 0.0
    for start, end in [*covered, (duration_s, duration_s)]:
        if MIN_UNHEARD_S <= start - heard_to <= MAX_UNHEARD_S:
            stretches.append((heard_to, start))
        heard_to = max(heard_to, end)
    return stretches


def _rebuilt(
    segment: Segment,
    entries: Sequence[SentenceDraft | UnclearSpan],
    hints: HintVocabulary,
    recognise: SpanRecogniser,
) -> list[Segment] | None:
    """Rebuild the segment with each run of dropped sentences recognised again; None if not."""
    pieces: list[Segment] = []
    for index, entry in enumerate(entries):
        if isinstance(entry, SentenceDraft):
            pieces.append(_piece(entry, segment))
        elif index == 0 or isinstance(entries[index - 1], SentenceDraft):
            start = entries[index - 1].end if index else segment.start
            after = [e for e in entries[index:] if isinstance(e, SentenceDraft)]
            heard = _heard_again(start, after[0].start if after else segment.end, hints, recognise)
            if heard is None:
                return None
            pieces.extend(heard)
    screened = [entry for piece in pieces for entry in _screen_segment(piece, hints)]
    if not pieces or any(isinstance(entry, UnclearSpan) for entry in screened):
        return None
    return pieces


def _heard_again(
    start: float, end: float, hints: HintVocabulary, recognise: SpanRecogniser
) -> list[Segment] | None:
    """Recognise ``start``–``end`` again: its sentences as segments, or None if any is dropped.

    The new segments are screened as one, so a loop split over several of them ("豬腾阿倫,"
    four times) is found; a sentence belongs to the stretch when its middle falls inside it.
    Beyond the screening, the new decode must have succeeded by Whisper's own measure (average
    log-probability at least −1 at some temperature): a foreign voice comes out at −1.4 to −3.6,
    as a few made-up characters ("辣椒") or an English translation, which alone would pass.
    """
    heard = _joined(recognise(start, end))
    if heard is None or heard.avg_logprob < MIN_AVG_LOGPROB:
        return None
    inside = [e for e in _screen_segment(heard, hints) if start <= (e.start + e.end) / 2 <= end]
    if not inside or any(isinstance(entry, UnclearSpan) for entry in inside):
        return None
    return [_piece(entry, heard) for entry in inside if isinstance(entry, SentenceDraft)]


def _joined(segments: Sequence[Segment]) -> Segment | None:
    """The segments as one: all their words, their worst scores, the whole text's compression."""
    if not segments:
        return None
    words = tuple(word for segment in segments for word in segment.words)
    text = "".join(segment.text for segment in segments)
    return Segment(
        start=segments[0].start,
        end=segments[-1].end,
        text=text,
        words=words,
        avg_logprob=min(segment.avg_logprob for segment in segments),
        no_speech_prob=max(segment.no_speech_prob for segment in segments),
        compression_ratio=get_compression_ratio(text) if text else 0.0,
    )


def _piece(draft: SentenceDraft, segment: Segment) -> Segment:
    """One sentence of ``segment`` as a segment of its own, its compression ratio its own."""
    text = draft.text
    return replace(
        segment,
        start=draft.start,
        end=draft.end,
        text=text,
        words=tuple(draft.words),
        compression_ratio=get_compression_ratio(text) if text else 0.0,
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
        "".join(draft.text for draft in rest),
        [pair for draft in rest for pair in _scored(draft)],
        hints,
    )
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
