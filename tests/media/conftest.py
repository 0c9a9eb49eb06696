"""Fixtures for the media engine tests: the packaged Whisper model, prepared once per session."""

from pathlib import Path

import pytest

from media.ffmpeg import find_ffmpeg
from media.transcription.model import prepare_packaged_model


@pytest.fixture(scope="session")
def ffmpeg_bin() -> str:
    return find_ffmpeg(None)


@pytest.fixture(scope="session")
def whisper_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return prepare_packaged_model(tmp_path_factory.mktemp("models"))
