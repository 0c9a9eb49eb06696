"""Operator commands: ``flask beltcast …`` (non-interactive, clear errors, exit codes)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click
from flask.cli import AppGroup
from flask_babel import force_locale

from portal import backup, demo
from portal.auth.models import Role
from portal.auth.services import create_user
from portal.catalog import csv_io
from portal.errors import ServiceError
from portal.extensions import db
from portal.notifications.cli import send_digests_command
from portal.organisations.models import Organisation
from portal.organisations.services import create_organisation, get_org_by_slug
from portal.storage import media_storage

beltcast_cli = AppGroup("beltcast", help="Beltcast operator commands.")

OPERATOR_LOCALE = "en"


def _operator_language(command: Callable[..., Any]) -> Callable[..., Any]:
    """Run ``command`` with a fixed language: there is no request to choose one from."""

    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        with force_locale(OPERATOR_LOCALE):
            return command(*args, **kwargs)

    return run


def _org_or_fail(slug: str) -> Organisation:
    org = get_org_by_slug(slug)
    if org is None:
        raise click.ClickException(f"no organisation with slug {slug!r}")
    return org


@beltcast_cli.command("create-org")
@click.argument("slug")
@click.argument("name")
@click.option("--approved", is_flag=True, help="Skip screening: the organisation is approved.")
@_operator_language
def create_org_command(slug: str, name: str, approved: bool) -> None:
    """Create an organisation SLUG called NAME."""
    try:
        org = create_organisation(slug, name, approved=approved)
    except ServiceError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"organisation {org.slug} created (id {org.id}, {org.status})")


@beltcast_cli.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--org", "org_slug", help="Organisation slug (merchants).")
@click.option("--name", help="Display name (default: the part of EMAIL before @).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@_operator_language
def create_user_command(
    email: str, role: str, org_slug: str | None, name: str | None, password_stdin: bool
) -> None:
    """Create a user with EMAIL and --role."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    org = _org_or_fail(org_slug) if org_slug else None
    try:
        user = create_user(
            email=email,
            name=name or email.split("@")[0],
            role=Role(role),
            org=org,
            password=password,
        )
    except ServiceError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"user {user.email} created (id {user.id}, {user.role})")


@beltcast_cli.command("import-catalog")
@click.option("--org", "org_slug", required=True, help="Organisation slug.")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_operator_language
def import_catalog_command(org_slug: str, csv_file: Path) -> None:
    """Import CSV_FILE into an organisation's catalog (all rows or none)."""
    org = _org_or_fail(org_slug)
    try:
        count, rows = csv_io.import_file(csv_file.read_bytes(), org, actor=None)
    except ServiceError as exc:
        raise click.ClickException(exc.message) from exc
    errors = [(row.line, error) for row in rows for error in row.errors]
    for line, error in errors:
        click.echo(f"line {line}: {error}", err=True)
    if errors:
        raise click.ClickException(f"{len(errors)} errors; nothing was imported")
    click.echo(f"{count} items imported into {org.slug}")


@beltcast_cli.command("demo-data")
@_operator_language
def demo_data_command() -> None:
    """Load the demo base (idempotent): organisations, items, staff and a streamer."""
    for line in demo.load_demo_data():
        click.echo(line)


def _mib(size: int) -> str:
    return f"{size / 1024**2:.1f} MiB"


@beltcast_cli.command("backup")
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
def backup_command(dest: Path) -> None:
    """Back up the database and the media root into the new folder DEST."""
    try:
        summary = backup.back_up(db.engine, media_storage().root, dest)
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"backed up the {summary.engine} database (revision {summary.revision}) and "
        f"{summary.files} media files ({_mib(summary.media_bytes)}) into {dest}"
    )


@beltcast_cli.command("restore")
@click.argument("source", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database and media root that hold data.")
def restore_command(source: Path, force: bool) -> None:
    """Restore the backup in SOURCE (stop the web and worker processes first)."""
    try:
        summary = backup.restore(
            db.engine, media_storage().root, source, force=force, progress=click.echo
        )
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"restored the {summary.engine} database (revision {summary.revision}) and "
        f"{summary.files} media files ({_mib(summary.media_bytes)}); run `flask db upgrade` if "
        "this code is newer than the backup"
    )


beltcast_cli.add_command(send_digests_command)
