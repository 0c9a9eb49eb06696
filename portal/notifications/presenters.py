"""What a notification says and where it leads, in the reader's language and for their role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import url_for
from flask_babel import gettext

from portal.auth.models import User
from portal.i18n import N_
from portal.jobs.presenters import kind_label
from portal.notifications.models import Notification

# Each kind's text (a message id, translated when shown, with the notification's params).
TEXTS = {
    "clip.changes_requested": N_("A trainer asked for changes to the clip “%(title)s”."),
    "clip.approved": N_("The clip “%(title)s” was approved."),
    "clip.published": N_("The clip “%(title)s” was published in the library."),
    "clip.rejected": N_("The clip “%(title)s” was rejected."),
    "clip.submitted": N_("%(org)s submitted the clip “%(title)s” for review."),
    "clip.resubmitted": N_("%(org)s resubmitted the clip “%(title)s” for review."),
    "clip.back_in_review": N_("The clip “%(title)s” of %(org)s is back in review."),
    "screening.approved": N_("The application of %(org)s was approved."),
    "screening.rejected": N_("The application of %(org)s was rejected."),
    "screening.more_documents": N_("The application of %(org)s needs more documents."),
    "practice.submitted": N_("%(name)s sent a practice video for “%(lesson)s”."),
    "practice.passed": N_("Your practice video for “%(lesson)s” passed."),
    "practice.try_again": N_("Your practice video for “%(lesson)s” needs another try."),
    "job.failed": N_("A background job failed: %(job)s."),
}


@dataclass(frozen=True)
class NotificationView:
    """One notification as the list and the mail show it."""

    id: int
    text: str
    link: str | None
    created_at: datetime
    is_unread: bool


def notification_text(notification: Notification) -> str:
    """The notification's sentence in the current language."""
    params = dict(notification.params)
    if "job" in params:
        params["job"] = kind_label(params["job"])
    return gettext(TEXTS.get(notification.kind, notification.kind), **params)


def notification_link(notification: Notification, reader: User) -> str | None:
    """The page where ``reader`` acts on the notification (None: no page of theirs)."""
    kind, object_id = notification.object_type, notification.object_id
    if kind == "clip":
        if reader.is_staff:
            return url_for("review.clip_page", clip_id=object_id)
        return url_for("clips.editor", clip_id=object_id) if reader.is_merchant else None
    if kind == "practice":
        return url_for("courses_practice.submission", submission_id=object_id)
    if kind == "organisation" and reader.is_merchant:
        return url_for("screening.application")
    if kind == "recording" and reader.is_merchant:
        return url_for("recordings.detail", recording_id=object_id)
    return None


def present(notification: Notification, reader: User) -> NotificationView:
    """Make a notification ready to show to ``reader``."""
    return NotificationView(
        id=notification.id,
        text=notification_text(notification),
        link=notification_link(notification, reader),
        created_at=notification.created_at,
        is_unread=notification.read_at is None,
    )
