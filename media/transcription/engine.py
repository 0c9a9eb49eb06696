"""Turn speech into timed words: one small recogniser interface and its Whisper engine.

``WhisperRecogniser`` runs faster-whisper (CTranslate2, int8 on CPU) through
``BatchedInferencePipeline`` with word timestamps and the Silero VAD filter. Long recordings are
read in windows cut at the quietest moment near each boundary, so memory stays bounded and a cut
never falls inside a word. Chinese text is converted to Simplified with OpenCC.
"""

from __future__ import annotations

import threading
import unicodedata
import wave
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np
from faster_whisper import BatchedInferencePipeline, WhisperModel
from faster_whisper.transcribe import Segment as WhisperSegment
from opencc import OpenCC

SAMPLE_RATE = 16000
DEFAULT_WINDOW_S = 20 * 60.0
DEFAULT_HOTWORDS_CHARS = 120
DEFAULT_PROMPT_CHARS = 120
_CUT_SEARCH_S = 10.0
_CUT_FRAME_S = 0.1
_MIN_WINDOW_S = 60.0

ProgressCallback = Callable[[float], None]


@dataclass(frozen=True)
class Word:
    """One recognised word with its time in seconds from the start of the audio."""

    start: float
    end: float
    text: str
    probability: float


@dataclass(frozen=True)
class Segment:
    """A run of words the recogniser returned together.

    In batched mode this is one VAD chunk of up to 30 s, not a sentence: split sentences on the
    words' punctuation. ``"".join(w.text for w in words)`` gives the text (Latin words keep their
    leading space, as Whisper writes them).
    """

    start: float
    end: float
    text: str
    words: tuple[Word, ...]


@dataclass(frozen=True)
class Transcript:
    """The whole recognised text of one recording."""

    language: str
    duration_s: float
    segments: tuple[Segment, ...]


class Recogniser(Protocol):
    """What the pipeline needs from a speech recogniser."""

    def transcribe(
        self,
        audio_path: Path,
        *,
        language: str | None,
        hotwords: str | None,
        initial_prompt: str | None,
        on_progress: ProgressCallback | None,
    ) -> Transcript:
        """Recognise the 16 kHz mono WAV at ``audio_path``; ``language`` None detects it."""
        ...


_models: dict[tuple[str, int], WhisperModel] = {}
_models_lock = threading.Lock()
_to_simplified = OpenCC("t2s")


def load_whisper_model(model_path: str, cpu_threads: int) -> WhisperModel:
    """Return the process-wide Whisper model for ``model_path``, loading it on first use."""
    key = (model_path, cpu_threads)
    with _models_lock:
        if key not in _models:
            _models[key] = WhisperModel(
                model_path, device="cpu", compute_type="int8", cpu_threads=cpu_threads
            )
        return _models[key]


class WhisperRecogniser:
    """Recognise speech with faster-whisper's batched pipeline."""

    def __init__(
        self,
        model_path: str,
        cpu_threads: int = 0,
        batch_size: int = 8,
        window_s: float = DEFAULT_WINDOW_S,
    ) -> None:
        if window_s < _MIN_WINDOW_S:
            raise ValueError(f"window_s must be at least {_MIN_WINDOW_S:g} seconds")
        self.pipeline = BatchedInferencePipeline(load_whisper_model(model_path, cpu_threads))
        self.batch_size = batch_size
        self.window_s = window_s

    def transcribe(
        self,
        audio_path: Path,
        *,
        language: str | None,
        hotwords: str | None,
        initial_prompt: str | None,
        on_progress: ProgressCallback | None,
    ) -> Transcript:
        """Recognise the 16 kHz mono WAV at ``audio_path`` (as written by ``extract_audio``)."""
        segments: list[Segment] = []
        with wave.open(str(audio_path), "rb") as wav:
            _check_wav(wav, audio_path)
            duration_s = wav.getnframes() / SAMPLE_RATE
            for offset_s, samples in _windows(wav, self.window_s):
                batch, info = self.pipeline.transcribe(
                    samples,
                    language=language,
                    hotwords=hotwords or None,
                    initial_prompt=initial_prompt or None,
                    batch_size=self.batch_size,
                    word_timestamps=True,
                    vad_filter=True,
                    condition_on_previous_text=False,
                )
                language = language or info.language  # detect once, on the first window
                for raw in batch:
                    segments.append(_segment(raw, offset_s, language))
                    if on_progress is not None and duration_s > 0:
                        on_progress(min(segments[-1].end / duration_s, 1.0))
        if on_progress is not None:
            on_progress(1.0)
        return Transcript(language=language or "", duration_s=duration_s, segments=tuple(segments))


def build_hotwords(names: Iterable[str], max_chars: int = DEFAULT_HOTWORDS_CHARS) -> str | None:
    """Join catalog names into a hotword string of at most ``max_chars`` (CJK counts double).

    Names are normalised (NFKC, trimmed) and deduplicated; a name that does not fit is skipped
    whole rather than cut. Returns None when there is nothing to hint.
    """
    return _join_bounded(_unique_names(names), ", ", max_chars) or None


def build_domain_prompt(
    names: Iterable[str], language: str | None, max_chars: int = DEFAULT_PROMPT_CHARS
) -> str | None:
    """Write a short prompt naming the products, in Simplified Chinese or English.

    Bounded to ``max_chars`` (CJK counts double). Returns None for automatic language detection,
    where a prompt in the wrong language would push the model to translate.
    """
    unique = _unique_names(names)
    if language == "zh":
        head, separator, tail = "以下是玉石直播间的讲解", "、", "。"
        unique = [_to_simplified.convert(name) for name in unique]
        lead = "，商品有："
    elif language == "en":
        head, separator, tail = "This is a jade live stream", ", ", "."
        lead = ". Products: "
    else:
        return None
    budget = max_chars - _width(head + lead + tail)
    listed = _join_bounded(unique, separator, budget)
    return f"{head}{lead}{listed}{tail}" if listed else f"{head}{tail}"


def _check_wav(wav: wave.Wave_read, audio_path: Path) -> None:
    """Refuse audio that is not 16 kHz mono 16-bit PCM."""
    if (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) != (1, 2, SAMPLE_RATE):
        raise ValueError(f"{audio_path} is not 16 kHz mono 16-bit WAV; use extract_audio first")


def _windows(wav: wave.Wave_read, window_s: float) -> Iterator[tuple[float, np.ndarray]]:
    """Yield (start seconds, float32 samples) windows, each cut at a quiet moment."""
    window = int(window_s * SAMPLE_RATE)
    carry = np.zeros(0, dtype=np.float32)
    offset = 0
    while True:
        raw = wav.readframes(window - len(carry))
        fresh = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
        chunk = np.concatenate([carry, fresh])
        at_end = wav.tell() >= wav.getnframes()
        cut = len(chunk) if at_end else _quiet_cut(chunk)
        if cut > 0:
            yield offset / SAMPLE_RATE, chunk[:cut]
        if at_end:
            return
        carry, offset = chunk[cut:], offset + cut


def _quiet_cut(samples: np.ndarray) -> int:
    """Return the sample index of the quietest short frame in the last seconds of ``samples``."""
    frame = int(_CUT_FRAME_S * SAMPLE_RATE)
    start = max(0, len(samples) - int(_CUT_SEARCH_S * SAMPLE_RATE))
    usable = (len(samples) - start) // frame * frame
    if usable == 0:
        return len(samples)
    energy = np.square(samples[start : start + usable]).reshape(-1, frame).mean(axis=1)
    return start + int(np.argmin(energy)) * frame + frame // 2


def _segment(raw: WhisperSegment, offset_s: float, language: str | None) -> Segment:
    """Convert one faster-whisper segment to ours, shifting times by ``offset_s``."""
    convert = _to_simplified.convert if language == "zh" else str
    words = tuple(
        Word(
            start=_seconds(word.start + offset_s),
            end=_seconds(word.end + offset_s),
            text=convert(word.word),
            probability=float(word.probability),
        )
        for word in raw.words or ()
    )
    return Segment(
        start=_seconds(raw.start + offset_s),
        end=_seconds(raw.end + offset_s),
        text=convert(raw.text.strip()),
        words=words,
    )


def _seconds(value: float) -> float:
    """Round a time to milliseconds as a plain float (faster-whisper returns NumPy floats)."""
    return round(float(value), 3)


def _unique_names(names: Iterable[str]) -> list[str]:
    """Normalise names (NFKC, single spaces) and drop empty and repeated ones, keeping order."""
    seen: set[str] = set()
    unique: list[str] = []
    for name in names:
        clean = " ".join(unicodedata.normalize("NFKC", name).split())
        if clean and clean.casefold() not in seen:
            seen.add(clean.casefold())
            unique.append(clean)
    return unique


def _join_bounded(items: list[str], separator: str, max_chars: int) -> str:
    """Join as many whole ``items`` as fit within ``max_chars`` (CJK counts double)."""
    joined = ""
    for item in items:
        candidate = f"{joined}{separator}{item}" if joined else item
        if _width(candidate) <= max_chars:
            joined = candidate
    return joined


def _width(text: str) -> int:
    """Count ``text`` with wide (CJK) characters as two, as they cost about two tokens."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
