"""Create, list, revoke and resolve API tokens; and authenticate API requests."""

from __future__ import annotations

import hashlib
import secrets

from flask import abort, request
from flask_login import current_user
from sqlalchemy import select

from portal.audit.services import record_event
from portal.auth.access import acting_user
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
        org_id=org_id,
        name=name.strip()[:100],
        token_hash=_hash(secret),
        prefix=secret[:12],
        created_by_id=actor.id,
    )
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


def may_use_api(user: User | None, org_id: int) -> bool:
    """Tell whether ``user`` may read organisation ``org_id``'s data through the API now.

    Only an active merchant of that organisation may, while it is approved (not pending,
    rejected or suspended). Asked on every request, so a token follows its owner's rights.
    """
    return bool(
        user is not None
        and user.is_active
        and user.is_merchant
        and user.org_id == org_id
        and user.org is not None
        and user.org.is_approved
    )


def token_for_secret(secret: str) -> ApiToken | None:
    """Return the unrevoked token of ``secret``, or None."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _hash(secret)))
    return token if token is not None and token.revoked_at is None else None


def _org_of_token(secret: str) -> int:
    """The organisation of a token: unknown or revoked answers 401; 403 if its owner may not
    use the API (any more)."""
    token = token_for_secret(secret)
    if token is None:
        abort(401)
    owner = db.session.get(User, token.created_by_id) if token.created_by_id else None
    if not may_use_api(owner, token.org_id):
        abort(403)
    token.last_used_at = utcnow()
    db.session.commit()
    return token.org_id


def api_org_id() -> int:
    """The organisation of an API request: a Bearer token, else a signed-in merchant.

    No credentials answer 401; a user who may not use the API (see ``may_use_api``), by
    session or as the token's owner, answers 403.
    """
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return _org_of_token(header.removeprefix("Bearer ").strip())
    if not current_user.is_authenticated:
        abort(401)
    user = acting_user()
    if user.org_id is None or not may_use_api(user, user.org_id):
        abort(403)
    return user.org_id
