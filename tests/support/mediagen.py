"""Generate small test media with real tools: espeak-ng speech and ffmpeg test sources."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


def ffmpeg_binary() -> str:
    """Return the ffmpeg used to build fixtures (the system one, else imageio-ffmpeg's)."""
    found = shutil.which("ffmpeg")
    if found:
        return found
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def run_ffmpeg(*args: str) -> None:
    """Run ffmpeg quietly with ``args``; raise if it fails."""
    subprocess.run(
        [ffmpeg_binary(), "-hide_banner", "-loglevel", "error", "-y", *args],
        check=True,
        timeout=300,
    )


def make_english_speech(text: str, wav_path: Path, *, words_per_minute: int = 150) -> Path:
    """Speak ``text`` with espeak-ng into a WAV file."""
    wav_path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["espeak-ng", "-v", "en-us", "-s", str(words_per_minute), "-w", str(wav_path), text],
        check=True,
        timeout=120,
    )
    return wav_path


def make_video_with_audio(
    audio_path: Path,
    out_path: Path,
    *,
    size: str = "320x240",
    rate: int = 25,
    extra_seconds: float = 0.5,
) -> Path:
    """Mux ``audio_path`` over an ffmpeg test pattern into ``out_path`` (container from suffix)."""
    out_path.parent.mkdir(parents=True, exist_ok=True)
    run_ffmpeg(
        "-f", "lavfi", "-i", f"testsrc2=size={size}:rate={rate}",
        "-i", str(audio_path),
        "-filter_complex", f"[1:a]apad=pad_dur={extra_seconds}[a]",
        "-map", "0:v", "-map", "[a]", "-shortest",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-b:a", "64k",
        str(out_path),
    )  # fmt: skip
    return out_path


def make_test_video(
    out_path: Path,
    *,
    seconds: float = 2.0,
    size: str = "320x240",
    rate: int = 25,
    with_audio: bool = True,
) -> Path:
    """Write a short test-pattern video (with a sine tone when ``with_audio``)."""
    out_path.parent.mkdir(parents=True, exist_ok=True)
    audio = ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}"] if with_audio else []
    audio_codec = ["-c:a", "aac", "-b:a", "64k"] if with_audio else []
    run_ffmpeg(
        "-f", "lavfi", "-i", f"testsrc2=size={size}:rate={rate}:duration={seconds}",
        *audio,
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
        *audio_codec,
        "-shortest",
        str(out_path),
    )  # fmt: skip
    return out_path
