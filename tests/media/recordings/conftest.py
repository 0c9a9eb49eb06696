"""Fixtures for recording tests: spoken test videos, an app wired to the prepared model."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from portal.catalog.models import Item
from portal.jobs.queue import queue_of
from portal.organisations.models import Organisation
from tests.media.recordings.helpers import ingest, load_job, run_jobs
from tests.support.mediagen import make_english_speech, make_video_with_audio

SPEECH = (
    "Welcome to the jade live stream. This bangle is real jadeite. The price is very good today."
)

# About 75 seconds of espeak-ng speech: long enough that transcription takes a few seconds.
LONG_SPEECH = " ".join(
    [
        "Good evening everyone and welcome back to our jade live stream.",
        "Tonight we have many beautiful pieces from the market for you.",
        "The first item is a green jadeite bangle with very clear colour.",
        "Please look at the light coming through the stone, it is bright and even.",
        "This bangle comes with a certificate from the laboratory.",
        "The inner size is fifty six millimetres, which fits most people.",
        "The second item is a white jade pendant carved with a small lotus flower.",
        "The carving is fine and the surface is smooth and warm to the touch.",
        "Next we have a pearl necklace made of freshwater pearls.",
        "Every pearl is round and the shine is very strong under the lamp.",
        "After that there is an agate ring in a deep red colour.",
        "Many of you asked about the price of the bangle yesterday.",
        "Today the price is very good, so please add it to your cart now.",
        "If you have any questions, write them in the comments and I will answer.",
        "Remember that every piece is real and you can return it within seven days.",
        "Thank you for watching, and see you again tomorrow evening.",
    ]
)


@pytest.fixture(scope="session")
def speech_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A six-second MP4: a test pattern with espeak-ng speaking ``SPEECH``."""
    folder = tmp_path_factory.mktemp("speech-video")
    spoken = make_english_speech(SPEECH, folder / "speech.wav")
    return make_video_with_audio(spoken, folder / "jade-stream.mp4")


@pytest.fixture(scope="session")
def long_speech_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A video of about 75 s of espeak-ng speech (``LONG_SPEECH``), small and quick to encode."""
    folder = tmp_path_factory.mktemp("long-speech-video")
    spoken = make_english_speech(LONG_SPEECH, folder / "speech.wav", words_per_minute=160)
    return make_video_with_audio(spoken, folder / "long-stream.mp4", size="160x120", rate=10)


@pytest.fixture
def extra_config() -> dict[str, Any]:
    """Settings a test adds to the app (parametrize it)."""
    return {}


@pytest.fixture
def app_config(whisper_model_dir: Path, extra_config: dict[str, Any]) -> dict[str, Any]:
    """The session's prepared model, a queue of this test's own, and English pages."""
    return {
        "WHISPER_MODEL": str(whisper_model_dir),
        "QUEUE_NAME": f"test-recordings-{uuid.uuid4().hex[:12]}",
        "BABEL_DEFAULT_LOCALE": "en",
        **extra_config,
    }


@pytest.fixture(autouse=True)
def _flush_queue(app: Flask) -> Iterator[None]:
    """Drop this test's queued messages (they live in Redis when CI runs on Redis)."""
    yield
    queue_of(app).huey.flush()


@pytest.fixture
def catalog(make_item: Callable[..., Item], merchant_org: Organisation) -> list[Item]:
    """Two English catalog items with aliases, as the merchant would enter them."""
    return [
        make_item(
            merchant_org, "A1", name="jadeite bangle", aliases=["jade bangle", "green bangle"]
        ),
        make_item(merchant_org, "A2", name="Hetian jade pendant", aliases=["white jade pendant"]),
    ]


@pytest.fixture
def transcribed(app: Flask, merchant_org: Organisation, speech_video: Path) -> int:
    """The id of a recording of ``merchant_org`` that went through the whole pipeline."""
    recording_id = ingest(app, merchant_org, speech_video)
    assert run_jobs(app)
    job = load_job(app, recording_id)
    assert job.state == "succeeded", job.error
    return recording_id
