"""Recognition hints chosen batch by batch: the stream's items, then what the speech sounds like.

Whisper reads hints as "previous text": faster-whisper's batched pipeline puts the hotwords and
the initial prompt after ``<|startofprev|>`` (each cut to 223 tokens on its own), and that
context shares the decoder's 448 positions with the text being written. So the hints of a batch
are kept, together, within one budget counted with the model's own tokenizer (at most 223,
Whisper's prompt limit; 120 by default, as decoding slows ever faster with a longer prompt),
never cut at a number of characters.

What fills the budget, in order: the names of the recording's stream items (the shop's list for
this stream), then catalog items and glossary terms the speech just before probably said — the
words recognised in the window so far, matched by sound (``likely``: toneless pinyin for Chinese,
a consonant-and-vowel-shape key for Latin script), each item's likelihood fading batch by batch
— and, when all of it fits, the rest of the catalog (then of the glossary). Names go before
aliases, and a name whose words (Chinese: characters) are all hinted already is left out: Whisper
needs the spelling of each word once, not every combination of a near-miss catalog.

``BatchedInferencePipeline`` fixes hotwords and prompt for a whole call; ``HintedPipeline``
chooses them afresh for every batch of VAD chunks (up to ``batch_size`` × 30 s) and records what
each stretch of speech was given, so the transcript can say which hints were used where. The
first batch of each engine window has only the stream's items (and a catalog that fits whole).
"""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

import numpy as np
from faster_whisper import BatchedInferencePipeline, WhisperModel
from faster_whisper.tokenizer import Tokenizer
from faster_whisper.transcribe import Segment as WhisperSegment
from faster_whisper.transcribe import TranscriptionInfo, TranscriptionOptions

from media.mentions.matching import terms_for
from media.transcription.engine import build_domain_prompt
from media.transcription.likely import SoundIndex
from media.transcription.phonetic import units
from portal.simplified import to_simplified

TokenCounter = Callable[[str], int]
MAX_HINT_TOKENS = 223  # Whisper's own prompt limit: half its 448 text positions, less one
# Decoding slows with the prompt's length, ever faster (recognition CPU on English speech with
# every batch's hints full: +2 % at 60 tokens, +10 % at 120, +25 % at 180; docs/benchmarks.md).
DEFAULT_HINT_TOKENS = 120
_SEPARATOR = ", "
_DECAY = 0.6  # a likelihood fades to 0.6 of itself per batch unless heard again
# An item becomes likely when 0.8 of one name's weighted sounds are heard close together (real
# garbles of a name score 0.9+, its near misses about 0.7); it stays, fading, while above 0.3.
_NAMED = 0.8
_KEEP = 0.3


@dataclass(frozen=True)
class HintItem:
    """A catalog item as hints see it: its id and spoken names (the name first), and its link
    number on the stream's list, if any."""

    item_id: int
    names: tuple[str, ...]
    link: int | None = None

    @classmethod
    def build(cls, item_id: int, names: Iterable[str], link: int | None = None) -> HintItem:
        """Keep each distinct name once (as mention matching compares them), in order."""
        return cls(item_id, tuple(term.text for term in terms_for(item_id, names)), link)


@dataclass(frozen=True)
class Hints:
    """What one batch of speech is given: hotwords and prompt, the names and items, the tokens."""

    hotwords: str | None
    prompt: str | None
    names: tuple[str, ...]
    item_ids: tuple[int, ...]
    tokens: int


class HintCatalog:
    """The stream's items and the rest of the catalog, keyed by sound once per recording."""

    def __init__(
        self, stream: Sequence[HintItem], catalog: Sequence[HintItem], terms: Sequence[str] = ()
    ) -> None:
        """Keep ``stream`` in its order, then the other ``catalog`` items and the trade ``terms``.

        A glossary term (翡翠, 籽料, nephrite …) is hinted like an item, when likely, under a
        negative id that never appears in ``Hints.item_ids``.
        """
        stream_ids = {item.item_id for item in stream}
        glossary = [HintItem.build(-index, [term]) for index, term in enumerate(terms, start=1)]
        self.stream = tuple(_distinct(stream))
        self.others = tuple(
            item for item in _distinct([*catalog, *glossary]) if item.item_id not in stream_ids
        )
        self._sounds = SoundIndex([(i.item_id, i.names) for i in (*self.stream, *self.others)])

    def score(self, text: str) -> dict[int, float]:
        """Return, per item, how much of one of its names ``text`` sounds like it said (0–1)."""
        return self._sounds.score(text)


def choose_hints(
    catalog: HintCatalog,
    likely: Mapping[int, float],
    language: str | None,
    count_tokens: TokenCounter,
    budget_tokens: int = DEFAULT_HINT_TOKENS,
) -> Hints:
    """Choose the hints for one batch within ``budget_tokens`` of the model's tokenizer.

    The stream's items come first (those heard lately before the others), then the ``likely``
    catalog items and terms by likelihood, then the rest of the catalog only if all of it fits,
    then likewise the rest of the glossary. Names go in before aliases; a name that does not fit
    is skipped whole, and so is one that brings no word (or Chinese character) the hints do not
    already hold — except the names of the stream's items, which always go in first.
    """
    measure = partial(_measure, language=language, count=count_tokens)
    if measure([]) > budget_tokens:
        return Hints(None, None, (), (), 0)
    fill = partial(_fill, language=language, room=budget_tokens, measure=measure)
    ranked = _ranked(catalog, likely)
    rest = [(item, False) for item in catalog.others if item.item_id not in likely]
    for group in ([r for r in rest if r[0].item_id > 0], [r for r in rest if r[0].item_id < 0]):
        if group and fill([*ranked, *group], complete=True) is not None:
            ranked += group
    names, item_ids = fill(ranked, complete=False) or ([], ())
    hotwords, prompt = _render(names, language)
    return Hints(hotwords, prompt, tuple(names), item_ids, measure(names))


def _render(names: Sequence[str], language: str | None) -> tuple[str | None, str | None]:
    """Write the names as hotwords and prompt, the way each language measured best.

    Chinese: the names as hotwords, then the domain prompt (以下是玉石直播间的讲解。); English:
    one prompt with the names last ("This is a jade live stream. Products: A, B."), as a prompt
    ending on "live stream." made Whisper skip a spoken "Welcome to the jade live stream." (the
    Chinese layout as one prompt, 商品有：A、B, raised a generated stream's CER from 0.05 to 0.17).
    Other languages: the names as hotwords only.
    """
    if language == "zh":
        return _SEPARATOR.join(names) or None, build_domain_prompt((), language)
    prompt = build_domain_prompt(names, language, max_chars=sys.maxsize)
    return (None, prompt) if prompt else (_SEPARATOR.join(names) or None, None)


def _measure(names: Sequence[str], *, language: str | None, count: TokenCounter) -> int:
    """Count the tokens of the written hints as faster-whisper encodes them."""
    hotwords, prompt = _render(names, language)
    return (count(" " + hotwords) if hotwords else 0) + (count(prompt) if prompt else 0)


def _ranked(catalog: HintCatalog, likely: Mapping[int, float]) -> list[tuple[HintItem, bool]]:
    """Order the stream's items (heard first) and then the likely others; flag stream items."""

    def heard_first(item: HintItem) -> float:
        return -likely.get(item.item_id, 0.0)

    stream = sorted(catalog.stream, key=heard_first)  # stable: the stream's order otherwise
    others = sorted((i for i in catalog.others if i.item_id in likely), key=heard_first)
    return [(item, True) for item in stream] + [(item, False) for item in others]


def _candidates(
    items: Sequence[tuple[HintItem, bool]], language: str | None
) -> Iterator[tuple[str, int, bool]]:
    """Yield (name, item id, required) for every item's name, then for every alias.

    Only a stream item's own name is required. Chinese names are written in Simplified. In
    English a listed item's name carries its link number as the cart shows it ("link 3 Hetian
    nephrite bangle"): on four espeak-ng voices that kept a spoken "link number nine" from
    becoming "Lingkemberd Iron" (4 of 4 heard right, against 2 of 4 with the bare names) and
    spelled the names as often or more.
    """
    deepest = max((len(item.names) for item, _ in items), default=0)
    for rank in range(deepest):
        for item, listed in items:
            if rank < len(item.names):
                yield _written(item, rank, language), item.item_id, listed and rank == 0


def _written(item: HintItem, rank: int, language: str | None) -> str:
    """Write one of ``item``'s names for the hints (see ``_candidates``)."""
    name = item.names[rank]
    if language == "zh":
        return to_simplified(name)
    if language == "en" and rank == 0 and item.link is not None:
        return f"link {item.link} {name}"
    return name


def _fill(
    items: Sequence[tuple[HintItem, bool]],
    *,
    language: str | None,
    room: int,
    measure: Callable[[Sequence[str]], int],
    complete: bool,
) -> tuple[list[str], tuple[int, ...]] | None:
    """Take names in order while the written hints stay within ``room`` tokens.

    With ``complete``, return None as soon as a name that adds words does not fit.
    """
    chosen: list[str] = []
    owners: list[int] = []
    vocabulary: set[str] = set()
    for name, item_id, required in _candidates(items, language):
        words = {unit.casefold() for unit in units(name)}
        if name in chosen or (not required and words <= vocabulary):
            continue
        if measure([*chosen, name]) <= room:
            chosen.append(name)
            owners.append(item_id)
            vocabulary |= words
        elif complete:
            return None
    return chosen, tuple(dict.fromkeys(owner for owner in owners if owner > 0))


def _distinct(items: Iterable[HintItem]) -> Iterator[HintItem]:
    """Yield each item once (its first occurrence) that has a name."""
    seen: set[int] = set()
    for item in items:
        if item.names and item.item_id not in seen:
            seen.add(item.item_id)
            yield item


@dataclass
class WindowHints:
    """What one window of speech has sounded like so far, and so the hints for its next batch."""

    catalog: HintCatalog
    budget_tokens: int = DEFAULT_HINT_TOKENS
    likely: dict[int, float] = field(default_factory=dict)

    def hear(self, text: str) -> None:
        """Fade every likelihood, then raise those of the items ``text`` clearly named."""
        scores = self.catalog.score(text) if text.strip() else {}
        named = {item_id: value for item_id, value in scores.items() if value >= _NAMED}
        faded = {item_id: value * _DECAY for item_id, value in self.likely.items()}
        merged = {i: max(faded.get(i, 0.0), named.get(i, 0.0)) for i in {*faded, *named}}
        self.likely = {i: value for i, value in merged.items() if value >= _KEEP}

    def choose(self, language: str | None, count_tokens: TokenCounter) -> Hints:
        """Choose the hints for the next batch."""
        return choose_hints(self.catalog, self.likely, language, count_tokens, self.budget_tokens)


@dataclass(frozen=True)
class HintSpan:
    """The hints a stretch of speech (in seconds from the start of the recording) was given."""

    start_s: float
    end_s: float
    hints: Hints


class HintPlanner:
    """Hints for one recording: its catalog, the budget and a record of what each span got."""

    def __init__(self, catalog: HintCatalog, budget_tokens: int = DEFAULT_HINT_TOKENS) -> None:
        """Plan within ``budget_tokens`` (at most Whisper's 223)."""
        self.catalog = catalog
        self.budget_tokens = min(budget_tokens, MAX_HINT_TOKENS)
        self._spans: list[HintSpan] = []
        self._lock = threading.Lock()

    def pipeline(self, model: WhisperModel, offset_s: float) -> BatchedInferencePipeline:
        """Return the pipeline for the window starting at ``offset_s`` (one per window)."""
        window = WindowHints(self.catalog, self.budget_tokens)
        return HintedPipeline(model, window, partial(self._record, offset_s))

    def spans(self) -> list[HintSpan]:
        """Return the recorded spans in time order, neighbours with the same hints merged."""
        with self._lock:
            ordered = sorted(self._spans, key=lambda span: span.start_s)
        merged: list[HintSpan] = []
        for span in ordered:
            if merged and merged[-1].hints == span.hints:
                merged[-1] = replace(merged[-1], end_s=max(merged[-1].end_s, span.end_s))
            else:
                merged.append(span)
        return merged

    def summary(self) -> tuple[str, str]:
        """Describe what was used: every hinted name (first use first) and the spans as JSON."""
        spans = self.spans()
        names = dict.fromkeys(name for span in spans for name in span.hints.names)
        described = [
            {
                "start_s": round(span.start_s, 3),
                "end_s": round(span.end_s, 3),
                "tokens": span.hints.tokens,
                "names": list(span.hints.names),
                "items": list(span.hints.item_ids),
                "prompt": span.hints.prompt or "",
                "hotwords": span.hints.hotwords or "",
            }
            for span in spans
        ]
        document = {"budget_tokens": self.budget_tokens, "spans": described}
        return _SEPARATOR.join(names), json.dumps(document, ensure_ascii=False)

    def _record(self, offset_s: float, start_s: float, end_s: float, hints: Hints) -> None:
        with self._lock:
            self._spans.append(HintSpan(offset_s + start_s, offset_s + end_s, hints))


class HintedPipeline(BatchedInferencePipeline):
    """faster-whisper's batched pipeline, its hints chosen afresh for every batch."""

    def __init__(
        self,
        model: WhisperModel,
        window: WindowHints,
        record: Callable[[float, float, Hints], None],
    ) -> None:
        """Choose hints through ``window``; ``record`` each segment's times and hints."""
        super().__init__(model)
        self.window = window
        self.record = record
        self.current: Hints | None = None

    def transcribe(
        self, audio: np.ndarray, **options: Any
    ) -> tuple[Iterable[WhisperSegment], TranscriptionInfo]:
        """Transcribe like ``BatchedInferencePipeline`` (hotwords and prompt are replaced)."""
        segments, info = super().transcribe(audio, **options)
        return self._recorded(segments), info

    def forward(
        self,
        features: np.ndarray,
        tokenizer: Tokenizer,
        chunks_metadata: list[dict[str, Any]],
        options: TranscriptionOptions,
    ) -> list[list[dict[str, Any]]]:
        """Decode one batch with hints chosen from what the window said before it."""
        count = partial(_count_tokens, tokenizer)
        self.current = self.window.choose(tokenizer.language_code, count)
        hinted = replace(
            options, hotwords=self.current.hotwords, initial_prompt=self.current.prompt
        )
        outputs = super().forward(features, tokenizer, chunks_metadata, hinted)
        self.window.hear(" ".join(_reliable_texts(outputs, options)))
        return outputs

    def _recorded(self, segments: Iterable[WhisperSegment]) -> Iterator[WhisperSegment]:
        for segment in segments:
            if self.current is not None:
                self.record(segment.start, segment.end, self.current)
            yield segment


def _count_tokens(tokenizer: Tokenizer, text: str) -> int:
    """Count the tokens of ``text`` with the model's tokenizer."""
    return len(tokenizer.encode(text))


def _reliable_texts(
    outputs: list[list[dict[str, Any]]], options: TranscriptionOptions
) -> Iterator[str]:
    """Yield the text of each decoded piece that passes faster-whisper's own quality thresholds.

    Text the model was unsure of (or that repeats itself) is not used to choose later hints,
    so a recited hint list does not keep itself going.
    """
    for chunk in outputs:
        for piece in chunk:
            if _is_reliable(piece, options):
                yield piece["text"]


def _is_reliable(piece: Mapping[str, Any], options: TranscriptionOptions) -> bool:
    """Tell whether a decoded piece passes the compression, log-probability and silence limits."""
    checks = (
        (options.compression_ratio_threshold, piece["compression_ratio"], 1),
        (options.log_prob_threshold, piece["avg_logprob"], -1),
        (options.no_speech_threshold, piece["no_speech_prob"], 1),
    )
    return all(limit is None or value * sign <= limit * sign for limit, value, sign in checks)
