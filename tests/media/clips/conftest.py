"""Fixtures for clip workshop tests: one transcribed two-item stream, cloned for every test.

Transcribing takes Whisper about ten seconds, so the session does it once, for real: a database
copied from the migrated template gets the organisation, its two catalog items and the stream
(ingested like the operator command does), and ``run_queued_jobs`` transcribes it and finds the
items. Every test then starts from its own copy of that database (SQLite: the file; PostgreSQL:
``CREATE DATABASE … TEMPLATE``) and of its media folder, so tests stay isolated.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_login import FlaskLoginClient

from media.recordings import services as recordings
from media.recordings.models import Language
from portal import create_app
from portal.auth.models import Role, User
from portal.catalog.models import Item
from portal.extensions import db, limiter
from portal.jobs.models import JobState
from portal.jobs.queue import queue_of
from portal.jobs.runner import run_queued_jobs
from portal.organisations.models import Organisation, OrgStatus
from tests.conftest import test_config
from tests.media.clips.helpers import add_catalog, detached


@dataclass(frozen=True)
class Seed:
    """The transcribed database every test copies, and the ids in it."""

    url: str
    media_root: Path
    org_id: int
    recording_id: int
    item_ids: dict[str, int]


def clip_config(whisper_model_dir: Path) -> dict[str, Any]:
    """Settings of every clip test app: the prepared model, an own queue, English pages."""
    return {
        "WHISPER_MODEL": str(whisper_model_dir),
        "QUEUE_NAME": f"test-clips-{uuid.uuid4().hex[:12]}",
        "BABEL_DEFAULT_LOCALE": "en",
    }


def _transcribe_seed(app: Flask, video: Path) -> tuple[int, int, dict[str, int]]:
    with app.app_context():
        org = Organisation(slug="cuiyu", name="店铺 cuiyu", status=OrgStatus.APPROVED)
        db.session.add(org)
        db.session.commit()
        item_ids = add_catalog(org.id)
        details = recordings.NewRecording(
            title="Jade stream", language=Language.EN, original_filename=video.name
        )
        recording = recordings.add_recording_from_file(org.id, None, video, details)
        assert run_queued_jobs()
        job = recordings.transcription_job(recording)
        assert job is not None
        assert job.state == JobState.SUCCEEDED, job.error
        queue_of(app).huey.flush()
        ids = org.id, recording.id
        db.session.remove()
        db.engine.dispose()
    return *ids, item_ids


@pytest.fixture(scope="session")
def seed(
    databases: Any,
    tmp_path_factory: pytest.TempPathFactory,
    whisper_model_dir: Path,
    workshop_video: Path,
) -> Iterator[Seed]:
    """Ingest and transcribe the stream once into a database kept for the session."""
    folder = tmp_path_factory.mktemp("clip-seed")
    with databases.fresh(folder) as url:
        config = test_config(folder / "instance", url, **clip_config(whisper_model_dir))
        app = create_app(config)
        limiter._key_prefix = app.config["RATELIMIT_KEY_PREFIX"]
        org_id, recording_id, item_ids = _transcribe_seed(app, workshop_video)
        yield Seed(url, Path(app.config["MEDIA_ROOT"]), org_id, recording_id, item_ids)


@pytest.fixture
def app_config(whisper_model_dir: Path) -> dict[str, Any]:
    """The clip test settings (a module may extend them)."""
    return clip_config(whisper_model_dir)


@pytest.fixture
def app(databases: Any, seed: Seed, tmp_path: Path, app_config: dict[str, Any]) -> Iterator[Flask]:
    """A fresh application on a fresh copy of the transcribed database and its media."""
    instance = tmp_path / "instance"
    shutil.copytree(seed.media_root, instance / "media")
    with databases.copy(seed.url, tmp_path) as url:
        application = create_app(test_config(instance, url, **app_config))
        application.test_client_class = FlaskLoginClient
        limiter._key_prefix = application.config["RATELIMIT_KEY_PREFIX"]
        yield application
        queue_of(application).huey.flush()
        with application.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def merchant_org(app: Flask, seed: Seed) -> Organisation:
    """The organisation that owns the stream and the two items."""
    with app.app_context():
        return detached(db.session.get(Organisation, seed.org_id))


@pytest.fixture
def recording_id(seed: Seed) -> int:
    """The transcribed stream's id."""
    return seed.recording_id


@pytest.fixture
def items(app: Flask, seed: Seed) -> dict[str, Item]:
    """The bangle and the necklace (detached), by key."""
    with app.app_context():
        return {key: detached(db.session.get(Item, i)) for key, i in seed.item_ids.items()}


@pytest.fixture
def other_merchant(make_org: Callable[..., Organisation], make_user: Callable[..., User]) -> User:
    """A merchant of another organisation."""
    return make_user(Role.MERCHANT, make_org("other"))
