"""Render requests: each render makes a new numbered version of a clip, as a job."""

from __future__ import annotations

import uuid
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from media.clips.models import Clip, ClipState, ClipVersion, RenderProfile
from media.clips.services import require_editable
from portal.audit.services import record_event
from portal.auth.models import User
from portal.database import utcnow
from portal.extensions import db
from portal.jobs.models import Job
from portal.jobs.services import enqueue_job, latest_job
from portal.organisations.scoping import scoped
from portal.review.states import transition

RENDER_JOB = "clip.render"
FILE_SUFFIXES = {"video": ".mp4", "poster": ".jpg", "vtt": ".vtt"}
MIME_TYPES = {"video": "video/mp4", "poster": "image/jpeg", "vtt": "text/vtt"}


def clips_dir(org_id: int) -> Path:
    """Return the folder holding an organisation's rendered clips."""
    return Path(current_app.config["MEDIA_ROOT"]) / "clips" / str(org_id)


def version_file(version: ClipVersion, kind: str) -> Path:
    """Return the path of a version's video, poster or WebVTT file."""
    return clips_dir(version.org_id) / f"{version.stored_stem}{FILE_SUFFIXES[kind]}"


def visible_cues(clip: Clip) -> list[dict[str, object]]:
    """The clip's shown subtitle lines, timed relative to the clip's start."""
    return [
        {
            "start": max(0, cue.start_ms - clip.start_ms) / 1000,
            "end": (min(cue.end_ms, clip.end_ms) - clip.start_ms) / 1000,
            "text": cue.text,
        }
        for cue in clip.cues
        if not cue.is_hidden
    ]


def request_render(
    clip: Clip,
    actor: User,
    *,
    profile: RenderProfile,
    fill: str,
    burn_subtitles: bool,
    poster_at_s: float,
) -> ClipVersion:
    """Snapshot the clip as a new version and queue its render."""
    require_editable(clip)
    number = (
        db.session.scalar(
            select(func.max(ClipVersion.number)).where(ClipVersion.clip_id == clip.id)
        )
        or 0
    ) + 1
    version = ClipVersion(
        org_id=clip.org_id, clip_id=clip.id, number=number, created_by_id=actor.id,
        created_at=utcnow(), profile=profile, fill=fill if fill in {"blur", "crop"} else "blur",
        burn_subtitles=burn_subtitles, start_ms=clip.start_ms, end_ms=clip.end_ms,
        poster_at_s=min(max(poster_at_s, 0.0), clip.duration_s), cues=visible_cues(clip),
        stored_stem=uuid.uuid4().hex,
    )  # fmt: skip
    db.session.add(version)
    record_event(actor, "clip.render_requested", clip, org_id=clip.org_id, version=number)
    db.session.commit()
    enqueue_job(RENDER_JOB, version, org_id=clip.org_id, actor=actor)
    return version


def list_versions(clip: Clip) -> list[ClipVersion]:
    """Return the clip's versions, newest first."""
    return list(
        db.session.scalars(
            scoped(ClipVersion, clip.org_id)
            .where(ClipVersion.clip_id == clip.id)
            .order_by(ClipVersion.number.desc())
        )
    )


def latest_ready_version(clip: Clip) -> ClipVersion | None:
    """Return the newest rendered version, if any."""
    return next((v for v in list_versions(clip) if v.is_ready), None)


def active_render_job(clip: Clip) -> Job | None:
    """Return the render job of the newest version (shown while it runs or if it failed)."""
    versions = list_versions(clip)
    if not versions:
        return None
    job = latest_job(RENDER_JOB, versions[0])
    return job if job and not versions[0].is_ready else None


def mark_rendered(version: ClipVersion, clip: Clip) -> None:
    """A version finished: a draft clip becomes ready for review."""
    version.is_ready = True
    db.session.commit()
    if clip.state == ClipState.DRAFT:
        transition(clip, ClipState.READY, None)
