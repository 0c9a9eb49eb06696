"""Portal test fixtures."""

from __future__ import annotations

import pytest
from flask import Flask

from portal.extensions import limiter


@pytest.fixture(autouse=True)
def isolated_rate_limits(app: Flask) -> None:
    """Count this test's requests under its own key prefix.

    Flask-Limiter keeps the first app's ``RATELIMIT_KEY_PREFIX`` on the shared ``limiter``
    for good, so with Redis every test would add to the same counters (and meet a 429).
    """
    limiter._key_prefix = app.config["RATELIMIT_KEY_PREFIX"]
