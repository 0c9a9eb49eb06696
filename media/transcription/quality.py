"""Tell heard speech from text the recogniser made up, and keep every character whole.

Given hints (hotwords, a prompt naming the catalog), Whisper writes the hints back when it
cannot make out the speech: noise, music or another language come out as "冰种手镯, 冰种手镯, …"
with high confidence. Bare Whisper writes noise there, not names. These checks judge one
faster-whisper segment (its own scores) and one sentence (its text and word probabilities);
what fails is not stored as text, and its time is reported as unclear. The thresholds were
chosen on recognitions of generated speech, noise, music and foreign voices: see
docs/benchmarks.md ("Unclear speech").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import replace
from enum import StrEnum

from media.transcription.engine import Segment, Word

REPLACEMENT_CHARACTER = "\ufffd"
# Whisper's own limits for a failed decode (its transcribe() defaults): text that gzip packs
# more than 2.4 times is a loop; average log-probability under -1 with a no-speech probability
# over 0.6 is silence.
MAX_COMPRESSION_RATIO = 2.4
MIN_AVG_LOGPROB = -1.0
MAX_NO_SPEECH_PROB = 0.6
# A loop: the same 2–10 units (CJK characters, words, numbers) four times in a row, or one
# unit six times ("将将将将将将"; people do say 好好好, 对对对对); inside a word, the same few
# letters eight times ("shunbunbunbun…").
LOOP_MAX_PERIOD = 10
LOOP_MIN_REPEATS = 4
LOOP_MIN_REPEATS_ONE_UNIT = 6
LOOP_MIN_REPEATS_LETTERS = 8
# Hint echo: three or more list pieces, nine tenths of whose units are hint words.
ECHO_MIN_PIECES = 3
ECHO_MIN_COVERAGE = 0.9
# Low confidence: the words' mean probability (from the alignment pass, which sees no hints).
MIN_MEAN_WORD_PROBABILITY = 0.3

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_UNIT = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+")
_PIECE_BREAK = re.compile(rf"[^\w\s{_CJK}]+|(?<=[{_CJK}])\s+(?=[{_CJK}])")
_CJK_RUN = re.compile(rf"[{_CJK}]+")
_PIECE_END = re.compile(rf"[^\w\s{_CJK}]\s*$")
_LONGEST_HINT_RUN = 8


class Reason(StrEnum):
    """Why a stretch of recognised text was not kept."""

    REPETITION = "repetition"
    NO_SPEECH = "no_speech"
    HINT_ECHO = "hint_echo"
    LOW_CONFIDENCE = "low_confidence"


def repair_words(words: Iterable[Word]) -> tuple[Word, ...]:
    """Drop the replacement character from words, and words left with no text.

    faster-whisper splits word timestamps on whole characters, but where decoding stopped
    inside a multi-byte character (a loop that ran into the model's length limit) the last
    word is the bytes of half a character, decoded as U+FFFD.
    """
    repaired = []
    for word in words:
        text = word.text.replace(REPLACEMENT_CHARACTER, "")
        if text.strip():
            repaired.append(replace(word, text=text) if text != word.text else word)
    return tuple(repaired)


def decoding_failed(segment: Segment) -> Reason | None:
    """Judge a segment by the recogniser's own scores (Whisper's limits); None if they pass."""
    if segment.avg_logprob < MIN_AVG_LOGPROB and segment.no_speech_prob > MAX_NO_SPEECH_PROB:
        return Reason.NO_SPEECH
    if segment.compression_ratio > MAX_COMPRESSION_RATIO:
        return Reason.REPETITION
    return None


def looped_sentences(texts: Sequence[str]) -> set[int]:
    """Return the indices of the sentences (of one segment, in order) that a loop fills.

    A loop often runs across sentences ("冰种羊脂。冰种羊脂。冰种羊脂。…"), so it is found in the
    segment's text; a sentence at least half of whose units belong to it is the loop's.
    """
    units = [text_units(text) for text in texts]
    mask = loop_mask([unit for sentence in units for unit in sentence])
    looped, offset = set(), 0
    for index, (text, own) in enumerate(zip(texts, units, strict=True)):
        if sum(mask[offset : offset + len(own)]) * 2 >= len(own) > 0 or _has_letter_loop(text):
            looped.add(index)
        offset += len(own)
    return looped


def text_verdict(
    text: str, words: Sequence[tuple[str, float]], hints: HintVocabulary
) -> Reason | None:
    """Judge one sentence by its text and its (word, probability) pairs; None to keep it.

    Punctuation with no word ("。。。", which Whisper writes for noise) is no speech heard.
    """
    units = text_units(text)
    if not units:
        return Reason.NO_SPEECH if text.strip() else None
    if has_loop(units) or _has_letter_loop(text):
        return Reason.REPETITION
    if hints.is_echo(text):
        return Reason.HINT_ECHO
    probability = first_use_probability(words)
    if probability is not None and probability < MIN_MEAN_WORD_PROBABILITY:
        return Reason.LOW_CONFIDENCE
    return None


def first_use_probability(words: Sequence[tuple[str, float]]) -> float | None:
    """Return the mean probability of the words, counting a repeated piece only once.

    A piece is the words up to a punctuation mark. faster-whisper scores words in a second pass
    that sees the text before them, so a repeated piece scores high however unsure its first
    use was: "老坑碧玉招财兽, 老坑碧玉招财兽" is 0.03 the first time, 0.8 the second.
    """
    seen: set[tuple[str, ...]] = set()
    counted: list[float] = []
    piece: list[tuple[str, float]] = []
    for index, (text, probability) in enumerate(words):
        piece.append((text, probability))
        if index + 1 < len(words) and not _PIECE_END.search(text):
            continue
        key = tuple(unit for word, _ in piece for unit in text_units(word))
        if key not in seen:
            seen.add(key)
            counted.extend(p for _, p in piece)
        piece = []
    return sum(counted) / len(counted) if counted else None


def text_units(text: str) -> list[str]:
    """Split text into units: each CJK character, each Latin word or number (case folded)."""
    return _UNIT.findall(unicodedata.normalize("NFKC", text).casefold())


def has_loop(units: Sequence[str]) -> bool:
    """Tell whether some run of 1–10 units repeats back to back often enough to be a loop."""
    return any(loop_mask(units))


def loop_mask(units: Sequence[str], min_repeats: int | None = None) -> list[bool]:
    """Mark the units that belong to a loop: a run of 1–10 units repeated back to back.

    ``min_repeats`` defaults to six for one unit, four for longer runs.
    """
    mask = [False] * len(units)
    for period in range(1, LOOP_MAX_PERIOD + 1):
        needed = min_repeats or (LOOP_MIN_REPEATS_ONE_UNIT if period == 1 else LOOP_MIN_REPEATS)
        streak = 0
        for index in range(period, len(units) + 1):
            if index < len(units) and units[index] == units[index - period]:
                streak += 1
                continue
            if 1 + streak // period >= needed:
                mask[index - streak - period : index] = [True] * (streak + period)
            streak = 0
    return mask


def _has_letter_loop(text: str) -> bool:
    """Tell whether a few letters repeat inside a word ("bunbunbun…"), as loops also do."""
    letters = [char for char in text.casefold() if char.isalpha()]
    return any(loop_mask(letters, LOOP_MIN_REPEATS_LETTERS))


class HintVocabulary:
    """The words the recogniser was hinted with, to tell a sentence that only repeats them."""

    def __init__(self, texts: Iterable[str]) -> None:
        """Collect Latin words and CJK runs (2–8 characters) from the hint texts."""
        self.words: set[str] = set()
        self.runs: set[str] = set()
        for text in texts:
            for unit in text_units(text):
                if not _CJK_RUN.fullmatch(unit):
                    self.words.add(unit)
            for run in _CJK_RUN.findall(unicodedata.normalize("NFKC", text)):
                self.runs.update(_substrings(run))

    def is_echo(self, text: str) -> bool:
        """Tell whether ``text`` is a list of hint words and nothing else."""
        pieces = [piece for piece in _PIECE_BREAK.split(text) if text_units(piece)]
        if len(pieces) < ECHO_MIN_PIECES:
            return False
        return self.coverage(text) >= ECHO_MIN_COVERAGE

    def coverage(self, text: str) -> float:
        """Return the share of the text's units that come from the hints."""
        total = covered = 0
        for chunk in re.split(rf"([{_CJK}]+)", unicodedata.normalize("NFKC", text).casefold()):
            if _CJK_RUN.fullmatch(chunk):
                total += len(chunk)
                covered += self._covered_characters(chunk)
            else:
                units = text_units(chunk)
                total += len(units)
                covered += sum(unit in self.words for unit in units)
        return covered / total if total else 0.0

    def _covered_characters(self, run: str) -> int:
        """Count the characters of a CJK run inside some 2–8 character stretch of the hints."""
        covered = [False] * len(run)
        for start in range(len(run)):
            for end in range(min(len(run), start + _LONGEST_HINT_RUN), start + 1, -1):
                if run[start:end] in self.runs:
                    covered[start:end] = [True] * (end - start)
                    break
        return sum(covered)


def _substrings(run: str) -> set[str]:
    """Every stretch of 2–8 characters of a CJK run."""
    return {
        run[start:end]
        for start in range(len(run))
        for end in range(start + 2, min(len(run), start + _LONGEST_HINT_RUN) + 1)
    }
