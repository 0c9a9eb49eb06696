"""Portal test fixtures: cheap argon2id parameters."""

from __future__ import annotations

from portal.auth import passwords
from tests.support import hashing

PRODUCTION_HASHER = passwords._hasher  # checked apart by test_auth (the fixtures swap it out)

password_hash = hashing.password_hash
fast_password_hashing = hashing.fast_password_hashing
