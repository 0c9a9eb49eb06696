"""Operator commands: ``flask clips …``."""

from __future__ import annotations

import json

import click
from flask.cli import AppGroup

from media.clips import discovery
from media.clips.export import clip_document, suggestions_document
from media.clips.services import list_clips
from media.recordings.models import Recording
from media.recordings.stream_items import stream_links
from portal.organisations.scoping import find_any

clips_cli = AppGroup("clips", help="Clip workshop.")


@clips_cli.command("export")
@click.argument("recording_id", type=int)
@click.option("--refresh", is_flag=True, help="Find items again before exporting.")
@click.option("--clips", "with_clips", is_flag=True, help="Add the recording's clips.")
def export_command(recording_id: int, refresh: bool, with_clips: bool) -> None:
    """Print a recording's suggested clips as JSON (the API's document).

    With ``--clips`` the document also lists the clips cut from it, newest first, each as the
    clip API's document (kept ranges and the subtitles of the words kept).
    """
    recording = find_any(Recording, recording_id)
    if recording is None:
        raise click.ClickException(f"no recording {recording_id}")
    if refresh:
        discovery.refresh_mentions(recording)
    document = suggestions_document(
        recording.id, discovery.list_suggestions(recording), stream_links(recording)
    )
    if with_clips:
        document["clips"] = [clip_document(clip) for clip in list_clips(recording)]
    click.echo(json.dumps(document, ensure_ascii=False, indent=2))
