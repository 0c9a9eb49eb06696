"""Practice fixtures: a short spoken practice video and apps that transcribe it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support import queues
from tests.support.mediagen import make_speech_video

SPEECH = "This jade bangle has the lowest price today. The light in the room is good."


@pytest.fixture(scope="session")
def practice_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small video of espeak-ng saying ``SPEECH`` (with a banned English claim)."""
    folder = tmp_path_factory.mktemp("practice-video")
    return make_speech_video(
        folder / "practice.mp4", seconds=6, size="160x120", rate=10, text=SPEECH
    )


@pytest.fixture
def extra_config(whisper_model_dir: Path) -> dict[str, Any]:
    """Transcribe with the session's prepared model."""
    return {"WHISPER_MODEL": str(whisper_model_dir)}


app_config = queues.app_config  # a queue of the test's own (test-practice-…), English pages
flush_queue = queues.flush_queue
