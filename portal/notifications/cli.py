"""``flask beltcast send-digests``: mail every digest that is due now (the worker does it too)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from portal.database import utcnow
from portal.notifications.digest import send_due_digests


@click.command("send-digests")
@with_appcontext
def send_digests_command() -> None:
    """Mail each person the unread notifications whose digest is due."""
    sent = send_due_digests(utcnow())
    click.echo(f"{len(sent)} digest(s) sent")
