"""Fixtures for the reliability tests: English pages, an own queue, real workers, fast hashing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from tests.portal import test_tenancy
from tests.support import hashing, queues
from tests.support.workers import Workers, worker_environment

# The tenancy walker's fixture: organisation A's objects (ids by kind) and B's merchant.
world = test_tenancy.world

# Cheap argon2id parameters; a queue of each test's own with English pages, flushed after it.
password_hash = hashing.password_hash
fast_password_hashing = hashing.fast_password_hashing
extra_config = queues.extra_config
app_config = queues.app_config
flush_queue = queues.flush_queue


@pytest.fixture
def workers(app: Flask, tmp_path: Path) -> Iterator[Workers]:
    """Start real ``flask worker`` processes of the test app (no speech model); kill them after."""
    logs = tmp_path / "worker-logs"
    logs.mkdir()
    pool = Workers(worker_environment(app), logs)
    yield pool
    pool.stop_all()
