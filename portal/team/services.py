"""Team workflows: an organisation's members, invited, given a role inside it, or removed.

Only the owner manages the team; an organisation always keeps at least one owner, and nobody
removes themselves. A removed member keeps their account as a plain streamer (their courses and
certificates stay theirs) and loses every session.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from portal.audit.services import record_event
from portal.auth import services as accounts
from portal.auth.models import OrgRole, Role, User
from portal.errors import ServiceError
from portal.extensions import db
from portal.organisations.models import Organisation
from portal.team.models import LiveAccount


def list_members(org_id: int) -> list[User]:
    """Return the organisation's members, owners first, then by name."""
    members = db.session.scalars(select(User).where(User.org_id == org_id).order_by(User.name))
    order = {OrgRole.OWNER: 0, OrgRole.STAFF: 1, OrgRole.STREAMER: 2}
    return sorted(members, key=lambda user: order[user.team_role or OrgRole.STAFF])


def org_streamers(org_id: int) -> list[User]:
    """Return the organisation's streamers, by name (who may stream on its accounts)."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.org_id == org_id, User.role == Role.STREAMER)
            .order_by(User.name, User.id)
        )
    )


def invite_member(
    actor: User,
    org: Organisation,
    *,
    email: str,
    name: str,
    org_role: OrgRole,
    link_for: accounts.LinkBuilder,
) -> User:
    """Create a member without a password and mail them a link to set one."""
    role = Role.STREAMER if org_role == OrgRole.STREAMER else Role.MERCHANT
    return accounts.invite_user(
        actor, email=email, name=name, role=role, org=org, link_for=link_for, org_role=org_role
    )


def _owner_count(org_id: int) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(User)
        .where(User.org_id == org_id, User.role == Role.MERCHANT, User.org_role == OrgRole.OWNER)
    )


def _keep_an_owner(member: User, message: str) -> None:
    """Refuse to take the organisation's last owner away."""
    if member.is_org_owner and _owner_count(member.org_id or 0) <= 1:
        raise ServiceError(message)


def change_member_role(actor: User, member: User, org_role: OrgRole) -> None:
    """Make ``member`` an owner, staff or streamer of their organisation."""
    if member.team_role == org_role:
        return
    _keep_an_owner(member, _("The organisation needs at least one owner."))
    before = {"role": member.role, "org_role": member.org_role}
    member.role = Role.STREAMER if org_role == OrgRole.STREAMER else Role.MERCHANT
    member.org_role = org_role
    member.auth_version += 1
    if org_role != OrgRole.STREAMER:
        _release_accounts(member)
    record_event(actor, "team.role_changed", member, before=before, org_role=org_role)
    db.session.commit()


def remove_member(actor: User, member: User) -> None:
    """Take ``member`` out of the organisation (not yourself, not the last owner)."""
    if member.id == actor.id:
        raise ServiceError(_("You cannot remove yourself from the team."))
    _keep_an_owner(member, _("The last owner cannot be removed."))
    org_id = member.org_id
    _release_accounts(member)
    member.role, member.org_id, member.org_role = Role.STREAMER, None, None
    member.auth_version += 1
    record_event(actor, "team.member_removed", member, org_id=org_id)
    db.session.commit()


def _release_accounts(member: User) -> None:
    """The member no longer streams on the organisation's accounts."""
    db.session.execute(
        update(LiveAccount).where(LiveAccount.streamer_id == member.id).values(streamer_id=None)
    )
