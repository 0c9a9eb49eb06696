"""Practice fixtures: a short spoken practice video and apps that transcribe it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from portal.jobs.queue import queue_of
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
def app_config(whisper_model_dir: Path) -> dict[str, Any]:
    """The session's prepared model, a queue of this test's own, and English pages."""
    return {
        "WHISPER_MODEL": str(whisper_model_dir),
        "QUEUE_NAME": f"test-practice-{uuid.uuid4().hex[:12]}",
        "BABEL_DEFAULT_LOCALE": "en",
    }


@pytest.fixture(autouse=True)
def _flush_queue(app: Flask) -> Iterator[None]:
    """Drop this test's queued messages (they live in Redis when CI runs on Redis)."""
    yield
    queue_of(app).huey.flush()
