"""Turn speech into timed words: one small recogniser interface and its Whisper engine.

``WhisperRecogniser`` runs faster-whisper (CTranslate2, int8 on CPU) through
``BatchedInferencePipeline`` with word timestamps and the Silero VAD filter. Long recordings are
read in windows cut at the quietest moment near each boundary, so memory stays bounded and a cut
never falls inside a word. Windows run side by side in "lanes" (one model replica each): the
Python, NumPy and ONNX steps between CTranslate2 calls are single-threaded, so one call alone
leaves part of the CPU idle. Chinese text is converted to Simplified with OpenCC.

Progress moves inside a batch too: faster-whisper yields a batch's segments only once all of it
is decoded, so a short recording (one batch) would sit at 0 % until done. Each batch marks how
far it got instead (encoded, decoded, words aligned; ``_BatchWatch``), and the lanes wake the
reporting thread whenever their progress moves.
"""

from __future__ import annotations

import math
import os
import threading
import unicodedata
import wave
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Protocol

import numpy as np
from faster_whisper import BatchedInferencePipeline, WhisperModel
from faster_whisper.transcribe import Segment as WhisperSegment

from portal.simplified import to_simplified

SAMPLE_RATE = 16000
DEFAULT_WINDOW_S = 20 * 60.0
DEFAULT_HOTWORDS_CHARS = 120
DEFAULT_PROMPT_CHARS = 120
DEFAULT_LANES = 2
# Small batches: on the CPU a batch decodes until its longest chunk ends, so big batches mostly
# add padding (batch 2: 15 % less CPU than 8 on the benchmark, same word count and Mandarin CER;
# single words may differ, as the batch changes the arithmetic slightly).
DEFAULT_BATCH_SIZE = 2
# BELTCAST_WHISPER_BEAM_SIZE. Beam 3: 15–22 % less time than 5 on Mandarin with the hints (whose
# decoder cache every beam copies at every step), the same items, names and CER on ten streams
# once skipped speech is heard again (``media.transcripts.screening.recover_unheard``).
DEFAULT_BEAM_SIZE = 3
_CUT_SEARCH_S = 10.0
_CUT_FRAME_S = 0.1
_MIN_WINDOW_S = 60.0
_MIN_LANE_WINDOW_S = 30.0
_PROGRESS_POLL_S = 0.5
# Shares of a batch's time, for its progress (Whisper base on the CPU, 2 threads): the encoder
# about 40 %, decoding about 45 %, aligning the words the rest.
_ENCODED_SHARE = 0.4
_DECODED_SHARE = 0.85

ProgressCallback = Callable[[float], None]
_Start = Callable[
    [np.ndarray, str | None, float, "_BatchWatch"], tuple[Iterable[WhisperSegment], str]
]


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
    leading space, as Whisper writes them). The scores are faster-whisper's: in batched mode
    ``avg_logprob`` and ``no_speech_prob`` are the whole chunk's (see ``quality``).
    """

    start: float
    end: float
    text: str
    words: tuple[Word, ...]
    avg_logprob: float = 0.0
    no_speech_prob: float = 0.0
    compression_ratio: float = 1.0


@dataclass(frozen=True)
class Transcript:
    """The whole recognised text of one recording."""

    language: str
    duration_s: float
    segments: tuple[Segment, ...]


class HintSource(Protocol):
    """Chooses hints as the speech goes (``media.transcription.hints.HintPlanner``)."""

    def pipeline(self, model: WhisperModel, offset_s: float) -> BatchedInferencePipeline:
        """Return the pipeline that transcribes the window starting at ``offset_s``."""
        ...


_models: dict[tuple[str, int, int], WhisperModel] = {}
_models_lock = threading.Lock()


def load_whisper_model(model_path: str, cpu_threads: int, num_workers: int = 1) -> WhisperModel:
    """Return the process-wide Whisper model for these settings, loading it on first use.

    The model serves ``num_workers`` calls at once (from as many Python threads), each on
    ``cpu_threads`` threads.
    """
    key = (model_path, cpu_threads, num_workers)
    with _models_lock:
        if key not in _models:
            _models[key] = WhisperModel(
                model_path,
                device="cpu",
                compute_type="int8",
                cpu_threads=cpu_threads,
                num_workers=num_workers,
            )
        return _models[key]


class _BatchWatch:
    """Moves one window's progress through each batch of VAD chunks as the batch goes.

    A batch stands for the audio from where the window's progress is to the end of its last
    chunk; it marks its stages (``reach``) as shares of that stretch.
    """

    def __init__(self, lanes: _Lanes, index: int) -> None:
        self._lanes, self._index = lanes, index
        self._from_s = self._to_s = 0.0

    def begin(self, end_s: float) -> None:
        """Start a batch whose chunks end ``end_s`` seconds into the window."""
        self._from_s = self._lanes.window_done_s(self._index)
        self._to_s = max(self._from_s, end_s)

    def reach(self, share: float) -> None:
        """Mark ``share`` (0–1) of the current batch done."""
        self._lanes.advance(self._index, self._from_s + share * (self._to_s - self._from_s))


class _StagedModel:
    """The Whisper model as one window's pipeline sees it: telling its watch about each batch.

    The batched pipeline encodes a batch (``encode``), decodes it, then aligns its words
    (``add_word_timestamps``); all else, language detection's own encoding too, goes straight
    to the model.
    """

    def __init__(self, model: WhisperModel, watch: _BatchWatch) -> None:
        self._model, self._watch = model, watch

    def __getattr__(self, name: str) -> object:
        return getattr(self._model, name)

    def encode(self, features: np.ndarray) -> object:
        """Encode a batch, then mark it encoded."""
        encoded = self._model.encode(features)
        self._watch.reach(_ENCODED_SHARE)
        return encoded

    def add_word_timestamps(self, *args: object, **kwargs: object) -> object:
        """Mark the batch decoded, then align its words."""
        self._watch.reach(_DECODED_SHARE)
        return self._model.add_word_timestamps(*args, **kwargs)


def _watch_batches(pipeline: BatchedInferencePipeline, watch: _BatchWatch) -> None:
    """Make ``pipeline`` (plain or hinted) report each batch's stages to ``watch``."""
    forward = pipeline.forward

    def watched_forward(
        features: np.ndarray, tokenizer: object, chunks: list[dict[str, float]], options: object
    ) -> object:
        watch.begin(max(chunk["offset"] + chunk["duration"] for chunk in chunks))
        outputs = forward(features, tokenizer, chunks, options)
        watch.reach(1.0)
        return outputs

    pipeline.model = _StagedModel(pipeline.model, watch)
    pipeline.forward = watched_forward  # type: ignore[method-assign]


class _Lanes:
    """What the lanes of one transcription share: how to start a window, a stop flag, progress.

    ``changed`` is set whenever a lane's progress moves or a lane ends.
    """

    def __init__(self, start: _Start) -> None:
        self.start = start
        self.stop = threading.Event()
        self.changed = threading.Event()
        self._done_s: dict[int, float] = {}
        self._lock = threading.Lock()

    def watch(self, index: int) -> _BatchWatch:
        """Return what moves window ``index``'s progress through its batches."""
        return _BatchWatch(self, index)

    def collect(
        self,
        batch: Iterable[WhisperSegment] | None,
        language: str,
        index: int,
        offset_s: float,
        samples: np.ndarray,
    ) -> list[Segment]:
        """Transcribe window ``index`` (unless started: ``batch``), stopping between batches."""
        if self.stop.is_set():
            return []
        if batch is None:
            batch, _language = self.start(samples, language, offset_s, self.watch(index))
        length_s = len(samples) / SAMPLE_RATE
        segments: list[Segment] = []
        for raw in batch:
            segments.append(_segment(raw, offset_s, language))
            self.advance(index, min(raw.end, length_s))
            if self.stop.is_set():
                return segments
        self.advance(index, length_s)
        return segments

    def done_s(self) -> float:
        """Return the seconds of audio done over all windows."""
        with self._lock:
            return sum(self._done_s.values())

    def window_done_s(self, index: int) -> float:
        """Return the seconds of window ``index`` done."""
        with self._lock:
            return self._done_s.get(index, 0.0)

    def advance(self, index: int, done_s: float) -> None:
        """Record window ``index`` done up to ``done_s`` seconds (never going back)."""
        with self._lock:
            self._done_s[index] = max(self._done_s.get(index, 0.0), done_s)
        self.changed.set()


class WhisperRecogniser:
    """Recognise speech with faster-whisper's batched pipeline, a few windows at a time."""

    def __init__(
        self,
        model_path: str,
        cpu_threads: int = 0,
        batch_size: int = DEFAULT_BATCH_SIZE,
        window_s: float = DEFAULT_WINDOW_S,
        lanes: int = DEFAULT_LANES,
        beam_size: int = DEFAULT_BEAM_SIZE,
    ) -> None:
        """Share ``cpu_threads`` (0: all cores) among ``lanes`` windows transcribed at once."""
        if window_s < _MIN_WINDOW_S:
            raise ValueError(f"window_s must be at least {_MIN_WINDOW_S:g} seconds")
        cores = cpu_threads or os.cpu_count() or 1
        self.lanes = max(1, min(lanes, cores))
        self.model = load_whisper_model(model_path, cores // self.lanes, self.lanes)
        self.batch_size = batch_size
        self.beam_size = beam_size
        self.window_s = window_s

    def transcribe(
        self,
        audio_path: Path,
        *,
        language: str | None,
        hotwords: str | None,
        initial_prompt: str | None,
        on_progress: ProgressCallback | None,
        hints: HintSource | None = None,
    ) -> Transcript:
        """Recognise the 16 kHz mono WAV at ``audio_path`` (as written by ``extract_audio``).

        ``on_progress`` is called from this thread only; if it raises, the lanes stop after
        their current batch and the error propagates.
        """
        start = partial(
            self._start,
            hotwords=hotwords or None,
            initial_prompt=initial_prompt or None,
            hints=hints,
        )
        with wave.open(str(audio_path), "rb") as wav:
            _check_wav(wav, audio_path)
            duration_s = wav.getnframes() / SAMPLE_RATE
            windows = _windows(wav, self._window_length_s(duration_s))
            lanes = _Lanes(start)
            report = partial(_report_done, on_progress, lanes, duration_s)
            language, segments = self._run_lanes(windows, language, lanes, report)
        if on_progress is not None:
            on_progress(1.0)
        return Transcript(language=language or "", duration_s=duration_s, segments=segments)

    def recognise_again(
        self, audio_path: Path, start_s: float, end_s: float, *, language: str | None
    ) -> tuple[Segment, ...]:
        """Recognise one stretch of the WAV once more, bare: no hotwords, no prompt.

        For a stretch whose hinted text was dropped as made up (``media.transcripts.screening``):
        Whisper's sequential decoding, each 30 s on its own (``condition_on_previous_text`` off),
        at the recogniser's beam width and temperature 0 only. Whisper's temperature fallback
        samples again where a decode loops or is unsure; on a foreign voice that cost three times
        as much and, by chance, now and then wrote a short text that passes the screening
        ("铁铁铁铁", "辣椒"), where the temperature-0 decode loops to the end and is dropped
        again. Times are from the start of the recording.
        """
        samples = _read_span(audio_path, start_s, end_s)
        if len(samples) == 0:
            return ()
        found, info = self.model.transcribe(
            samples,
            language=language,
            word_timestamps=True,
            vad_filter=True,
            condition_on_previous_text=False,
            temperature=0.0,
            beam_size=self.beam_size,
        )
        offset_s = round(start_s * SAMPLE_RATE) / SAMPLE_RATE
        return tuple(_segment(raw, offset_s, info.language) for raw in found)

    def _window_length_s(self, duration_s: float) -> float:
        """Split the audio into equal windows, if it can into whole rounds of ``lanes``.

        Equal windows keep every lane busy to the end. Windows stay within ``window_s`` and at
        least one Whisper chunk long (unless the audio is shorter).
        """
        longest_s = self.window_s - _CUT_SEARCH_S / 2
        rounds = math.ceil(duration_s / (self.lanes * longest_s))
        count = max(1, min(self.lanes * rounds, int(duration_s // _MIN_LANE_WINDOW_S)))
        return duration_s / count

    def _run_lanes(
        self,
        windows: Iterator[tuple[float, np.ndarray]],
        language: str | None,
        lanes: _Lanes,
        report: Callable[[], None],
    ) -> tuple[str | None, tuple[Segment, ...]]:
        """Transcribe the windows, at most ``lanes`` at once; return the language and segments.

        A window is read only when a lane is free, so at most ``lanes`` windows are in memory.
        When ``language`` is None it is detected on the first window and used for all.
        """
        futures: list[Future[list[Segment]]] = []
        with ThreadPoolExecutor(self.lanes, thread_name_prefix="whisper-lane") as pool:
            try:
                for index, (offset_s, samples) in enumerate(windows):
                    batch = None
                    if language is None:  # detect once; start() returns before decoding
                        batch, language = lanes.start(samples, None, offset_s, lanes.watch(index))
                    lane = partial(lanes.collect, batch, language)
                    futures.append(pool.submit(lane, index, offset_s, samples))
                    futures[-1].add_done_callback(lambda _future: lanes.changed.set())
                    _await_lanes(futures, self.lanes - 1, lanes.changed, report)
                _await_lanes(futures, 0, lanes.changed, report)
            finally:
                lanes.stop.set()  # after an error, running lanes finish their batch and return
        return language, tuple(segment for future in futures for segment in future.result())

    def _start(
        self,
        samples: np.ndarray,
        language: str | None,
        offset_s: float,
        watch: _BatchWatch,
        *,
        hotwords: str | None,
        initial_prompt: str | None,
        hints: HintSource | None,
    ) -> tuple[Iterable[WhisperSegment], str]:
        """Run VAD and language detection on one window; return its lazy segments and language.

        ``watch`` hears how far each batch got.
        """
        if hints is None:
            pipeline = BatchedInferencePipeline(self.model)
        else:
            pipeline = hints.pipeline(self.model, offset_s)
        _watch_batches(pipeline, watch)
        batch, info = pipeline.transcribe(
            samples,
            language=language,
            hotwords=hotwords,
            initial_prompt=initial_prompt,
            batch_size=self.batch_size,
            beam_size=self.beam_size,
            word_timestamps=True,
            vad_filter=True,
            condition_on_previous_text=False,
        )
        return batch, info.language


def _await_lanes(
    futures: list[Future[list[Segment]]],
    max_running: int,
    changed: threading.Event,
    report: Callable[[], None],
) -> None:
    """Wait until at most ``max_running`` lanes run, reporting progress; raise a lane's error.

    Progress is reported each time ``changed`` is set (a lane moved or ended), at the latest
    every ``_PROGRESS_POLL_S``.
    """
    while True:
        changed.clear()
        for future in futures:
            if future.done():
                future.result()  # raises the lane's error
        report()
        running = [future for future in futures if not future.done()]
        if len(running) <= max_running:
            return
        changed.wait(_PROGRESS_POLL_S)


def _report_done(on_progress: ProgressCallback | None, lanes: _Lanes, duration_s: float) -> None:
    """Report the fraction of the audio done over all lanes."""
    if on_progress is not None and duration_s > 0:
        on_progress(min(lanes.done_s() / duration_s, 1.0))


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
        unique = [to_simplified(name) for name in unique]
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


def _read_span(audio_path: Path, start_s: float, end_s: float) -> np.ndarray:
    """Read the float32 samples between two times of a 16 kHz mono WAV (clipped to the file)."""
    with wave.open(str(audio_path), "rb") as wav:
        _check_wav(wav, audio_path)
        first = min(max(0, round(start_s * SAMPLE_RATE)), wav.getnframes())
        last = min(max(first, round(end_s * SAMPLE_RATE)), wav.getnframes())
        wav.setpos(first)
        return _float_samples(wav.readframes(last - first))


def _float_samples(raw: bytes) -> np.ndarray:
    """Convert 16-bit little-endian PCM to float32 samples in [-1, 1)."""
    return np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0


def _windows(wav: wave.Wave_read, window_s: float) -> Iterator[tuple[float, np.ndarray]]:
    """Yield (start seconds, float32 samples) windows of about ``window_s`` seconds.

    Each cut falls at the quietest moment within half the search span of a multiple of
    ``window_s``, so the windows stay about equal and cuts never drift.
    """
    step = int(window_s * SAMPLE_RATE)
    reach = int(_CUT_SEARCH_S * SAMPLE_RATE) // 2
    carry = np.zeros(0, dtype=np.float32)
    offset, boundary = 0, step
    while True:
        raw = wav.readframes(boundary + reach - offset - len(carry))
        fresh = _float_samples(raw)
        chunk = np.concatenate([carry, fresh])
        at_end = wav.tell() >= wav.getnframes()
        cut = len(chunk) if at_end else _quiet_cut(chunk)
        if cut > 0:
            yield offset / SAMPLE_RATE, chunk[:cut]
        if at_end:
            return
        carry, offset, boundary = chunk[cut:], offset + cut, boundary + step


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
    convert = to_simplified if language == "zh" else str
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
        avg_logprob=float(raw.avg_logprob),
        no_speech_prob=float(raw.no_speech_prob),
        compression_ratio=float(raw.compression_ratio),
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
