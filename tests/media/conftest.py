"""Fixtures for the media engine tests."""

import pytest

from media.ffmpeg import find_ffmpeg


@pytest.fixture(scope="session")
def ffmpeg_bin() -> str:
    return find_ffmpeg(None)
