"""Cheap argon2id parameters for test folders that sign in a lot (same code, less CPU).

A folder's conftest takes both fixtures as its own: ``password_hash = hashing.password_hash``.
"""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from portal.auth import passwords
from tests.conftest import TEST_PASSWORD

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
