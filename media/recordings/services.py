"""Recording workflows: accept a file (probe first), list, report status, serve."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from flask import abort, current_app
from flask_babel import gettext as _
from sqlalchemy import select, update

from media.probe import ProbeLimits, ProbeRejected, ProbeResult, RejectReason, probe_media
from media.recordings.models import Language, Recording
from media.recordings.overview import remove_overview
from media.recordings.signals import recording_deleting
from media.transcripts import exports
from media.transcripts.services import get_transcript, list_sentences
from media.transcripts.signals import transcript_deleted
from media.uploads.models import Upload
from media.uploads.services import claim_upload, discard_upload, part_path
from portal.audit.services import record_event
from portal.auth.models import User
from portal.errors import ConflictError, ServiceError
from portal.extensions import db
from portal.i18n import translate_message
from portal.jobs.models import ACTIVE_STATES, Job, JobState
from portal.jobs.services import enqueue_job, jobs_about, latest_job
from portal.organisations.scoping import scoped
from portal.storage import media_storage, recording_key
from portal.team.accounts import check_live_account, find_account
from portal.team.models import LiveAccount

TRANSCRIBE_JOB = "recording.transcribe"


def probe_limits() -> ProbeLimits:
    """Return the probe limits from the settings."""
    config = current_app.config
    long_side, short_side = config["MAX_FRAME_SIZE"]
    return ProbeLimits(
        max_duration_s=config["MAX_DURATION_S"],
        max_frame_long_side=long_side,
        max_frame_short_side=short_side,
    )


def rejection_message(exc: ProbeRejected) -> str:
    """Explain a probe rejection to a merchant, wholly in their language: what to do, and why."""
    messages = {
        RejectReason.NOT_MEDIA: _("This file is not a video."),
        RejectReason.UNSUPPORTED_CONTAINER: _(
            "This kind of file is not supported. Upload MP4, MOV, MKV, WebM, FLV or MPEG-TS."
        ),
        RejectReason.NO_VIDEO: _("This file has no video track."),
        RejectReason.NO_AUDIO: _("This file has no sound, so there is nothing to transcribe."),
        RejectReason.TOO_LONG: _("The recording is longer than allowed."),
        RejectReason.FRAME_TOO_LARGE: _("The video frame is larger than allowed."),
        RejectReason.FRAME_RATE_TOO_HIGH: _("The frame rate is higher than allowed."),
        RejectReason.TOO_MANY_STREAMS: _("The file has more tracks than allowed."),
        RejectReason.DAMAGED: _("The file is damaged or incomplete. Export or upload it again."),
    }
    return _(
        "%(reason)s (%(detail)s)",
        reason=messages.get(exc.reason, _("The file was rejected.")),
        detail=translate_message(exc.key, exc.key_args),
    )


def source_path(recording: Recording) -> Path:
    """Return the path of a recording's source file."""
    return media_storage().path(recording_key(recording.org_id, recording.stored_name))


def probe_or_reject(path: Path) -> ProbeResult:
    """Probe ``path``; a refused file raises a ``ServiceError`` with the reason."""
    try:
        return probe_media(path, probe_limits())
    except ProbeRejected as exc:
        raise ServiceError(rejection_message(exc), field="file") from exc


def _apply_probe(recording: Recording, probe: ProbeResult) -> None:
    recording.container = probe.container
    recording.duration_s = probe.duration_s
    recording.width, recording.height, recording.fps = probe.width, probe.height, probe.fps
    recording.video_codec, recording.audio_codec = probe.video_codec, probe.audio_codec


@dataclass(frozen=True)
class NewRecording:
    """What the merchant says about a file they add."""

    title: str
    language: Language
    original_filename: str
    live_account_id: int | None = None  # the account that streamed it, if said


def _store(
    org_id: int,
    actor: User | None,
    details: NewRecording,
    probe: ProbeResult,
    place: Callable[[str], object],
) -> Recording:
    """Put the probed file in place (``place(key)``), add its row, queue transcription."""
    check_live_account(org_id, details.live_account_id)
    storage = media_storage()
    stored_name = f"{uuid.uuid4().hex}{_suffix_for(probe.container)}"
    key = recording_key(org_id, stored_name)
    try:
        place(key)
        recording = Recording(
            org_id=org_id,
            title=details.title.strip(),
            stored_name=stored_name,
            original_filename=details.original_filename[:255],
            language=details.language,
            size_bytes=storage.size(key),
            created_by_id=actor.id if actor else None,
            live_account_id=details.live_account_id or None,
        )
        _apply_probe(recording, probe)
        db.session.add(recording)
        record_event(actor, "recording.added", recording, org_id=org_id, size=recording.size_bytes)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        storage.delete(key)
        raise
    enqueue_job(TRANSCRIBE_JOB, recording, org_id=org_id, actor=actor)
    return recording


def add_recording_from_file(
    org_id: int, actor: User | None, source: Path, details: NewRecording
) -> Recording:
    """Copy a file already on disk (operator ingest); a refused file copies nothing."""
    probe = probe_or_reject(source)

    def copy(key: str) -> None:
        with media_storage().writing(key) as temporary:
            shutil.copyfile(source, temporary)

    return _store(org_id, actor, details, probe, copy)


def add_recording_from_upload(
    org_id: int, actor: User, upload: Upload, details: NewRecording
) -> Recording:
    """Turn a finished upload into a recording; a refused file is deleted with its upload."""
    try:
        probe = probe_or_reject(part_path(upload.id))
    except ServiceError:
        discard_upload(upload)
        raise
    return _store(org_id, actor, details, probe, lambda key: claim_upload(upload, key))


def delete_recording(recording: Recording, actor: User) -> None:
    """Delete a recording: its rows (transcript, mentions, suggestions, jobs) and its files.

    Refused (``ConflictError``) while a job works on it, and when a ``recording_deleting``
    receiver needs it kept (the clip workshop, when clips were cut from it). The file is
    removed after the rows are committed, so a failure never leaves a row without its file.
    Merchants reach this from the recording page; course videos, when a lesson's video is
    replaced (``courses.videos.discard_unused_video``).
    """
    jobs = jobs_about(recording)
    _refuse_deleting_in_use(recording, jobs)
    path, transcript = source_path(recording), get_transcript(recording)
    if transcript is not None:
        db.session.delete(transcript)
        db.session.flush()
        transcript_deleted.send(recording_id=recording.id, org_id=recording.org_id)
    record_event(
        actor, "recording.deleted", recording, org_id=recording.org_id, size=recording.size_bytes
    )
    for job in jobs:
        db.session.delete(job)
    db.session.delete(recording)
    db.session.commit()
    path.unlink(missing_ok=True)
    remove_overview(path)


def _refuse_deleting_in_use(recording: Recording, jobs: list[Job]) -> None:
    """Raise ``ConflictError`` saying why the recording must stay, if it must."""
    active = {job.kind for job in jobs if job.is_active}
    if TRANSCRIBE_JOB in active:
        raise ConflictError(_("Cancel the transcription before deleting the recording."))
    if active:
        raise ConflictError(_("The recording is still being processed. Try again in a moment."))
    recording_deleting.send(recording=recording)


def _suffix_for(container: str) -> str:
    if container.startswith("mov"):
        return ".mp4"
    return {"matroska,webm": ".mkv", "flv": ".flv", "mpegts": ".ts"}.get(container, ".bin")


def list_recordings(org_id: int, account_ids: Sequence[int] | None = None) -> list[Recording]:
    """Return the organisation's recordings, newest first; only those streamed on one of
    ``account_ids`` when given."""
    statement = scoped(Recording, org_id).order_by(Recording.id.desc())
    if account_ids is not None:
        statement = statement.where(Recording.live_account_id.in_(account_ids))
    return list(db.session.scalars(statement))


def recording_live_account(org_id: int, recording_id: int) -> LiveAccount | None:
    """Return the live account that streamed the organisation's recording, if it was said."""
    account_id = db.session.scalar(
        scoped(Recording, org_id)
        .where(Recording.id == recording_id)
        .with_only_columns(Recording.live_account_id)
    )
    return find_account(org_id, account_id)


def set_live_account(recording: Recording, actor: User, account_id: int | None) -> None:
    """Say which of the organisation's live accounts streamed the recording (None: not said)."""
    check_live_account(recording.org_id, account_id)
    before = recording.live_account_id
    recording.live_account_id = account_id or None
    recording.updated_by_id = actor.id
    record_event(
        actor,
        "recording.live_account_set",
        recording,
        org_id=recording.org_id,
        before=before,
        live_account_id=recording.live_account_id,
    )
    db.session.commit()


def forget_live_account(_sender: object = None, *, account_id: int, org_id: int) -> None:
    """A live account is being deleted: its recordings stream on no account (no commit)."""
    db.session.execute(
        update(Recording)
        .where(Recording.org_id == org_id, Recording.live_account_id == account_id)
        .values(live_account_id=None)
    )


def transcription_job(recording: Recording) -> Job | None:
    """Return the newest transcription job of the recording."""
    return latest_job(TRANSCRIBE_JOB, recording)


def jobs_by_recording(recordings: list[Recording]) -> dict[int, Job]:
    """Return the newest transcription job of each recording (one query)."""
    ids = [r.id for r in recordings]
    if not ids:
        return {}
    rows = db.session.scalars(
        select(Job)
        .where(Job.kind == TRANSCRIBE_JOB, Job.subject_type == "Recording", Job.subject_id.in_(ids))
        .order_by(Job.id)
    )
    return {job.subject_id: job for job in rows}


def transcribing(org_id: int) -> list[tuple[Recording, Job]]:
    """The organisation's recordings whose transcription is queued or running, newest first."""
    statement = (
        scoped(Recording, org_id)
        .join(Job, (Job.subject_type == "Recording") & (Job.subject_id == Recording.id))
        .where(Job.kind == TRANSCRIBE_JOB, Job.state.in_(ACTIVE_STATES))
        .add_columns(Job)
        .order_by(Recording.id.desc(), Job.id.desc())
    )
    return [(recording, job) for recording, job in db.session.execute(statement)]


def is_processing(job: Job | None) -> bool:
    """Tell whether a recording's job is still queued or running."""
    return job is not None and job.state in (JobState.QUEUED, JobState.RUNNING)


MIME_BY_CONTAINER = {
    "matroska,webm": "video/x-matroska",
    "flv": "video/x-flv",
    "mpegts": "video/mp2t",
}


WEBM_VIDEO_CODECS = frozenset({"vp8", "vp9", "av1"})


def mime_type(recording: Recording) -> str:
    """Return the content type to serve the source file with (WebM where the codecs fit)."""
    if recording.container == "matroska,webm" and recording.video_codec in WEBM_VIDEO_CODECS:
        return "video/webm"
    return MIME_BY_CONTAINER.get(recording.container, "video/mp4")


def transcript_export(recording: Recording, fmt: str) -> str:
    """Return the transcript in ``fmt`` (srt, vtt, txt or json); no transcript answers 404."""
    transcript = get_transcript(recording)
    if transcript is None:
        abort(404)
    sentences = list_sentences(transcript)
    if fmt == "json":
        return exports.to_json(
            sentences,
            recording=recording.id,
            title=recording.title,
            language=transcript.language,
            hotwords=transcript.hotwords,
        )
    return exports.EXPORTERS[fmt](sentences)
