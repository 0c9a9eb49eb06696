"""Notification pages: the list (newest first), opening one, marking read, the digest setting.

Every route is the signed-in person's own: another person's notification id answers 404.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.auth.access import acting_user
from portal.forms import ConfirmForm
from portal.notifications import services
from portal.notifications.events import connect_listeners
from portal.notifications.forms import DigestForm
from portal.notifications.models import Digest
from portal.notifications.presenters import notification_link, present
from portal.routing import query_page

bp = Blueprint("notifications", __name__, url_prefix="/notifications", template_folder="templates")


@bp.record_once
def _listen(_state: object) -> None:
    """Turn review, screening, practice and job events into notifications."""
    connect_listeners()


@bp.app_context_processor
def _bell() -> dict[str, Any]:
    """The header bell's number of unread notifications (none for visitors), as a function:
    counted only by a template that shows it, not by every htmx partial (issue 16)."""
    if not current_user.is_authenticated:
        return {"unread_notifications": lambda: 0}
    return {"unread_notifications": partial(services.count_unread, current_user.id)}


def _page(digest_form: DigestForm) -> ResponseReturnValue:
    user = acting_user()
    page = services.list_notifications(user.id, query_page())
    return render_template(
        "notifications/index.html",
        page=page,
        rows=[present(notification, user) for notification in page.items],
        confirm_form=ConfirmForm(formdata=None),
        digest_form=digest_form,
    )


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    """The person's notifications, newest first, unread marked; the digest setting."""
    return _page(DigestForm(formdata=None, digest=services.digest_of(acting_user().id)))


@bp.post("/settings")
@login_required
def settings() -> ResponseReturnValue:
    """Save how often unread notifications are mailed."""
    form = DigestForm()
    if not form.validate_on_submit():
        return _page(form)
    services.set_digest(acting_user().id, Digest(form.digest.data))
    flash(_("Saved."), "success")
    return redirect(url_for(".index"))


@bp.get("/<int:notification_id>")
@login_required
def open_notification(notification_id: int) -> ResponseReturnValue:
    """Mark the notification read and go to the page it is about."""
    user = acting_user()
    notification = services.get_notification_or_404(user.id, notification_id)
    services.mark_read(notification)
    return redirect(notification_link(notification, user) or url_for(".index"))


@bp.post("/<int:notification_id>/read")
@login_required
def mark_read(notification_id: int) -> ResponseReturnValue:
    """Mark one notification read."""
    notification = services.get_notification_or_404(acting_user().id, notification_id)
    if ConfirmForm().validate_on_submit():
        services.mark_read(notification)
    return redirect(url_for(".index"))


@bp.post("/read-all")
@login_required
def mark_all_read() -> ResponseReturnValue:
    """Mark every notification of the person read."""
    if ConfirmForm().validate_on_submit():
        services.mark_all_read(acting_user().id)
    return redirect(url_for(".index"))
