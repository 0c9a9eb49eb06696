"""media.probe: allowlisted containers are described; everything else is refused with a reason."""

from pathlib import Path

import pytest

from media.probe import ProbeLimits, ProbeRejected, RejectReason, probe_media
from tests.support.mediagen import (
    make_audio_only,
    make_concat_list,
    make_hls_playlist,
    make_multi_audio_video,
    make_png_image,
    make_test_video,
    make_test_webm,
    make_truncated_copy,
    run_ffmpeg,
)

LIMITS = ProbeLimits()


def reject_reason(path: Path, limits: ProbeLimits = LIMITS) -> RejectReason:
    with pytest.raises(ProbeRejected) as caught:
        probe_media(path, limits)
    assert caught.value.message
    return caught.value.reason


@pytest.mark.parametrize(
    ("suffix", "container"),
    [
        (".mp4", "mov,mp4,m4a,3gp,3g2,mj2"),
        (".mov", "mov,mp4,m4a,3gp,3g2,mj2"),
        (".mkv", "matroska,webm"),
        (".flv", "flv"),
        (".ts", "mpegts"),
    ],
)
def test_probe_accepts_allowlisted_container(tmp_path: Path, suffix: str, container: str):
    clip = make_test_video(tmp_path / f"clip{suffix}", seconds=2.0, size="320x240", rate=25)
    result = probe_media(clip, LIMITS)
    assert result.container == container
    assert result.duration_s == pytest.approx(2.0, abs=0.1)
    assert (result.width, result.height) == (320, 240)
    assert result.fps == pytest.approx(25.0)
    assert (result.video_codec, result.audio_codec) == ("h264", "aac")
    assert result.audio_sample_rate > 0
    assert result.audio_channels == 1
    assert (result.video_streams, result.audio_streams, result.other_streams) == (1, 1, 0)


def test_probe_accepts_webm(tmp_path: Path):
    result = probe_media(make_test_webm(tmp_path / "clip.webm"), LIMITS)
    assert result.container == "matroska,webm"
    assert (result.video_codec, result.audio_codec) == ("vp8", "opus")


def test_probe_accepts_file_without_extension(tmp_path: Path):
    clip = make_test_video(tmp_path / "clip.mp4")
    stored = clip.rename(tmp_path / "0b7e4c2a")  # uploads are stored under generated ids
    assert probe_media(stored, LIMITS).container == "mov,mp4,m4a,3gp,3g2,mj2"


def test_probe_rejects_text_renamed_mp4(tmp_path: Path):
    fake = tmp_path / "notes.mp4"
    fake.write_text("Jade prices for today: bangle 1200, pendant 300.\n" * 20, encoding="utf-8")
    assert reject_reason(fake) is RejectReason.NOT_MEDIA


def test_probe_rejects_png_renamed_mp4(tmp_path: Path):
    assert reject_reason(make_png_image(tmp_path / "photo.mp4")) is RejectReason.NOT_MEDIA


def test_probe_rejects_zero_byte_file(tmp_path: Path):
    empty = tmp_path / "empty.mp4"
    empty.touch()
    assert reject_reason(empty) is RejectReason.NOT_MEDIA


def test_probe_rejects_random_bytes(tmp_path: Path):
    noise = tmp_path / "noise.mp4"
    noise.write_bytes(bytes(range(256)) * 64)
    assert reject_reason(noise) is RejectReason.NOT_MEDIA


def test_probe_rejects_hls_playlist(tmp_path: Path):
    playlist = make_hls_playlist(tmp_path)
    assert reject_reason(playlist) is RejectReason.UNSUPPORTED_CONTAINER


def test_probe_rejects_hls_playlist_renamed_mp4(tmp_path: Path):
    playlist = make_hls_playlist(tmp_path).rename(tmp_path / "upload.mp4")
    assert reject_reason(playlist) is RejectReason.UNSUPPORTED_CONTAINER


def test_probe_rejects_ffconcat_list(tmp_path: Path):
    assert reject_reason(make_concat_list(tmp_path)) is RejectReason.UNSUPPORTED_CONTAINER


def test_probe_rejects_other_containers(tmp_path: Path):
    avi = tmp_path / "clip.avi"
    run_ffmpeg("-i", str(make_test_video(tmp_path / "clip.mp4")), "-c", "copy", str(avi))
    assert reject_reason(avi) is RejectReason.UNSUPPORTED_CONTAINER


def test_probe_rejects_video_without_audio(tmp_path: Path):
    silent = make_test_video(tmp_path / "silent.mp4", with_audio=False)
    assert reject_reason(silent) is RejectReason.NO_AUDIO


def test_probe_rejects_audio_without_video(tmp_path: Path):
    assert reject_reason(make_audio_only(tmp_path / "sound.m4a")) is RejectReason.NO_VIDEO


def test_probe_rejects_too_large_frame(tmp_path: Path):
    clip = make_test_video(tmp_path / "clip.mp4", seconds=1.0, size="320x240")
    small = ProbeLimits(max_frame_long_side=300, max_frame_short_side=200)
    assert reject_reason(clip, small) is RejectReason.FRAME_TOO_LARGE


def test_probe_accepts_portrait_frame_within_limits(tmp_path: Path):
    clip = make_test_video(tmp_path / "clip.mp4", seconds=1.0, size="240x320")
    limits = ProbeLimits(max_frame_long_side=320, max_frame_short_side=240)
    assert (probe_media(clip, limits).width, probe_media(clip, limits).height) == (240, 320)


def test_probe_rejects_too_long(tmp_path: Path):
    clip = make_test_video(tmp_path / "clip.mp4", seconds=3.0)
    assert reject_reason(clip, ProbeLimits(max_duration_s=2.0)) is RejectReason.TOO_LONG


def test_probe_rejects_too_high_frame_rate(tmp_path: Path):
    clip = make_test_video(tmp_path / "clip.mp4", seconds=1.0, rate=60)
    assert reject_reason(clip, ProbeLimits(max_fps=50)) is RejectReason.FRAME_RATE_TOO_HIGH


def test_probe_rejects_too_many_streams(tmp_path: Path):
    clip = make_multi_audio_video(tmp_path / "clip.mkv", audio_streams=3)
    assert probe_media(clip, ProbeLimits(max_streams=4)).audio_streams == 3
    assert reject_reason(clip, ProbeLimits(max_streams=3)) is RejectReason.TOO_MANY_STREAMS


def test_probe_rejects_mp4_with_moov_cut_off(tmp_path: Path):
    clip = make_test_video(tmp_path / "clip.mp4", seconds=2.0)  # moov written at the end
    cut = make_truncated_copy(clip, tmp_path / "cut.mp4", keep_fraction=0.9)
    assert reject_reason(cut) is RejectReason.DAMAGED


def test_probe_rejects_faststart_mp4_cut_short(tmp_path: Path):
    clip = make_test_video(tmp_path / "clip.mp4", seconds=2.0)
    faststart = tmp_path / "faststart.mp4"
    run_ffmpeg("-i", str(clip), "-c", "copy", "-movflags", "+faststart", str(faststart))
    assert probe_media(faststart, LIMITS).duration_s == pytest.approx(2.0, abs=0.1)
    cut = make_truncated_copy(faststart, tmp_path / "cut.mp4", keep_fraction=0.5)
    assert reject_reason(cut) is RejectReason.DAMAGED
