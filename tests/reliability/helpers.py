"""Helpers for the reliability tests: clips ready to render, rows and files read afresh."""

from __future__ import annotations

import hashlib
import shutil
import uuid
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import func, select
from werkzeug.routing import AnyConverter

from media.clips.models import Clip, ClipCue, ClipVersion
from media.clips.rendering import RENDER_JOB, clips_dir
from media.probe import ProbeLimits, probe_media
from media.recordings.models import Recording
from portal.extensions import db
from portal.jobs.models import Job
from portal.storage import media_storage, recording_key
from tests.portal.helpers import url_for_rule
from tests.portal.test_tenancy import ID_KINDS

STRING_ARGUMENTS = {"token": "not-a-token", "upload_id": "0" * 32, "filename": "css/app.css"}
RENDER_FORM = {"profile": "vertical", "fill": "blur", "burn_subtitles": "y", "poster_at_s": "1"}


def add_renderable_clip(app: Flask, org_id: int, source: Path, *, seconds: float) -> int:
    """Add a recording of ``source`` (no transcription) and a draft clip of its first
    ``seconds`` with two subtitle lines; return the clip id."""
    with app.app_context():
        probe = probe_media(source, ProbeLimits())
        stored_name = f"{uuid.uuid4().hex}.mp4"
        with media_storage().writing(recording_key(org_id, stored_name)) as temporary:
            shutil.copyfile(source, temporary)
        recording = Recording(
            org_id=org_id, title="Evening stream", stored_name=stored_name,
            original_filename=source.name, size_bytes=source.stat().st_size,
            container=probe.container, duration_s=probe.duration_s, width=probe.width,
            height=probe.height, fps=probe.fps, video_codec=probe.video_codec,
            audio_codec=probe.audio_codec,
        )  # fmt: skip
        db.session.add(recording)
        db.session.flush()
        end_ms = round(seconds * 1000)
        clip = Clip(
            org_id=org_id, recording_id=recording.id, title="Bangle close-up", start_ms=0,
            end_ms=end_ms,
            cues=[
                ClipCue(sentence_position=0, start_ms=0, end_ms=end_ms // 2, text="冰种翡翠手镯"),
                ClipCue(sentence_position=1, start_ms=end_ms // 2, end_ms=end_ms,
                        text="The bangle comes with a certificate."),
            ],
        )  # fmt: skip
        db.session.add(clip)
        db.session.commit()
        return clip.id


def request_render(browser: Any, clip_id: int, **changes: str) -> None:
    """Ask for a render through the editor's form, as the merchant does.

    ``changes`` alter the form: a render with the same settings as a rendered version only
    makes a new version of the same files, with no job.
    """
    response = browser.post(f"/media/clips/{clip_id}/render", data={**RENDER_FORM, **changes})
    assert response.status_code == 302, response.text


def render_jobs(app: Flask) -> list[Job]:
    """Every render job, oldest first (detached)."""
    with app.app_context():
        jobs = list(db.session.scalars(select(Job).where(Job.kind == RENDER_JOB).order_by(Job.id)))
        for job in jobs:
            db.session.expunge(job)
        return jobs


def versions(app: Flask, clip_id: int) -> list[ClipVersion]:
    """The clip's versions, oldest first (detached)."""
    with app.app_context():
        found = list(
            db.session.scalars(
                select(ClipVersion)
                .where(ClipVersion.clip_id == clip_id)
                .order_by(ClipVersion.number)
            )
        )
        for version in found:
            db.session.expunge(version)
        return found


def clip_state(app: Flask, clip_id: int) -> str:
    with app.app_context():
        return str(db.session.get(Clip, clip_id).state)


def count(app: Flask, model: Any, *where: Any) -> int:
    """Count rows of ``model`` matching ``where``."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def clip_files(app: Flask, org_id: int) -> list[str]:
    """Names of every file in the organisation's clips folder (temporary ones included)."""
    with app.app_context():
        folder = clips_dir(org_id)
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def sha256(path: Path) -> str:
    """Hash a file without loading it whole."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def walk_routes(app: Flask, ids: dict[str, int]) -> Any:
    """Yield ("endpoint METHOD", method, url) for every route outside the courses.

    Integer arguments name organisation A's objects (``ids`` by kind, as the tenancy walker
    names them); routes without GET or POST are walked with HEAD or OPTIONS.
    """
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("courses"):
            continue
        values = {
            name: ids[ID_KINDS[name]] if name in ID_KINDS else STRING_ARGUMENTS[name]
            for name in rule.arguments
            if not isinstance(rule._converters[name], AnyConverter)
        }
        url = url_for_rule(app, rule, values)
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        if not methods:
            methods = ["HEAD"] if "HEAD" in rule.methods else ["OPTIONS"]
        for method in methods:
            yield f"{rule.endpoint} {method}", method, url
