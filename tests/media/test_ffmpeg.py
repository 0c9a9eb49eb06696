"""media.ffmpeg: the runner, atomic outputs, progress and errors, with the real ffmpeg."""

import wave
from pathlib import Path

import ffmpeg
import pytest

from media.ffmpeg import (
    FfmpegError,
    build_command,
    extract_audio,
    find_ffmpeg,
    input_file,
    run_to_file,
)
from tests.support.mediagen import make_test_video


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_test_video(tmp_path_factory.mktemp("clip") / "clip.mp4", seconds=3.0)


def test_find_ffmpeg_prefers_configured_then_path(tmp_path: Path):
    assert find_ffmpeg(None).endswith("ffmpeg")
    assert find_ffmpeg("ffmpeg") == find_ffmpeg(None)
    with pytest.raises(FileNotFoundError, match="configured ffmpeg"):
        find_ffmpeg(str(tmp_path / "no-such-ffmpeg"))


def test_build_command_whitelists_protocols_before_every_input(ffmpeg_bin: str, clip: Path):
    video, audio = input_file(clip), input_file(clip, ss=1)  # two distinct inputs
    args = build_command(ffmpeg.output(video.video, audio.audio, "file:/tmp/out.mp4"), ffmpeg_bin)
    assert args[0] == ffmpeg_bin
    assert {"-nostdin", "-hide_banner", "-nostats"} <= set(args)
    assert args[args.index("-progress") + 1] == "pipe:1"
    inputs = [i for i, arg in enumerate(args) if arg == "-i"]
    assert len(inputs) == 2
    for i in inputs:
        assert args[i - 2 : i] == ["-protocol_whitelist", "file,pipe"]
        assert args[i + 1] == f"file:{clip.resolve()}"


def test_build_command_refuses_inputs_that_are_not_files(ffmpeg_bin: str):
    source = ffmpeg.input("testsrc2", f="lavfi")
    with pytest.raises(ValueError, match="file: URLs"):
        build_command(ffmpeg.output(source, "file:/tmp/out.mp4"), ffmpeg_bin)


def test_extract_audio_writes_16k_mono_wav_and_reports_progress(
    ffmpeg_bin: str, clip: Path, tmp_path: Path
):
    progress: list[float] = []
    dest = extract_audio(
        clip, tmp_path / "audio.wav", ffmpeg_bin=ffmpeg_bin, duration_s=3.0,
        on_progress=progress.append,
    )  # fmt: skip
    with wave.open(str(dest), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 16000)
        assert wav.getnframes() / 16000 == pytest.approx(3.0, abs=0.1)
    assert progress
    assert progress == sorted(progress)
    assert progress[-1] == pytest.approx(1.0)
    assert all(0.0 <= value <= 1.0 for value in progress)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["audio.wav"]


def test_extract_audio_of_bad_input_raises_with_stderr_and_leaves_no_file(
    ffmpeg_bin: str, tmp_path: Path
):
    bad = tmp_path / "bad.mp4"
    bad.write_text("this is not a video\n", encoding="utf-8")
    with pytest.raises(FfmpegError) as caught:
        extract_audio(bad, tmp_path / "audio.wav", ffmpeg_bin=ffmpeg_bin, duration_s=1.0)
    assert "exit status" in caught.value.message
    assert "Invalid data" in caught.value.stderr_tail
    assert "Invalid data" in str(caught.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.mp4"]


def test_extract_audio_of_silent_video_fails_and_keeps_old_output(ffmpeg_bin: str, tmp_path: Path):
    silent = make_test_video(tmp_path / "silent.mp4", seconds=1.0, with_audio=False)
    dest = tmp_path / "audio.wav"
    dest.write_bytes(b"previous")
    with pytest.raises(FfmpegError) as caught:
        extract_audio(silent, dest, ffmpeg_bin=ffmpeg_bin, duration_s=1.0)
    assert "matches no streams" in caught.value.stderr_tail
    assert dest.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["audio.wav", "silent.mp4"]


def test_run_to_file_times_out_and_removes_partial_output(
    ffmpeg_bin: str, clip: Path, tmp_path: Path
):
    slow = input_file(clip, re=None)  # -re reads at playback speed: 3 s for this clip
    with pytest.raises(FfmpegError, match="timed out"):
        run_to_file(
            [slow.audio], tmp_path / "out.wav", ffmpeg_bin=ffmpeg_bin, duration_s=3.0,
            timeout_s=0.5,
        )  # fmt: skip
    assert list(tmp_path.iterdir()) == []


def test_progress_callback_can_cancel_the_run(ffmpeg_bin: str, clip: Path, tmp_path: Path):
    class JobCancelledError(Exception):
        pass

    def cancel(fraction: float) -> None:
        raise JobCancelledError

    slow = input_file(clip, re=None)
    with pytest.raises(JobCancelledError):
        run_to_file(
            [slow.audio], tmp_path / "out.wav", ffmpeg_bin=ffmpeg_bin, duration_s=3.0,
            on_progress=cancel,
        )  # fmt: skip
    assert list(tmp_path.iterdir()) == []
