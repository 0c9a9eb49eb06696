"""Browser tests use the shared fixtures of tests/support/browser.py, and the settings below.

Every browser test app transcribes with the packaged Whisper model (prepared once per session,
``whisper_model_dir``) and has a job queue of its own, so a test may ingest a recording (the
session's ``workshop_video`` or its own) and run its jobs. A module may still override
``app_config``, extending ``transcribing_config``.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest


def transcribing_config(whisper_model_dir: Path) -> dict[str, str]:
    """Settings of a browser test app: the prepared Whisper model and an own job queue."""
    return {"WHISPER_MODEL": str(whisper_model_dir), "QUEUE_NAME": f"test-{uuid.uuid4().hex[:12]}"}


@pytest.fixture
def app_config(whisper_model_dir: Path) -> dict[str, str]:
    """The browser test settings (see ``transcribing_config``)."""
    return transcribing_config(whisper_model_dir)
