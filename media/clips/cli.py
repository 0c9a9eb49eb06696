"""Operator commands: ``flask clips …``."""

from __future__ import annotations

import json

import click
from flask.cli import AppGroup

from media.clips import discovery
from media.clips.export import suggestions_document
from media.recordings.models import Recording
from media.recordings.stream_items import stream_links
from portal.organisations.scoping import find_any

clips_cli = AppGroup("clips", help="Clip workshop.")


@clips_cli.command("export")
@click.argument("recording_id", type=int)
@click.option("--refresh", is_flag=True, help="Find items again before exporting.")
def export_command(recording_id: int, refresh: bool) -> None:
    """Print a recording's suggested clips as JSON (the API's document)."""
    recording = find_any(Recording, recording_id)
    if recording is None:
        raise click.ClickException(f"no recording {recording_id}")
    if refresh:
        discovery.refresh_mentions(recording)
    document = suggestions_document(
        recording.id, discovery.list_suggestions(recording), stream_links(recording)
    )
    click.echo(json.dumps(document, ensure_ascii=False, indent=2))
