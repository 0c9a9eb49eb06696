"""Fixtures for the clip renderer tests: generated sources, a render helper and frame probes."""

from collections.abc import Callable
from pathlib import Path

import av
import numpy as np
import pytest

from media.render import RenderResult, RenderSpec, render_clip
from tests.support.mediagen import make_speech_video

SOURCE_SECONDS = 30.0
FPS = 30


@pytest.fixture(scope="session")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 30 s 16:9 640×360 30 fps test pattern with speech, a keyframe every 2 s."""
    folder = tmp_path_factory.mktemp("render-source")
    return make_speech_video(folder / "source.mp4", seconds=SOURCE_SECONDS, rate=FPS)


@pytest.fixture(scope="session")
def quiet_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same speech 12 dB quieter (about -33 LUFS), so normalising must raise it a lot."""
    folder = tmp_path_factory.mktemp("render-quiet")
    return make_speech_video(folder / "quiet.mp4", seconds=12.0, rate=FPS, volume_db=-12.0)


RenderFn = Callable[..., RenderResult]


@pytest.fixture
def render(tmp_path: Path, ffmpeg_bin: str) -> RenderFn:
    """Render ``source`` into ``tmp_path/<name>.*`` with ``RenderSpec`` keyword overrides."""

    def _render(
        source: Path, name: str = "clip", *, on_progress=None, font=None, **overrides
    ) -> RenderResult:
        options = {
            "in_s": 5.0,
            "out_s": 8.0,
            "video_path": tmp_path / f"{name}.mp4",
            "poster_path": tmp_path / f"{name}.jpg",
            "vtt_path": tmp_path / f"{name}.vtt",
            "loudness_lufs": None,
            **overrides,
        }
        spec = RenderSpec(source=source, **options)
        return render_clip(spec, ffmpeg_bin=ffmpeg_bin, on_progress=on_progress, font=font)

    return _render


def frame_at(path: Path, at_s: float) -> np.ndarray:
    """Decode the frame shown at ``at_s`` in ``path`` (or its first frame) as an RGB array."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        container.seek(int(max(0.0, at_s - 1.0) * av.time_base), backward=True)
        shown = None
        for frame in container.decode(stream):
            if frame.time is not None and frame.time > at_s + 1e-6:
                shown = shown or frame  # before the first frame: the first frame
                break
            shown = frame
        assert shown is not None
        return shown.to_ndarray(format="rgb24").astype(np.int16)


def video_stream_facts(path: Path) -> tuple[int, float, int, int]:
    """Return the number of video frames, the video duration, width and height."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = sum(1 for _ in container.demux(stream) if _.size)
        duration = float(stream.duration * stream.time_base) if stream.duration else 0.0
        return frames, duration, stream.codec_context.width, stream.codec_context.height


def audio_stream_duration(path: Path) -> float:
    """Return the duration of the first audio stream in seconds."""
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        return float(stream.duration * stream.time_base) if stream.duration else 0.0
