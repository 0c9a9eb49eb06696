"""Lesson and practice videos: the media pipeline's public functions, used for courses.

Course videos are ``Recording`` rows of the base's own organisation (slug ``BASE_ORG_SLUG``), so a
lesson video or a practice video is uploaded, probed and transcribed exactly like a stream
recording. Course views decide who may watch; this module only stores, finds and serves.
"""

from __future__ import annotations

import contextlib
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from flask import Response, abort
from sqlalchemy import exists, or_, select

from courses.models import Lesson, PracticeSubmission
from media.recordings import services as recordings
from media.recordings.models import Language, Recording
from media.recordings.stream_items import stream_item_ids
from media.transcription import engine
from media.transcripts import services as transcripts
from media.transcripts.models import Sentence
from media.uploads.services import get_completed_upload_or_404
from portal.auth.models import User
from portal.errors import ConflictError
from portal.extensions import db
from portal.jobs.models import Job, JobState
from portal.jobs.services import cancel_job
from portal.organisations.models import BASE_ORG_SLUG, Organisation, OrgStatus
from portal.organisations.scoping import get_owned_or_404, scoped
from portal.organisations.services import get_org_by_slug
from portal.web import send_private_file

BASE_ORG_NAME = "培训基地 · Training base"  # stored once: not in any one reader's language


def base_org_id() -> int:
    """Return the id of the base's own organisation, creating it on first use.

    A new one is only flushed: the caller's unit of work commits it with what it stores there
    (a read that finds no base organisation simply finds nothing in it).
    """
    org = get_org_by_slug(BASE_ORG_SLUG)
    if org is None:
        org = Organisation(slug=BASE_ORG_SLUG, name=BASE_ORG_NAME, status=OrgStatus.APPROVED)
        db.session.add(org)
        db.session.flush()
    return org.id


def add_video_from_upload(actor: User, upload_id: str, title: str, language: str) -> Recording:
    """Turn the actor's finished upload into a course video and start its transcription.

    A refused file raises ``ServiceError`` with the reason and leaves nothing behind.
    """
    upload = get_completed_upload_or_404(upload_id, actor.id)
    details = recordings.NewRecording(
        title=title, language=Language(language), original_filename=upload.filename
    )
    return recordings.add_recording_from_upload(base_org_id(), actor, upload, details)


def add_video_from_file(actor: User | None, source: Path, title: str, language: str) -> Recording:
    """Copy a video already on disk (demo data, operators) and start its transcription."""
    details = recordings.NewRecording(
        title=title, language=Language(language), original_filename=source.name
    )
    return recordings.add_recording_from_file(base_org_id(), actor, source, details)


def get_video_or_404(recording_id: int) -> Recording:
    """Load a course video; a stream recording of a merchant answers 404."""
    return get_owned_or_404(Recording, recording_id, base_org_id())


def discard_unused_video(recording_id: int, actor: User) -> None:
    """Delete a course video that no lesson or practice video uses any more.

    A transcription still waiting for a worker is cancelled first. A video being transcribed at
    this moment is kept: it cannot be deleted under the worker.
    """
    used = or_(
        exists().where(Lesson.recording_id == recording_id),
        exists().where(PracticeSubmission.recording_id == recording_id),
    )
    recording = db.session.get(Recording, recording_id)
    if recording is None or recording.org_id != base_org_id() or db.session.scalar(select(used)):
        return
    job = recordings.transcription_job(recording)
    if job is not None and job.state == JobState.QUEUED:
        cancel_job(job, actor)
    with contextlib.suppress(ConflictError):  # being transcribed right now: kept
        recordings.delete_recording(recording, actor)


def video_response(recording: Recording) -> Response:
    """Serve the video file (HTTP Range supported, so seeking works)."""
    return send_private_file(
        recordings.source_path(recording), mimetype=recordings.mime_type(recording)
    )


def processing_job(recording: Recording) -> Job | None:
    """Return the video's newest transcription job (for progress and errors)."""
    return recordings.transcription_job(recording)


def processing_jobs(recording_ids: list[int]) -> dict[int, Job]:
    """Return the newest transcription job of each course video, by recording id (two queries).

    A reader: it never creates the base's organisation (without it there are no videos).
    """
    base = get_org_by_slug(BASE_ORG_SLUG)
    if base is None or not recording_ids:
        return {}
    owned = scoped(Recording, base.id).where(Recording.id.in_(recording_ids))
    return recordings.jobs_by_recording(list(db.session.scalars(owned)))


def is_processing(recording: Recording) -> bool:
    """Tell whether the video is still being probed or transcribed."""
    return recordings.is_processing(recordings.transcription_job(recording))


def sentences(recording: Recording) -> list[Sentence]:
    """Return the video's transcript sentences (edited text where edited), or none yet."""
    transcript = transcripts.get_transcript(recording)
    return transcripts.list_sentences(transcript) if transcript else []


def captions_vtt(recording: Recording) -> str | None:
    """Return the video's captions as WebVTT, or None before transcription finished."""
    if transcripts.get_transcript(recording) is None:
        return None
    return recordings.transcript_export(recording, "vtt")


def captions_model(recording: Recording) -> str | None:
    """Return what made the captions: a recognition model's name or ``SCRIPT_MODEL``."""
    transcript = transcripts.get_transcript(recording)
    return transcript.model_name if transcript else None


def captions_language(recording: Recording) -> str | None:
    """Return the language the transcript was recognised in (``zh``, ``en``), if any."""
    transcript = transcripts.get_transcript(recording)
    return transcript.language if transcript else None


SCRIPT_MODEL = "script"  # ``Transcript.model_name`` of captions written from a known script


def caption_from_script(
    recording: Recording, lines: Sequence[tuple[float, float, str]], language: str = "zh"
) -> bool:
    """Caption the video with its known script instead of recognising the speech.

    Each line (start s, end s, text) becomes one sentence, its characters spread evenly over its
    time (punctuation stays with the character before it). A queued transcription is cancelled,
    so it cannot replace the script; while one runs, nothing changes and False is returned.
    """
    job = recordings.transcription_job(recording)
    if job is not None and job.state == JobState.RUNNING:
        return False
    if job is not None and job.state == JobState.QUEUED:
        cancel_job(job, None)
    segments = tuple(_script_segment(*line) for line in lines)
    result = engine.Transcript(language, recording.duration_s, segments)
    transcripts.save_transcript(
        recording,
        result,
        model_name=SCRIPT_MODEL,
        hotwords="",
        prompt="",
        listed=stream_item_ids(recording),
    )
    return True


def _script_segment(start_s: float, end_s: float, text: str) -> engine.Segment:
    pieces: list[str] = []
    for char in text:
        if pieces and unicodedata.category(char).startswith("P"):
            pieces[-1] += char
        else:
            pieces.append(char)
    step = (end_s - start_s) / max(len(pieces), 1)
    words = tuple(
        engine.Word(start_s + n * step, start_s + (n + 1) * step, piece, 1.0)
        for n, piece in enumerate(pieces)
    )
    return engine.Segment(start_s, end_s, text, words)


def edit_caption(recording: Recording, sentence_id: int, actor: User, text: str) -> Sentence:
    """Correct one caption sentence (history kept); a foreign sentence id answers 404."""
    transcript = transcripts.get_transcript(recording)
    if transcript is None:
        abort(404)
    sentence = transcripts.get_sentence_or_404(transcript, sentence_id)
    return transcripts.edit_sentence(sentence, actor, text)
