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


def make_english_speech(
    text: str, wav_path: Path, *, words_per_minute: int = 150, voice: str = "en-us"
) -> Path:
    """Speak ``text`` with espeak-ng (``voice``: an espeak-ng voice name) into a WAV file."""
    wav_path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(words_per_minute), "-w", str(wav_path), text],
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


def make_test_webm(out_path: Path, *, seconds: float = 2.0, size: str = "320x240") -> Path:
    """Write a short WebM (VP8 video, Opus audio) test clip."""
    out_path.parent.mkdir(parents=True, exist_ok=True)
    run_ffmpeg(
        "-f", "lavfi", "-i", f"testsrc2=size={size}:rate=25:duration={seconds}",
        "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
        "-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8",
        "-c:a", "libopus", "-shortest",
        str(out_path),
    )  # fmt: skip
    return out_path


def make_audio_only(out_path: Path, *, seconds: float = 2.0) -> Path:
    """Write a sine tone with no video (container from the suffix, e.g. ``.m4a``)."""
    out_path.parent.mkdir(parents=True, exist_ok=True)
    run_ffmpeg(
        "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
        "-c:a", "aac", "-b:a", "64k", str(out_path),
    )  # fmt: skip
    return out_path


def make_multi_audio_video(out_path: Path, *, audio_streams: int, seconds: float = 1.0) -> Path:
    """Write a test video with one video stream and ``audio_streams`` audio streams."""
    out_path.parent.mkdir(parents=True, exist_ok=True)
    sources = ["-f", "lavfi", "-i", f"testsrc2=size=160x120:rate=25:duration={seconds}"]
    maps = ["-map", "0:v"]
    for number in range(1, audio_streams + 1):
        sources += ["-f", "lavfi", "-i", f"sine=frequency={220 * number}:duration={seconds}"]
        maps += ["-map", f"{number}:a"]
    run_ffmpeg(
        *sources, *maps,
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-b:a", "32k", "-shortest",
        str(out_path),
    )  # fmt: skip
    return out_path


def make_png_image(out_path: Path) -> Path:
    """Write one PNG test-pattern frame to ``out_path`` (whatever its suffix)."""
    out_path.parent.mkdir(parents=True, exist_ok=True)
    run_ffmpeg(
        "-f", "lavfi", "-i", "testsrc2=size=64x64", "-frames:v", "1",
        "-c:v", "png", "-f", "image2", str(out_path),
    )  # fmt: skip
    return out_path


def make_hls_playlist(folder: Path, *, seconds: float = 2.0) -> Path:
    """Write an HLS playlist with one MPEG-TS segment next to it; return the playlist path."""
    segment = make_test_video(folder / "segment0.ts", seconds=seconds)
    playlist = folder / "playlist.m3u8"
    playlist.write_text(
        "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:"
        f"{int(seconds) + 1}\n#EXTINF:{seconds:.1f},\n{segment.name}\n#EXT-X-ENDLIST\n",
        encoding="utf-8",
    )
    return playlist


def make_concat_list(folder: Path, out_name: str = "list.mp4") -> Path:
    """Write an ffconcat list naming a real clip beside it; return the list path."""
    clip = make_test_video(folder / "part.mp4", seconds=1.0)
    listing = folder / out_name
    listing.write_text(f"ffconcat version 1.0\nfile {clip.name}\n", encoding="utf-8")
    return listing


def make_truncated_copy(source: Path, out_path: Path, *, keep_fraction: float) -> Path:
    """Copy the first ``keep_fraction`` of ``source`` to ``out_path``, like a cut-off upload."""
    data = source.read_bytes()
    out_path.write_bytes(data[: int(len(data) * keep_fraction)])
    return out_path


SHOP_TALK = (
    "Welcome back to the jade live stream, everyone. This ice jadeite bangle has a very clear "
    "texture and a soft green glow. Look at the light passing through the bangle, that is what "
    "we call good water. The inner diameter is fifty six millimetres, which fits most wrists. "
    "Every piece comes with a certificate from the national gemstone testing centre."
)


def make_speech_video(
    out_path: Path,
    *,
    seconds: float = 30.0,
    size: str = "640x360",
    rate: int = 30,
    text: str = SHOP_TALK,
    volume_db: float = 0.0,
    keyframe_every_s: float = 2.0,
    preset: str = "ultrafast",
) -> Path:
    """Write a test-pattern video with espeak-ng speech (looped to fill ``seconds``).

    ``volume_db`` shifts the speech level (espeak speaks at about -21 LUFS); keyframes come
    every ``keyframe_every_s`` seconds, so stream-copy cuts have known keyframes.
    """
    out_path.parent.mkdir(parents=True, exist_ok=True)
    speech = make_english_speech(text, out_path.with_name(f"{out_path.stem}.speech.wav"))
    gop = str(max(1, round(keyframe_every_s * rate)))
    run_ffmpeg(
        "-f", "lavfi", "-i", f"testsrc2=size={size}:rate={rate}",
        "-stream_loop", "-1", "-i", str(speech),
        "-map", "0:v", "-map", "1:a", "-t", f"{seconds}",
        "-af", f"volume={volume_db}dB",
        "-c:v", "libx264", "-preset", preset, "-g", gop, "-keyint_min", gop,
        "-sc_threshold", "0", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-b:a", "128k", "-ar", "48000",
        str(out_path),
    )  # fmt: skip
    return out_path
