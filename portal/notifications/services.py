"""Reading notifications: a person's own only (another's id answers 404), read state, setting."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update

from portal.database import utcnow
from portal.extensions import db
from portal.notifications.models import DEFAULT_DIGEST, Digest, Notification, NotificationSetting

PAGE_SIZE = 20


def _own(user_id: int) -> Any:
    return select(Notification).where(Notification.user_id == user_id)


def count_unread(user_id: int) -> int:
    """How many of the user's notifications are unread (the bell's number)."""
    return db.session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
    )


def list_notifications(user_id: int, page: int) -> Any:
    """One page of the user's notifications, newest first."""
    statement = _own(user_id).order_by(Notification.created_at.desc(), Notification.id.desc())
    return db.paginate(statement, page=page, per_page=PAGE_SIZE, error_out=False)


def get_notification_or_404(user_id: int, notification_id: int) -> Notification:
    """Load one of the user's notifications; anyone else's (or none) answers 404."""
    return db.first_or_404(_own(user_id).where(Notification.id == notification_id))


def mark_read(notification: Notification) -> None:
    """Mark one notification read (reading it again changes nothing)."""
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.commit()


def mark_all_read(user_id: int) -> int:
    """Mark every unread notification of the user read; return how many."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()
    return result.rowcount


def digest_of(user_id: int) -> Digest:
    """How often the user wants unread notifications mailed."""
    setting = db.session.get(NotificationSetting, user_id)
    return Digest(setting.digest) if setting else DEFAULT_DIGEST


def set_digest(user_id: int, digest: Digest) -> None:
    """Save how often the user wants unread notifications mailed."""
    setting = db.session.get(NotificationSetting, user_id)
    if setting is None:
        setting = NotificationSetting(user_id=user_id)
        db.session.add(setting)
    setting.digest = digest
    db.session.commit()
