"""Split recognised words into sentences (the recogniser returns VAD chunks of up to 30 s)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from media.transcription.engine import Segment, Word

SENTENCE_END = tuple("。！？!?.…；;")
SOFT_BREAK = tuple("，,、：:")
PAUSE_S = 0.8
SOFT_LIMIT_S = 12.0
HARD_LIMIT_S = 20.0


@dataclass
class SentenceDraft:
    """A sentence before it is stored: its words, times and text."""

    words: list[Word] = field(default_factory=list)

    @property
    def start(self) -> float:
        """Start of the first word, in seconds."""
        return self.words[0].start

    @property
    def end(self) -> float:
        """End of the last word, in seconds."""
        return self.words[-1].end

    @property
    def text(self) -> str:
        """The words joined as the recogniser wrote them."""
        return "".join(word.text for word in self.words).strip()


def _seconds_between(start: float, end: float) -> float:
    # Word times are whole milliseconds; compare durations at that precision, so an 800 ms
    # pause such as 2.0 → 2.8 s is not 0.7999… s.
    return round(end - start, 3)


def _ends_sentence(current: SentenceDraft, word: Word, next_word: Word | None) -> bool:
    text = word.text.strip()
    length = _seconds_between(current.start, word.end)
    if next_word is None or text.endswith(SENTENCE_END):
        return True
    if _seconds_between(word.end, next_word.start) >= PAUSE_S:
        return True
    if length >= SOFT_LIMIT_S and text.endswith(SOFT_BREAK):
        return True
    return length >= HARD_LIMIT_S


def split_sentences(segments: Iterable[Segment]) -> list[SentenceDraft]:
    """Group the words of every segment into sentences, in time order."""
    sentences: list[SentenceDraft] = []
    for segment in segments:
        words = [w for w in segment.words if w.text.strip()]
        current = SentenceDraft()
        for index, word in enumerate(words):
            current.words.append(word)
            next_word = words[index + 1] if index + 1 < len(words) else None
            if _ends_sentence(current, word, next_word):
                sentences.append(current)
                current = SentenceDraft()
    return sentences
