"""Helpers for recording tests: add recordings, run their jobs, read rows and files afresh."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from media.recordings import services
from media.recordings.models import Language, Recording
from media.transcripts.models import Sentence, Transcript
from portal.extensions import db
from portal.jobs.models import Job
from portal.jobs.runner import run_queued_jobs
from portal.organisations.models import Organisation


def ingest(
    app: Flask, org: Organisation, path: Path, language: str = "en", title: str = "Jade stream"
) -> int:
    """Add ``path`` as a recording of ``org`` the way the operator command does; return its id."""
    with app.app_context():
        details = services.NewRecording(
            title=title, language=Language(language), original_filename=path.name
        )
        return services.add_recording_from_file(org.id, None, path, details).id


def run_jobs(app: Flask) -> list[int]:
    """Run every queued job in this process, as ``--wait`` does."""
    with app.app_context():
        return run_queued_jobs()


def detached(row: Any) -> Any:
    if row is not None:
        db.session.expunge(row)
    return row


def load_job(app: Flask, recording_id: int) -> Job:
    """Return the newest transcription job of a recording (detached)."""
    with app.app_context():
        recording = db.session.get(Recording, recording_id)
        return detached(services.transcription_job(recording))


def load_recording(app: Flask, recording_id: int) -> Recording | None:
    with app.app_context():
        return detached(db.session.get(Recording, recording_id))


def count(app: Flask, model: Any, *where: Any) -> int:
    """Count rows of ``model`` matching ``where``."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def transcript_of(app: Flask, recording_id: int) -> Transcript | None:
    with app.app_context():
        return detached(
            db.session.scalar(select(Transcript).where(Transcript.recording_id == recording_id))
        )


def sentences_of(app: Flask, recording_id: int) -> list[Sentence]:
    """Return the recording's sentences in order (detached)."""
    with app.app_context():
        rows = db.session.scalars(
            select(Sentence)
            .join(Transcript, Transcript.id == Sentence.transcript_id)
            .where(Transcript.recording_id == recording_id)
            .order_by(Sentence.position)
        ).all()
        for row in rows:
            db.session.expunge(row)
        return list(rows)


def files_under(folder: Path) -> list[Path]:
    """Return every file below ``folder`` (none when it does not exist)."""
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def recording_files(app: Flask) -> list[Path]:
    """Return every file under MEDIA_ROOT/recordings."""
    return files_under(Path(app.config["MEDIA_ROOT"]) / "recordings")


def job_temp_leftovers(app: Flask) -> list[Path]:
    """Return whatever jobs left in their scratch folder under MEDIA_ROOT (files and folders)."""
    folder = Path(app.config["MEDIA_ROOT"]) / "scratch"
    return sorted(folder.iterdir()) if folder.exists() else []


def spoken_words(text: str) -> list[str]:
    """Lower-case words of ``text`` without punctuation."""
    return re.findall(r"[a-z']+", text.lower())


def assert_in_order(found: list[str], expected: list[str]) -> None:
    position = 0
    for word in expected:
        assert word in found[position:], f"{word!r} missing or out of order in {found}"
        position = found.index(word, position) + 1
