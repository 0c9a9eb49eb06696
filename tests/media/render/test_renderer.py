"""media.render.renderer: real renders of generated media, checked frame by frame."""

import re
import subprocess
from pathlib import Path

import numpy as np
import pysubs2
import pytest
from PIL import Image

from media.ffmpeg import FfmpegError
from media.render import RenderError, RenderSpec, burn, render_clip
from media.render import renderer as renderer_module
from media.render.fonts import _from_package
from media.render.subtitles import write_ass
from tests.media.render.conftest import (
    FPS,
    RenderFn,
    audio_stream_duration,
    frame_at,
    video_stream_facts,
)
from tests.support.mediagen import make_speech_video

FRAME_S = 1 / FPS
CJK_CUE = (0.5, 2.5, "冰种翡翠手镯，水头很足 Jade")


def ebur128_integrated(ffmpeg_bin: str, path: Path) -> float:
    """Measure the integrated loudness of ``path`` with ffmpeg's ebur128 filter."""
    completed = subprocess.run(
        [ffmpeg_bin, "-hide_banner", "-nostats", "-i", str(path), "-vn",
         "-af", "ebur128", "-f", "null", "-"],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return float(re.findall(r"\bI:\s+(-?[\d.]+) LUFS", completed.stderr)[-1])


def mean_diff(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a - b).mean())


def test_reencoded_cut_is_frame_accurate_and_normalised(
    render: RenderFn, quiet_source: Path, ffmpeg_bin: str
):
    progress: list[float] = []
    result = render(
        quiet_source, in_s=5.2, out_s=11.7, loudness_lufs=-16.0, on_progress=progress.append
    )
    frames, video_s, width, height = video_stream_facts(result.video_path)
    assert (width, height) == (result.width, result.height) == (640, 360)
    assert abs(frames - round(6.5 * FPS)) <= 1
    assert abs(video_s - 6.5) <= FRAME_S
    assert abs(result.duration_s - 6.5) <= FRAME_S
    assert abs(audio_stream_duration(result.video_path) - video_s) <= FRAME_S
    # The first and last frames are the source's frames at in and just before out.
    for out_at, source_at in ((0.0, 5.2), (6.5 - FRAME_S, 11.7 - FRAME_S)):
        shown = frame_at(result.video_path, out_at)
        expected = mean_diff(shown, frame_at(quiet_source, source_at))
        assert expected < mean_diff(shown, frame_at(quiet_source, source_at - FRAME_S))
        assert expected < mean_diff(shown, frame_at(quiet_source, source_at + FRAME_S))
    assert ebur128_integrated(ffmpeg_bin, quiet_source) < -30  # it really had to be raised
    assert abs(ebur128_integrated(ffmpeg_bin, result.video_path) + 16.0) <= 1.5
    assert result.measured_lufs is not None
    assert abs(result.measured_lufs + 16.0) <= 1.5
    assert progress == sorted(progress)
    assert progress[-1] == 1.0
    assert len(progress) > 3


@pytest.mark.parametrize(
    ("profile", "fill", "size"),
    [
        ("vertical", "blur", (720, 1280)),
        ("vertical", "crop", (720, 1280)),
        ("square", "blur", (720, 720)),
        ("square", "crop", (720, 720)),
        ("original", "blur", (640, 360)),
    ],
)
def test_profile_sets_frame_size(
    render: RenderFn, source: Path, profile: str, fill: str, size: tuple[int, int]
):
    result = render(source, in_s=3.0, out_s=5.0, profile=profile, fill=fill, loudness_lufs=-16.0)
    assert (result.width, result.height) == size
    assert video_stream_facts(result.video_path)[2:] == size
    with Image.open(result.poster_path) as poster:
        assert poster.format == "JPEG"
        assert poster.size == size


def test_vertical_blur_keeps_whole_picture_over_darkened_background(render: RenderFn, source: Path):
    result = render(source, in_s=3.0, out_s=4.0, profile="vertical", fill="blur")
    frame = frame_at(result.video_path, 0.5)
    picture_top = (1280 - 406) // 2  # 640×360 fitted to 720 wide is 720×406 (even)
    background = frame[: picture_top - 10].mean()
    picture = frame[picture_top + 10 : 1280 - picture_top - 10].mean()
    assert background < picture * 0.8


def test_subtitles_are_burned_into_the_lower_part(render: RenderFn, source: Path):
    plain = render(source, "plain", profile="vertical", cues=[CJK_CUE], burn_subtitles=False)
    burned = render(source, "burned", profile="vertical", cues=[CJK_CUE])
    assert not [line for line in burned.warnings if "fontselect" in line or "Glyph" in line]
    with_text, without = frame_at(burned.video_path, 1.5), frame_at(plain.video_path, 1.5)
    upper = mean_diff(with_text[:640], without[:640])
    lower = mean_diff(with_text[900:], without[900:])
    assert upper < 1.5
    assert lower > 8 * max(upper, 0.5)
    # Outside the cue's time the two renders match everywhere.
    assert mean_diff(frame_at(burned.video_path, 2.8), frame_at(plain.video_path, 2.8)) < 1.5


@pytest.fixture
def ass_font_names(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the family each render's ASS style names (the real writer still writes it)."""
    names: list[str] = []

    def recording_write_ass(*args, font_name: str, **kwargs):
        names.append(font_name)
        return write_ass(*args, font_name=font_name, **kwargs)

    monkeypatch.setattr(burn, "write_ass", recording_write_ass)
    return names


def test_subtitles_are_drawn_in_the_simplified_chinese_face(
    render: RenderFn, source: Path, ass_font_names: list[str]
):
    burned = render(source, "burned", profile="square", cues=[CJK_CUE])
    assert ass_font_names == ["Noto Sans CJK SC"]  # not the Traditional (TC) shapes
    assert not [line for line in burned.warnings if "fontselect" in line or "Glyph" in line]


def test_cjk_text_is_drawn_with_the_packaged_font_without_system_fonts(
    render: RenderFn,
    source: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    ass_font_names: list[str],
):
    empty = tmp_path / "fonts.conf"
    empty.write_text(
        f"<?xml version='1.0'?><fontconfig><cachedir>{tmp_path}/fc</cachedir></fontconfig>",
        encoding="utf-8",
    )
    monkeypatch.setenv("FONTCONFIG_FILE", str(empty))  # as on a host without fonts-noto-cjk
    font = _from_package()
    assert font is not None
    plain = render(source, "plain", profile="square", cues=[CJK_CUE], burn_subtitles=False)
    burned = render(source, "burned", profile="square", cues=[CJK_CUE], font=font)
    assert not [line for line in burned.warnings if "fontselect" in line or "Glyph" in line]
    lower = mean_diff(frame_at(burned.video_path, 1.5)[500:], frame_at(plain.video_path, 1.5)[500:])
    assert lower > 5
    assert ass_font_names == ["Noto Sans CJK SC"]


def test_vtt_is_relative_to_the_clip_clipped_and_escaped(render: RenderFn, source: Path):
    cues = [
        (-1.0, 0.5, "before <b>start</b>"),
        (1.0, 2.0, "Tom & <Jerry> --> 翡翠"),
        (2.5, 9.0, "runs past the end"),
        (4.0, 5.0, "after the end"),
        (1.5, 1.8, "   "),
    ]
    result = render(source, cues=cues, burn_subtitles=False, profile="square")
    vtt = result.vtt_path.read_text(encoding="utf-8")
    subs = pysubs2.SSAFile.from_string(vtt, format_="vtt", keep_html_tags=True)
    assert vtt.startswith("WEBVTT\n")
    assert [(event.start, event.end, event.plaintext) for event in subs] == [
        (0, 500, "before &lt;b&gt;start&lt;/b&gt;"),
        (1000, 2000, "Tom &amp; &lt;Jerry&gt; → 翡翠"),
        (2500, 3000, "runs past the end"),
    ]


def test_stream_copy_when_only_a_cut_is_asked(render: RenderFn, source: Path):
    progress: list[float] = []
    # Keyframes every 2 s: a copy from 5.5 s starts at the keyframe at 4 s.
    result = render(
        source, in_s=5.5, out_s=9.0, cues=[(0.5, 1.0, "hi")], burn_subtitles=False,
        on_progress=progress.append,
    )  # fmt: skip
    assert (result.width, result.height) == (640, 360)
    assert abs(result.duration_s - 5.0) <= 2 * FRAME_S
    assert result.measured_lufs is None
    assert "00:00:02.000 --> 00:00:02.500\nhi" in result.vtt_path.read_text(encoding="utf-8")
    assert progress[-1] == 1.0
    # Copied, not re-encoded: x264 writes its settings only into the first frame it encodes,
    # and the source's first frame lies before the cut.
    assert b"x264 - core" not in result.video_path.read_bytes()


def test_stream_copy_starts_at_a_keyframe_between_whole_seconds(
    render: RenderFn, tmp_path_factory: pytest.TempPathFactory
):
    odd = make_speech_video(
        tmp_path_factory.mktemp("odd-gop") / "odd.mp4", seconds=10.0, keyframe_every_s=31 / FPS
    )
    # Keyframes every 31 frames: the one at or before 5.5 s is frame 155 (5.1667 s).
    result = render(odd, in_s=5.5, out_s=8.0, cues=[(0.5, 1.0, "hi")], burn_subtitles=False)
    frames, _video_s, _w, _h = video_stream_facts(result.video_path)
    assert abs(frames - (240 - 155)) <= 1  # the end of a copied cut is exact to a frame
    assert "00:00:00.833 --> 00:00:01.333\nhi" in result.vtt_path.read_text(encoding="utf-8")
    assert mean_diff(frame_at(result.video_path, 0.0), frame_at(odd, 155 / FPS)) < 3


def test_failed_render_leaves_no_files(render: RenderFn, source: Path, tmp_path: Path):
    garbage = tmp_path / "garbage.mp4"
    garbage.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 5000)
    with pytest.raises(RenderError, match="cannot be rendered"):
        render(garbage, "garbage", loudness_lufs=-16.0)
    with pytest.raises(RenderError, match="ends at"):
        render(source, "too-long", in_s=20.0, out_s=45.0)
    # The video succeeds but the poster cannot be written: the video is removed again.
    with pytest.raises(RenderError, match="ffmpeg"):
        render(source, "half", profile="square", poster_path=tmp_path / "missing" / "p.jpg")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["garbage.mp4"]


def test_ffmpeg_failure_leaves_no_files(render: RenderFn, source: Path, tmp_path: Path):
    failing = tmp_path / "ffmpeg"
    failing.write_text("#!/bin/sh\necho 'boom' >&2\nexit 1\n", encoding="utf-8")
    failing.chmod(0o755)
    spec = RenderSpec(
        source=source, in_s=1.0, out_s=2.0, video_path=tmp_path / "v.mp4",
        poster_path=tmp_path / "p.jpg", vtt_path=tmp_path / "s.vtt", profile="square",
    )  # fmt: skip
    with pytest.raises(RenderError) as raised:
        render_clip(spec, ffmpeg_bin=str(failing))
    assert "boom" in raised.value.stderr_tail
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ffmpeg"]


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Make ``tempfile`` work in a folder of this test's own, to see what a render leaves."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(folder))
    return folder


def test_failing_sound_stops_the_picture_and_leaves_no_files(
    render: RenderFn, source: Path, tmp_path: Path, private_tmp: Path,
    monkeypatch: pytest.MonkeyPatch,
):  # fmt: skip
    def failing_audio(*_args: object, **_kwargs: object) -> None:
        raise FfmpegError("the sound failed", "audio boom")

    monkeypatch.setattr(renderer_module, "encode_audio", failing_audio)
    progress: list[float] = []
    with pytest.raises(RenderError) as raised:
        render(source, in_s=0.0, out_s=20.0, profile="vertical", on_progress=progress.append)
    assert raised.value.stderr_tail == "audio boom"
    assert max(progress, default=0.0) < 0.5  # stopped early, not after the whole picture
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tmp"]
    assert not list(private_tmp.iterdir())


def test_cancelling_from_progress_stops_both_encodes_and_leaves_no_files(
    render: RenderFn, source: Path, tmp_path: Path, private_tmp: Path
):
    class JobCancelledError(Exception):
        pass

    def cancel_midway(fraction: float) -> None:
        if fraction > 0.2:
            raise JobCancelledError

    with pytest.raises(JobCancelledError):
        render(
            source, in_s=0.0, out_s=20.0, profile="vertical", loudness_lufs=-16.0,
            on_progress=cancel_midway,
        )  # fmt: skip
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tmp"]
    assert not list(private_tmp.iterdir())


def test_burned_subtitles_change_on_the_cue_frames(render: RenderFn, source: Path):
    cue = (1.1, 2.2, "冰种翡翠 Jade")  # frames 33 and 66: not redrawn anyway
    plain = render(source, "plain", profile="vertical", cues=[cue], burn_subtitles=False)
    burned = render(source, "burned", profile="vertical", cues=[cue])

    def lower_diff(at_s: float) -> float:
        return mean_diff(
            frame_at(burned.video_path, at_s)[900:], frame_at(plain.video_path, at_s)[900:]
        )

    for shown_at in (1.1, 2.2 - FRAME_S):
        assert lower_diff(shown_at) > 3
    for hidden_at in (1.1 - FRAME_S, 2.2):
        assert lower_diff(hidden_at) < 1.5
