"""Benchmark: bare faster-whisper against Beltcast's full transcription pipeline.

Builds a long test recording (espeak-ng English speech over an ffmpeg test pattern), then, in
one process, on the same file and model weights (loaded before timing):

1. bare: faster-whisper's ``BatchedInferencePipeline`` on the 16 kHz audio (word timestamps,
   VAD), the way its README runs it;
2. pipeline: Beltcast's job (probe → audio extraction → transcription → stored rows) on a
   throw-away SQLite instance, its ``WhisperRecogniser`` transcribing ``--lanes`` windows at once.

It prints wall times, real-time factors and the ratio pipeline ÷ bare.
Targets on the 2-core reference machine (base model, int8): ratio ≤ 1.15, RTF ≤ 0.05.

    .venv/bin/python -m bench.transcribe_pipeline [--minutes 10] [--lanes 2] [--keep DIR]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from unittest import mock

from faster_whisper import BatchedInferencePipeline

from media.transcription import engine
from media.transcription.engine import load_whisper_model
from media.transcription.model import prepare_packaged_model
from tests.support.mediagen import make_english_speech, make_video_with_audio, run_ffmpeg

SENTENCES = (
    "Welcome back to the jade live stream, everyone.",
    "This ice jadeite bangle has a very clear texture and a soft green glow.",
    "Look at the light passing through the bangle, that is what we call good water.",
    "The inner diameter is fifty six millimetres, which fits most wrists.",
    "Every piece comes with a certificate from the national gemstone testing centre.",
    "Next is a white Hetian jade pendant carved as a small gourd.",
    "The Dushan jade ornament shows a mountain and river landscape.",
    "Freshwater pearl necklaces are on offer today for our new followers.",
    "Please ask in the comments if you want to see any piece more closely.",
    "We ship within two days and every order is insured.",
)


def build_recording(folder: Path, minutes: float) -> Path:
    """Write a recording of about ``minutes`` of speech and return its path."""
    words_per_minute = 160
    text, words = [], 0
    while words < minutes * words_per_minute:
        for sentence in SENTENCES:
            text.append(sentence)
            words += len(sentence.split())
    speech = make_english_speech(" ".join(text), folder / "speech.wav", words_per_minute=160)
    return make_video_with_audio(speech, folder / "recording.mp4", size="320x240", rate=10)


def audio_of(recording: Path, folder: Path) -> Path:
    """Extract the 16 kHz mono audio the bare run reads."""
    wav = folder / "bare.wav"
    run_ffmpeg("-i", str(recording), "-vn", "-ac", "1", "-ar", "16000", str(wav))
    return wav


def _cpu_s() -> float:
    """CPU seconds used so far by this process (all threads) and its finished children."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def timed(run: Callable[[], int]) -> tuple[float, float, int]:
    """Run ``run``; return its wall seconds, CPU seconds and result (a word count)."""
    wall, cpu = time.perf_counter(), _cpu_s()
    words = run()
    return time.perf_counter() - wall, _cpu_s() - cpu, words


def run_bare(model_dir: str, wav: Path, threads: int) -> int:
    """Transcribe with faster-whisper alone; return the word count."""
    pipeline = BatchedInferencePipeline(load_whisper_model(model_dir, threads))
    segments, _info = pipeline.transcribe(
        str(wav), language="en", batch_size=8, word_timestamps=True, vad_filter=True
    )
    return sum(len(segment.words or []) for segment in segments)


def run_pipeline(model_dir: str, recording: Path, folder: Path, threads: int, lanes: int) -> int:
    """Run Beltcast's job (probe, audio, transcript, rows) on the recording; return stored words."""
    from sqlalchemy import func, select

    from media.recordings.models import Language
    from media.recordings.services import NewRecording, add_recording_from_file
    from media.transcripts.models import Word
    from portal import create_app
    from portal.extensions import db
    from portal.jobs.runner import run_queued_jobs
    from portal.organisations.services import create_organisation

    instance = folder / "instance"
    app = create_app(
        {"INSTANCE_PATH": str(instance), "WHISPER_MODEL": model_dir, "WHISPER_THREADS": threads}
    )
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        org = create_organisation("bench", "Bench jade shop", approved=True)
        details = NewRecording(title="bench", language=Language.EN, original_filename="b.mp4")
        add_recording_from_file(org.id, None, recording, details)
        recogniser = partial(engine.WhisperRecogniser, lanes=lanes)
        with mock.patch.object(engine, "WhisperRecogniser", recogniser):
            run_queued_jobs()
        return db.session.scalar(select(func.count()).select_from(Word)) or 0


def main() -> None:
    """Build the recording, run both, print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="length of speech")
    parser.add_argument("--threads", type=int, default=2, help="CPU threads for CTranslate2")
    parser.add_argument(
        "--lanes", type=int, default=engine.DEFAULT_LANES, help="windows the pipeline runs at once"
    )
    parser.add_argument("--keep", type=Path, help="folder to keep the generated files in")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="beltcast-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    recording = build_recording(folder, args.minutes)
    model_dir = str(prepare_packaged_model(folder / "models"))
    wav = audio_of(recording, folder)
    duration = wav.stat().st_size / (16000 * 2)
    load_whisper_model(model_dir, args.threads)  # load both models before timing
    recogniser = engine.WhisperRecogniser(model_dir, cpu_threads=args.threads, lanes=args.lanes)
    bare = timed(lambda: run_bare(model_dir, wav, args.threads))
    pipeline = timed(lambda: run_pipeline(model_dir, recording, folder, args.threads, args.lanes))
    print(
        f"audio: {duration / 60:.1f} min ({duration:.0f} s), threads {args.threads}, "
        f"pipeline lanes {recogniser.lanes}"
    )
    for name, (wall, cpu, words) in (
        ("bare faster-whisper", bare),
        ("beltcast pipeline", pipeline),
    ):
        print(
            f"{name:20} wall {wall:6.1f} s  RTF {wall / duration:.3f}  "
            f"cpu {cpu:6.1f} s  words {words}"
        )
    print(
        f"ratio pipeline / bare: wall {pipeline[0] / bare[0]:.2f}, cpu {pipeline[1] / bare[1]:.2f}"
        "  (target <= 1.15; wall times need an otherwise idle machine)"
    )


if __name__ == "__main__":
    main()
