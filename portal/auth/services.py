"""Account workflows: register, apply as merchant, sign in, reset, invite, administer."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flask_babel import gettext as _
from pypinyin import lazy_pinyin
from sqlalchemy import func, select

from portal.audit.services import record_event
from portal.auth import tokens
from portal.auth.models import OrgRole, Role, User
from portal.auth.passwords import hash_password, needs_rehash, verify_password
from portal.database import utcnow
from portal.errors import ServiceError
from portal.extensions import db
from portal.mail import send_mail
from portal.organisations.models import Organisation, OrgStatus
from portal.text_cleaning import clean_line

LinkBuilder = Callable[[str], str]
PASSWORD_MIN_LENGTH = 8


def normalise_email(email: str) -> str:
    """Return the canonical (trimmed, lower-case) form of an e-mail address."""
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    """Return the user with this e-mail address, if any."""
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def user_names(ids: Iterable[int | None]) -> dict[int, str]:
    """Return the names of the users ``ids`` name (who made or changed something)."""
    wanted = {user_id for user_id in ids if user_id}
    if not wanted:
        return {}
    rows = db.session.execute(select(User.id, User.name).where(User.id.in_(wanted)))
    return {row.id: row.name for row in rows}


def _require_free_email(email: str) -> None:
    if find_user_by_email(email) is not None:
        raise ServiceError(_("An account with this e-mail already exists."), field="email")


def register_streamer(name: str, email: str, password: str) -> User:
    """Create a streamer account."""
    _require_free_email(email)
    user = User(
        name=name.strip(),
        email=normalise_email(email),
        password_hash=hash_password(password),
        role=Role.STREAMER,
    )
    db.session.add(user)
    record_event(user, "user.registered", user, role=user.role)
    db.session.commit()
    return user


def unique_org_slug(name: str) -> str:
    """Make a URL-safe slug from an organisation name (pinyin for Chinese), unused so far."""
    words = [w for w in lazy_pinyin(name.strip().lower()) if w.isascii()]
    base = "-".join("".join(c for c in w if c.isalnum()) for w in words).strip("-")[:48] or "org"
    slug, n = base, 1
    while db.session.scalar(select(func.count()).where(Organisation.slug == slug)):
        n += 1
        slug = f"{base}-{n}"
    return slug


def apply_as_merchant(
    *, org_name: str, contact_phone: str, name: str, email: str, password: str
) -> User:
    """Create a pending organisation and its first member."""
    _require_free_email(email)
    org = Organisation(
        name=org_name.strip(),
        slug=unique_org_slug(org_name),
        status=OrgStatus.PENDING,
        contact_name=name.strip(),
        contact_phone=contact_phone.strip(),
    )
    db.session.add(org)
    db.session.flush()
    user = User(
        name=name.strip(),
        email=normalise_email(email),
        password_hash=hash_password(password),
        role=Role.MERCHANT,
        org_id=org.id,
        org_role=OrgRole.OWNER,
    )
    db.session.add(user)
    record_event(user, "organisation.applied", org, org_id=org.id)
    db.session.commit()
    return user


def authenticate(email: str, password: str) -> User:
    """Return the user if the credentials are right; one generic error otherwise."""
    user = find_user_by_email(email)
    if user is None or not verify_password(user.password_hash, password):
        raise ServiceError(_("Wrong e-mail or password."))
    if user.is_suspended:
        raise ServiceError(_("This account is suspended. Contact the base staff."))
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def request_password_reset(email: str, link_for: LinkBuilder) -> None:
    """Mail a reset link if the address has an account; say nothing either way."""
    user = find_user_by_email(email)
    if user is None or user.is_suspended or user.password_hash is None:
        return
    link = link_for(tokens.make_token(user, "reset"))
    send_mail(
        user.email,
        _("Reset your Beltcast password"),
        _("Open this link within an hour to choose a new password:\n%(link)s", link=link),
    )


def user_for_token(token: str, purpose: str) -> User:
    """Return the user of a valid token or raise a clear error."""
    max_age = tokens.RESET_MAX_AGE_S if purpose == "reset" else tokens.INVITE_MAX_AGE_S
    user = tokens.load_token(token, purpose, max_age)
    if user is None:
        raise ServiceError(_("This link is invalid, expired or already used."))
    return user


def set_password_with_token(token: str, purpose: str, password: str) -> User:
    """Set a new password through a reset or invitation link (each link works once)."""
    user = user_for_token(token, purpose)
    user.password_hash = hash_password(password)
    user.auth_version += 1
    record_event(user, f"user.password_set_by_{purpose}", user)
    db.session.commit()
    return user


def change_password(user: User, current: str, new: str) -> None:
    """Change a signed-in user's password after checking the current one."""
    if not verify_password(user.password_hash, current):
        raise ServiceError(_("The current password is wrong."), field="current_password")
    user.password_hash = hash_password(new)
    user.auth_version += 1
    record_event(user, "user.password_changed", user)
    db.session.commit()


def end_all_sessions(user: User) -> None:
    """Invalidate every session cookie of ``user`` (used at sign-out: cookies are stateless)."""
    user.auth_version += 1
    db.session.commit()


def set_locale(user: User, locale: str) -> None:
    """Remember the user's interface language."""
    user.locale = locale
    db.session.commit()


def update_account(user: User, *, name: str, locale: str) -> None:
    """Save the user's display name and interface language."""
    user.name = name.strip()
    set_locale(user, locale)


def create_user(
    *,
    email: str,
    name: str,
    role: Role,
    org: Organisation | None,
    password: str,
    actor: User | None = None,
) -> User:
    """Create an active account with a password (operators and demo data)."""
    _require_free_email(email)
    _check_org_for_role(role, org)
    if len(password) < PASSWORD_MIN_LENGTH:
        raise ServiceError(_("The password needs at least 8 characters."), field="password")
    user = User(
        email=normalise_email(email),
        name=clean_line(name).strip(),
        role=role,
        org_id=org.id if org else None,
        org_role=org_role_for(role, org),
        password_hash=hash_password(password),
    )
    db.session.add(user)
    record_event(actor, "user.created", user, org_id=user.org_id, role=role)
    db.session.commit()
    return user


def _check_org_for_role(role: Role, org: Organisation | None) -> None:
    if role == Role.MERCHANT and org is None:
        raise ServiceError(_("A merchant must belong to an organisation."), field="org")
    if role not in (Role.MERCHANT, Role.STREAMER) and org is not None:
        raise ServiceError(
            _("Only merchants and streamers belong to an organisation."), field="org"
        )


def org_role_for(
    role: Role, org: Organisation | None, wanted: OrgRole | None = None
) -> OrgRole | None:
    """The role inside ``org`` of a new ``role`` member: streamers stream; a merchant is
    ``wanted`` (owner or staff), by default the owner of an organisation that has none yet."""
    if org is None:
        return None
    if role == Role.STREAMER:
        return OrgRole.STREAMER
    if wanted in (OrgRole.OWNER, OrgRole.STAFF):
        return wanted
    has_owner = db.session.scalar(
        select(func.count())
        .select_from(User)
        .where(User.org_id == org.id, User.role == Role.MERCHANT, User.org_role == OrgRole.OWNER)
    )
    return OrgRole.STAFF if has_owner else OrgRole.OWNER


def invite_user(
    actor: User,
    *,
    email: str,
    name: str,
    role: Role,
    org: Organisation | None,
    link_for: LinkBuilder,
    org_role: OrgRole | None = None,
) -> User:
    """Create an account without a password and mail its owner an invitation link."""
    _require_free_email(email)
    _check_org_for_role(role, org)
    user = User(
        email=normalise_email(email),
        name=name.strip(),
        role=role,
        org_id=org.id if org else None,
        org_role=org_role_for(role, org, org_role),
        password_hash=None,
    )
    db.session.add(user)
    record_event(actor, "user.invited", user, org_id=user.org_id, role=role)
    db.session.commit()
    send_mail(
        user.email,
        _("You are invited to Beltcast"),
        _(
            "Open this link within 7 days to set your password:\n%(link)s",
            link=link_for(tokens.make_token(user, "invite")),
        ),
    )
    return user


def change_role(actor: User, user: User, role: Role, org: Organisation | None) -> None:
    """Give ``user`` a new role (and organisation, for merchants)."""
    _check_org_for_role(role, org)
    if user.id == actor.id and role != Role.ADMIN:
        raise ServiceError(_("You cannot remove your own administrator role."), field="role")
    old = {"role": user.role, "org_id": user.org_id}
    if (role, org and org.id) != (user.role, user.org_id):
        user.org_role = org_role_for(role, org)
    user.role = role
    user.org_id = org.id if org else None
    user.auth_version += 1
    record_event(actor, "user.role_changed", user, before=old, role=role, org_id=user.org_id)
    db.session.commit()


def set_suspended(actor: User, user: User, suspended: bool) -> None:
    """Suspend (signing out every session) or reinstate a user."""
    if user.id == actor.id:
        raise ServiceError(_("You cannot suspend yourself."))
    user.is_suspended = suspended
    user.auth_version += 1
    record_event(actor, "user.suspended" if suspended else "user.reinstated", user)
    db.session.commit()
