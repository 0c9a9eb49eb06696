"""Benchmark: bare faster-whisper against Beltcast's full transcription pipeline.

Builds a long test recording (espeak-ng English speech over an ffmpeg test pattern), then, in
one process, on the same file and model weights (loaded before timing):

1. bare: faster-whisper's ``BatchedInferencePipeline`` on the 16 kHz audio (word timestamps,
   VAD), the way its README runs it;
2. pipeline: Beltcast's job (probe → audio extraction → transcription → stored rows → items
   found) on a throw-away SQLite instance, its ``WhisperRecogniser`` transcribing ``--lanes``
   windows at once. The app, its migrated database, the shop and the upload are set up before
   the clock starts, as a worker has them; the job itself is timed.

It prints wall times, CPU seconds (this process and its children: ffmpeg), real-time factors and
the ratio pipeline ÷ bare, ``--rounds`` times back to back.
Targets on the 2-core reference machine (base model, int8): ratio ≤ 1.15, RTF ≤ 0.05.

With ``--stream-seed N`` the recording is instead the short English stream of that seed from
``bench.stream_script`` (4 items, about 3 minutes) and the shop has its 200-item near-miss catalog,
the 4 items on the recording's item list (``--no-list``: an empty list), so the pipeline's
recognition hints are at work; both runs then also report how many of the catalog names spoken
are written as the catalog spells them (a rough count; ``bench.stream_bench`` measures properly).

    .venv/bin/python -m bench.transcribe_pipeline [--minutes 10] [--lanes 2] [--keep DIR]
    .venv/bin/python -m bench.transcribe_pipeline --stream-seed 7 [--no-list] [--hint-tokens 120]
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
from flask import Flask

from bench.stream_script import Stream, make_stream
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


def build_stream(folder: Path, seed: int) -> tuple[Path, Stream]:
    """Speak the short English stream of ``seed``; return the recording and the stream."""
    stream = make_stream(seed, "en", quick=True)
    text = " ".join(paragraph.text for paragraph in stream.paragraphs)
    speech = make_english_speech(text, folder / "speech.wav", words_per_minute=160)
    return make_video_with_audio(speech, folder / "recording.mp4", size="320x240", rate=10), stream


def names_written(stream: Stream | None, text: str) -> str:
    """Count the catalog names spoken that the text writes as spelled (each at most as said)."""
    if stream is None:
        return ""
    spoken = [name.casefold() for paragraph in stream.paragraphs for name in paragraph.spoken]
    folded = text.casefold()
    found = sum(min(folded.count(name), spoken.count(name)) for name in set(spoken))
    return f"  names as spelled {found}/{len(spoken)}"


def audio_of(recording: Path, folder: Path) -> Path:
    """Extract the 16 kHz mono audio the bare run reads."""
    wav = folder / "bare.wav"
    run_ffmpeg("-i", str(recording), "-vn", "-ac", "1", "-ar", "16000", str(wav))
    return wav


def _cpu_s() -> float:
    """CPU seconds used so far by this process (all threads) and its finished children."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def timed(run: Callable[[], tuple[int, str]]) -> tuple[float, float, int, str]:
    """Run ``run``; return its wall seconds, CPU seconds and result (word count, text)."""
    wall, cpu = time.perf_counter(), _cpu_s()
    words, text = run()
    return time.perf_counter() - wall, _cpu_s() - cpu, words, text


def run_bare(model_dir: str, wav: Path, threads: int) -> tuple[int, str]:
    """Transcribe with faster-whisper alone; return the word count and the text."""
    pipeline = BatchedInferencePipeline(load_whisper_model(model_dir, threads))
    segments, _info = pipeline.transcribe(
        str(wav), language="en", batch_size=8, word_timestamps=True, vad_filter=True
    )
    found = list(segments)
    return sum(len(s.words or []) for s in found), " ".join(s.text for s in found)


def add_stream_items(org_id: int, recording_id: int, stream: Stream, listed: bool) -> None:
    """Give the shop the stream's 200-item catalog and, if ``listed``, the recording its items."""
    from media.recordings.models import Recording
    from media.recordings.stream_items import add_items
    from portal.catalog.models import Item
    from portal.extensions import db

    rows = {
        entry.sku: Item(org_id=org_id, sku=entry.sku, name=entry.names["en"][0],
                        aliases=list(entry.names["en"][1:]))
        for entry in stream.big_catalog
    }  # fmt: skip
    db.session.add_all(rows.values())
    db.session.commit()
    if listed:
        recording = db.session.get(Recording, recording_id)
        add_items(recording, None, [rows[entry.sku].id for entry in stream.items])


def prepare_pipeline(
    model_dir: str, recording: Path, folder: Path, args: argparse.Namespace, stream: Stream | None
) -> Flask:
    """Set up what a worker has before the job: the app, its database, the shop and its upload."""
    from flask_migrate import upgrade

    from media.recordings.models import Language
    from media.recordings.services import NewRecording, add_recording_from_file
    from portal import create_app
    from portal.organisations.services import create_organisation

    instance = Path(tempfile.mkdtemp(prefix="instance-", dir=folder))
    settings = {"INSTANCE_PATH": str(instance), "WHISPER_MODEL": model_dir,
                "WHISPER_THREADS": args.threads}  # fmt: skip
    if args.hint_tokens is not None:
        settings["WHISPER_HINT_TOKENS"] = args.hint_tokens
    app = create_app(settings)
    with app.app_context():
        upgrade()
        org = create_organisation("bench", "Bench jade shop", approved=True)
        details = NewRecording(title="bench", language=Language.EN, original_filename="b.mp4")
        added = add_recording_from_file(org.id, None, recording, details)
        if stream is not None:
            add_stream_items(org.id, added.id, stream, listed=not args.no_list)
    return app


def run_job(app: Flask, lanes: int) -> tuple[int, str]:
    """Run the queued job (probe, audio, transcript, rows, items); return stored words and text."""
    from sqlalchemy import func, select

    from media.transcripts.models import Sentence, Word
    from portal.extensions import db
    from portal.jobs.runner import run_queued_jobs

    with app.app_context():
        recogniser = partial(engine.WhisperRecogniser, lanes=lanes)
        with mock.patch.object(engine, "WhisperRecogniser", recogniser):
            run_queued_jobs()
        text = " ".join(db.session.scalars(select(Sentence.text).order_by(Sentence.position)))
        return db.session.scalar(select(func.count()).select_from(Word)) or 0, text


def main() -> None:
    """Build the recording, run both, print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="length of speech")
    parser.add_argument("--threads", type=int, default=2, help="CPU threads for CTranslate2")
    parser.add_argument(
        "--lanes", type=int, default=engine.DEFAULT_LANES, help="windows the pipeline runs at once"
    )
    parser.add_argument("--keep", type=Path, help="folder to keep the generated files in")
    parser.add_argument(
        "--stream-seed", type=int, help="a short generated stream with a 200-item catalog"
    )
    parser.add_argument("--no-list", action="store_true", help="leave its item list empty")
    parser.add_argument("--hint-tokens", type=int, help="BELTCAST_WHISPER_HINT_TOKENS to use")
    parser.add_argument("--rounds", type=int, default=1, help="bare then pipeline, this often")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="beltcast-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    stream = None
    if args.stream_seed is None:
        recording = build_recording(folder, args.minutes)
    else:
        recording, stream = build_stream(folder, args.stream_seed)
    model_dir = str(prepare_packaged_model(folder / "models"))
    wav = audio_of(recording, folder)
    duration = wav.stat().st_size / (16000 * 2)
    load_whisper_model(model_dir, args.threads)  # load both models before timing
    recogniser = engine.WhisperRecogniser(model_dir, cpu_threads=args.threads, lanes=args.lanes)
    print(
        f"audio: {duration / 60:.1f} min ({duration:.0f} s), threads {args.threads}, "
        f"pipeline lanes {recogniser.lanes}"
    )
    for _round in range(args.rounds):
        app = prepare_pipeline(model_dir, recording, folder, args, stream)
        bare = timed(lambda: run_bare(model_dir, wav, args.threads))
        pipeline = timed(lambda app=app: run_job(app, args.lanes))
        report(duration, stream, bare, pipeline)


def report(
    duration: float,
    stream: Stream | None,
    bare: tuple[float, float, int, str],
    pipeline: tuple[float, float, int, str],
) -> None:
    """Print one round: both runs and their ratios."""
    for name, (wall, cpu, words, text) in (
        ("bare faster-whisper", bare),
        ("beltcast pipeline", pipeline),
    ):
        print(
            f"{name:20} wall {wall:6.1f} s  RTF {wall / duration:.3f}  "
            f"cpu {cpu:6.1f} s  words {words}{names_written(stream, text)}"
        )
    print(
        f"ratio pipeline / bare: wall {pipeline[0] / bare[0]:.2f}, cpu {pipeline[1] / bare[1]:.2f}"
        "  (target <= 1.15; wall times need an otherwise idle machine)"
    )


if __name__ == "__main__":
    main()
