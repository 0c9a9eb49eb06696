"""Mail digests: each person's unread, not yet mailed notifications in one mail per period.

The worker's sweeper calls ``send_due_digests`` every round (``PERIODIC`` in
``portal/features.py``); ``flask beltcast send-digests`` sends the due ones by hand. A person
gets at most one mail per period of their setting (hourly by default); notifications read in
the portal before their mail is due are not mailed.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta

from flask import current_app, url_for
from flask_babel import force_locale, gettext, ngettext
from sqlalchemy import select

from portal.auth.models import User
from portal.extensions import db
from portal.mail import send_mail
from portal.notifications.models import DEFAULT_DIGEST, Digest, Notification, NotificationSetting
from portal.notifications.presenters import notification_link, notification_text

log = logging.getLogger(__name__)

PERIODS = {Digest.HOURLY: timedelta(hours=1), Digest.DAILY: timedelta(days=1)}


def _waiting(user_id: int) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification)
            .where(
                Notification.user_id == user_id,
                Notification.read_at.is_(None),
                Notification.mailed_at.is_(None),
            )
            .order_by(Notification.created_at, Notification.id)
        )
    )


def _is_due(setting: NotificationSetting | None, now: datetime) -> bool:
    digest = Digest(setting.digest) if setting else DEFAULT_DIGEST
    if digest not in PERIODS:
        return False
    last = setting.last_digest_at if setting else None
    return last is None or now - last >= PERIODS[digest]


def _line(notification: Notification, user: User) -> str:
    link = notification_link(notification, user)
    text = f"- {notification_text(notification)}"
    return f"{text}\n  {current_app.config['BASE_URL']}{link}" if link else text


def _compose(user: User, notifications: list[Notification]) -> tuple[str, str]:
    """The digest's subject and body, in the user's language."""
    count = len(notifications)
    subject = ngettext(
        "%(num)d notification waiting on Beltcast",
        "%(num)d notifications waiting on Beltcast",
        count,
    )
    lines = "\n".join(_line(n, user) for n in notifications)
    settings = current_app.config["BASE_URL"] + url_for("notifications.index")
    body = gettext(
        "Hello %(name)s, this waits for you:\n\n%(lines)s\n\n"
        "All notifications, and how often they are mailed: %(link)s",
        name=user.name,
        lines=lines,
        link=settings,
    )
    return subject, body


def _send_digest(user: User, now: datetime) -> bool:
    notifications = _waiting(user.id)
    if not notifications:
        return False
    locale = user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(locale):
        subject, body = _compose(user, notifications)
    send_mail(user.email, subject, body)
    for notification in notifications:
        notification.mailed_at = now
    setting = db.session.get(NotificationSetting, user.id)
    if setting is None:
        setting = NotificationSetting(user_id=user.id)
        db.session.add(setting)
    setting.last_digest_at = now
    db.session.commit()
    return True


def _candidates() -> list[User]:
    """Active users with unread notifications not yet mailed."""
    waiting = select(Notification.user_id).where(
        Notification.read_at.is_(None), Notification.mailed_at.is_(None)
    )
    return list(
        db.session.scalars(
            select(User).where(User.id.in_(waiting), User.is_suspended.is_(False)).order_by(User.id)
        )
    )


def send_due_digests(now: datetime) -> list[int]:
    """Mail each person whose digest is due; return their user ids.

    One person's mail that cannot be sent (SMTP refused, server unreachable) is logged and
    retried next round; the others are still sent.
    """
    sent = []
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        for user in _candidates():
            if not _is_due(db.session.get(NotificationSetting, user.id), now):
                continue
            try:
                if _send_digest(user, now):
                    sent.append(user.id)
            except (smtplib.SMTPException, OSError):
                db.session.rollback()
                log.warning("digest for user %s not sent", user.id, exc_info=True)
    return sent
