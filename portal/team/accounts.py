"""Live accounts (直播账号): an organisation's streaming accounts, added, changed, deleted."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from portal.audit.services import record_event
from portal.auth.models import Role, User
from portal.auth.services import user_names
from portal.errors import ServiceError
from portal.extensions import db
from portal.organisations.scoping import scoped
from portal.team.models import LiveAccount, Platform
from portal.team.signals import live_account_deleted


@dataclass(frozen=True)
class AccountDetails:
    """What a form says about an account; ``streamer_id`` 0 or None: nobody in particular."""

    platform: Platform
    name: str
    studio: str
    streamer_id: int | None


def list_accounts(org_id: int) -> list[LiveAccount]:
    """Return the organisation's live accounts by studio, platform and name."""
    statement = scoped(LiveAccount, org_id).order_by(
        LiveAccount.studio, LiveAccount.platform, LiveAccount.name, LiveAccount.id
    )
    return list(db.session.scalars(statement))


@dataclass(frozen=True)
class AccountFilter:
    """A list's live-account filter: the accounts offered (id -> label) and the one chosen."""

    names: dict[int, str]
    chosen: int | None


def account_filter(accounts: list[LiveAccount], asked: int | None) -> AccountFilter:
    """Offer ``accounts``; ``asked`` (from the query) counts only if it is one of them."""
    names = {account.id: account.label for account in accounts}
    return AccountFilter(names, asked if asked in names else None)


def find_account(org_id: int, account_id: int | None) -> LiveAccount | None:
    """Return the organisation's live account ``account_id``, if there is one."""
    if not account_id:
        return None
    return db.session.scalar(scoped(LiveAccount, org_id).where(LiveAccount.id == account_id))


@dataclass(frozen=True)
class Provenance:
    """Where a recording or clip comes from and who worked on it, as its pages say it."""

    live_account: LiveAccount | None
    made_by: str | None
    changed_by: str | None


def provenance(
    org_id: int, account_id: int | None, created_by_id: int | None, updated_by_id: int | None
) -> Provenance:
    """Which live account streamed it, who made it and who changed it last (names)."""
    names = user_names([created_by_id, updated_by_id])
    return Provenance(
        live_account=find_account(org_id, account_id),
        made_by=names.get(created_by_id or 0),
        changed_by=names.get(updated_by_id or 0),
    )


def accounts_of_streamer(user: User) -> list[int]:
    """Return the ids of the accounts ``user`` streams on in their organisation."""
    if not user.is_org_streamer:
        return []
    statement = scoped(LiveAccount, user.org_id).where(LiveAccount.streamer_id == user.id)
    return list(db.session.scalars(statement.with_only_columns(LiveAccount.id)))


def check_live_account(org_id: int, account_id: int | None) -> None:
    """Refuse an account id that is not one of the organisation's live accounts (None: fine)."""
    if (
        account_id
        and db.session.scalar(scoped(LiveAccount, org_id).where(LiveAccount.id == account_id))
        is None
    ):
        raise ServiceError(
            _("Choose one of your organisation's live accounts."), field="live_account_id"
        )


def _check(org_id: int, details: AccountDetails, account_id: int | None = None) -> None:
    """Refuse a name the organisation already uses on the platform, or a foreign streamer."""
    same = scoped(LiveAccount, org_id).where(
        LiveAccount.platform == details.platform,
        LiveAccount.name == details.name,
        LiveAccount.id != (account_id or 0),
    )
    if db.session.scalar(same) is not None:
        raise ServiceError(_("This platform already has an account of that name."), field="name")
    if (
        details.streamer_id
        and db.session.scalar(
            select(User.id).where(
                User.id == details.streamer_id, User.org_id == org_id, User.role == Role.STREAMER
            )
        )
        is None
    ):
        raise ServiceError(_("Choose a streamer of your organisation."), field="streamer_id")


def _apply(account: LiveAccount, details: AccountDetails) -> None:
    account.platform = details.platform
    account.name = details.name
    account.studio = details.studio
    account.streamer_id = details.streamer_id or None


def add_account(org_id: int, actor: User, details: AccountDetails) -> LiveAccount:
    """Add a live account to the organisation."""
    _check(org_id, details)
    account = LiveAccount(org_id=org_id)
    _apply(account, details)
    db.session.add(account)
    record_event(actor, "live_account.added", account, org_id=org_id, name=details.name)
    db.session.commit()
    return account


def update_account(account: LiveAccount, actor: User, details: AccountDetails) -> None:
    """Change a live account's platform, name, studio or streamer."""
    _check(account.org_id, details, account.id)
    _apply(account, details)
    record_event(actor, "live_account.changed", account, org_id=account.org_id)
    db.session.commit()


def delete_account(account: LiveAccount, actor: User) -> None:
    """Delete a live account; its recordings keep streaming on no account."""
    live_account_deleted.send(account_id=account.id, org_id=account.org_id)
    record_event(actor, "live_account.deleted", account, org_id=account.org_id, name=account.name)
    db.session.delete(account)
    db.session.commit()
