"""Signed, expiring, single-use tokens for password reset and invitations.

A token embeds a fingerprint of the current password hash: setting a password changes
the hash, so a used token stops working.
"""

from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from portal.auth.models import User
from portal.extensions import db

RESET_MAX_AGE_S = 3600
INVITE_MAX_AGE_S = 7 * 24 * 3600


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"beltcast-{purpose}")


def _fingerprint(user: User) -> str:
    return hashlib.sha256((user.password_hash or "unset").encode()).hexdigest()[:16]


def make_token(user: User, purpose: str) -> str:
    """Return a token that lets ``user`` set a password for ``purpose``."""
    return _serializer(purpose).dumps({"uid": user.id, "fp": _fingerprint(user)})


def load_token(token: str, purpose: str, max_age_s: int) -> User | None:
    """Return the user a valid, unused, unexpired token names, else None."""
    try:
        data = _serializer(purpose).loads(token, max_age=max_age_s)
    except BadSignature:
        return None
    user = db.session.get(User, data.get("uid"))
    if user is None or data.get("fp") != _fingerprint(user):
        return None
    return user
