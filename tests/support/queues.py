"""A job queue of each test's own, with English pages; its messages are dropped after the test.

A conftest or test module takes the fixtures as its own (``app_config = queues.app_config``).
The queue is named after the test's folder (``test-jobs-…``), as each folder named it before.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from portal.jobs.queue import queue_of


@pytest.fixture
def extra_config() -> dict[str, Any]:
    """Settings a test adds to the app (parametrize it)."""
    return {}


@pytest.fixture
def app_config(request: pytest.FixtureRequest, extra_config: dict[str, Any]) -> dict[str, Any]:
    """A queue of this test's own, English pages, and ``extra_config``."""
    return {
        "QUEUE_NAME": f"test-{request.path.parent.name}-{uuid.uuid4().hex[:12]}",
        "BABEL_DEFAULT_LOCALE": "en",
        **extra_config,
    }


@pytest.fixture(autouse=True)
def flush_queue(app: Flask) -> Iterator[None]:
    """Drop this test's queued messages (they live in Redis when CI runs on Redis)."""
    yield
    queue_of(app).huey.flush()
