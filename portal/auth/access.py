"""Who may do what: role decorators and the current merchant organisation."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import abort
from flask_login import current_user, login_required

from portal.auth.models import Role, User
from portal.extensions import db

F = TypeVar("F", bound=Callable[..., Any])


def role_required(*roles: Role) -> Callable[[F], F]:
    """Require a signed-in user with one of ``roles``; others get 403."""

    def decorate(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return cast(F, wrapped)

    return decorate


def merchant_required(view: F) -> F:
    """Require a signed-in member of a merchant organisation."""
    return role_required(Role.MERCHANT)(view)


def org_reader_required(view: F) -> F:
    """Require a merchant of an organisation or one of its streamers (who read only their own
    live accounts' rows: the view narrows what they see); anyone else gets 403."""

    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        user = acting_user()
        if not (user.is_merchant or user.is_org_streamer):
            abort(403)
        return view(*args, **kwargs)

    return cast(F, wrapped)


def staff_required(view: F) -> F:
    """Require a signed-in trainer or administrator."""
    return role_required(Role.TRAINER, Role.ADMIN)(view)


def admin_required(view: F) -> F:
    """Require a signed-in administrator."""
    return role_required(Role.ADMIN)(view)


def acting_user() -> User:
    """Return the signed-in user as a ``User`` (for typed service calls)."""
    return cast(User, current_user._get_current_object())


def current_org_id() -> int:
    """Return the signed-in merchant's organisation id (merchant views only)."""
    org_id = acting_user().org_id
    if org_id is None:
        abort(403)
    return org_id


def load_user(session_id: str) -> User | None:
    """Return the user of a session id ``"<id>:<auth_version>"`` if it is still valid."""
    user_id, _, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.auth_version != int(version) or not user.is_active:
        return None
    return user
