"""Portal test fixtures: cheap argon2id parameters."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from portal.auth import passwords
from tests.conftest import TEST_PASSWORD

PRODUCTION_HASHER = passwords._hasher
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)


@pytest.fixture(scope="session")
def password_hash() -> str:
    """TEST_PASSWORD hashed with cheap argon2id parameters (same code, less CPU)."""
    return FAST_HASHER.hash(TEST_PASSWORD)


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hash and verify with cheap argon2id parameters; ``PRODUCTION_HASHER`` is checked apart."""
    monkeypatch.setattr(passwords, "_hasher", FAST_HASHER)
    monkeypatch.setattr(passwords, "_DUMMY_HASH", FAST_HASHER.hash("beltcast-no-such-user"))
