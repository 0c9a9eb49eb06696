"""Fixtures for the reliability tests: English pages, an own queue, real workers, fast hashing."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from flask import Flask

from portal.auth import passwords
from portal.jobs.queue import queue_of
from tests.conftest import TEST_PASSWORD
from tests.portal import test_tenancy
from tests.support.workers import Workers, worker_environment

# The tenancy walker's fixture: organisation A's objects (ids by kind) and B's merchant.
world = test_tenancy.world

FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)


@pytest.fixture(scope="session")
def password_hash() -> str:
    """TEST_PASSWORD hashed with cheap argon2id parameters (same code, less CPU)."""
    return FAST_HASHER.hash(TEST_PASSWORD)


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hash and verify with cheap argon2id parameters in this process."""
    monkeypatch.setattr(passwords, "_hasher", FAST_HASHER)
    monkeypatch.setattr(passwords, "_DUMMY_HASH", FAST_HASHER.hash("beltcast-no-such-user"))


@pytest.fixture
def extra_config() -> dict[str, Any]:
    """Settings a test adds to the app (parametrize it)."""
    return {}


@pytest.fixture
def app_config(extra_config: dict[str, Any]) -> dict[str, Any]:
    """A queue of this test's own, English pages."""
    return {
        "QUEUE_NAME": f"test-reliability-{uuid.uuid4().hex[:12]}",
        "BABEL_DEFAULT_LOCALE": "en",
        **extra_config,
    }


@pytest.fixture(autouse=True)
def _flush_queue(app: Flask) -> Iterator[None]:
    """Drop this test's queued messages (they live in Redis when CI runs on Redis)."""
    yield
    queue_of(app).huey.flush()


@pytest.fixture
def workers(app: Flask, tmp_path: Path) -> Iterator[Workers]:
    """Start real ``flask worker`` processes of the test app (no speech model); kill them after."""
    logs = tmp_path / "worker-logs"
    logs.mkdir()
    pool = Workers(worker_environment(app), logs)
    yield pool
    pool.stop_all()
