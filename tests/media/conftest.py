"""Fixtures for the media engine tests (the Whisper model is the root conftest's, shared by all)."""

import pytest

from media.ffmpeg import find_ffmpeg


@pytest.fixture(scope="session")
def ffmpeg_bin() -> str:
    return find_ffmpeg(None)
