"""Create, list, revoke and resolve API tokens; and authenticate API requests."""

from __future__ import annotations

import hashlib
import secrets

from flask import abort, request
from flask_login import current_user
from sqlalchemy import select

from portal.audit.services import record_event
from portal.auth.models import User
from portal.database import utcnow
from portal.extensions import db
from portal.organisations.scoping import scoped
from portal.tokens.models import ApiToken

TOKEN_PREFIX = "bct_"


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(org_id: int, actor: User, name: str) -> tuple[ApiToken, str]:
    """Create a token; return it and its secret (shown once, never stored)."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        org_id=org_id, name=name.strip()[:100], token_hash=_hash(secret),
        prefix=secret[:12], created_by_id=actor.id,
    )  # fmt: skip
    db.session.add(token)
    record_event(actor, "token.created", token, org_id=org_id, name=token.name)
    db.session.commit()
    return token, secret


def list_tokens(org_id: int) -> list[ApiToken]:
    """Return the organisation's tokens, newest first."""
    return list(db.session.scalars(scoped(ApiToken, org_id).order_by(ApiToken.id.desc())))


def revoke_token(token: ApiToken, actor: User) -> None:
    """Stop a token from working."""
    token.revoked_at = token.revoked_at or utcnow()
    record_event(actor, "token.revoked", token, org_id=token.org_id)
    db.session.commit()


def org_for_secret(secret: str) -> int | None:
    """Return the organisation of a valid, unrevoked token secret."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _hash(secret)))
    if token is None or token.revoked_at is not None:
        return None
    token.last_used_at = utcnow()
    db.session.commit()
    return token.org_id


def api_org_id() -> int:
    """The organisation of an API request: a Bearer token, else a signed-in merchant.

    No credentials answer 401; a signed-in user who is not a merchant answers 403.
    """
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        org_id = org_for_secret(header.removeprefix("Bearer ").strip())
        if org_id is None:
            abort(401)
        return org_id
    if current_user.is_authenticated:
        if current_user.is_merchant:
            return current_user.org_id
        abort(403)
    abort(401)
