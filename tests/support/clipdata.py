"""Build clips for tests (no transcription, no render job): the rows alone, or with media files.

``add_clip_rows`` writes a recording, a clip, its items and cues, and ready version rows whose
text is the clip's (as a render snapshots it); a clip in review, approved or published points at
its newest version, as submitting does.
``add_clip_in_long_recording`` puts a draft clip in the middle of a long transcript.
``add_clip_with_media`` adds real files to its one version: an MP4 (an ffmpeg test pattern
with a tone), its poster and a WebVTT file; the recording's source file is the same video, so
the editor plays it too.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from typing import Any

from flask import Flask

from media.clips.models import Clip, ClipCue, ClipItem, ClipState, ClipVersion
from media.clips.rendering import item_facts, version_file, visible_cues
from media.recordings.models import Recording
from media.recordings.services import source_path
from media.transcripts.models import Sentence, Transcript
from portal.database import utcnow
from portal.extensions import db
from tests.support.mediagen import make_test_video, run_ffmpeg

CUE_MS = 1300  # each subtitle line starts this long after the previous one


def _stamp(ms: int) -> str:
    return f"{ms // 60_000:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def _vtt(texts: tuple[str, ...]) -> str:
    cues = "".join(
        f"\n{_stamp(n * CUE_MS)} --> {_stamp(n * CUE_MS + CUE_MS - 100)}\n{text}\n"
        for n, text in enumerate(texts)
    )
    return "WEBVTT\n" + cues


def add_clip_rows(
    org_id: int,
    item_ids: Sequence[int],
    *,
    title: str,
    texts: Sequence[str],
    state: ClipState,
    description: str = "",
    span_ms: tuple[int, int] = (10_000, 40_000),
    cue_every_ms: int = 3000,
    cue_ms: int = 2000,
    version_cues: Sequence[list[dict[str, Any]] | None] = (None,),
    recording_s: float = 0.0,
    **version: Any,
) -> Clip:
    """Add a clip of ``org_id`` about ``item_ids`` with ready versions; return it, committed.

    Subtitle line ``n`` starts ``n * cue_every_ms`` after the clip's start and lasts ``cue_ms``.
    There is one version per entry of ``version_cues`` (its cues; None: the clip's shown
    lines); ``version`` sets other columns of each. Needs an app context.
    """
    start_ms, end_ms = span_ms
    recording = Recording(org_id=org_id, title="直播", stored_name="x.mp4", duration_s=recording_s)
    db.session.add(recording)
    db.session.flush()
    clip = Clip(
        org_id=org_id, recording_id=recording.id, title=title, description=description,
        start_ms=start_ms, end_ms=end_ms, state=state,
        links=[ClipItem(item_id=item_id, position=n) for n, item_id in enumerate(item_ids)],
        cues=[ClipCue(sentence_position=n, start_ms=start_ms + n * cue_every_ms,
                      end_ms=start_ms + n * cue_every_ms + cue_ms, text=text)
              for n, text in enumerate(texts)],
    )  # fmt: skip
    db.session.add(clip)
    db.session.flush()
    columns = {
        "profile": "vertical", "duration_s": (end_ms - start_ms) / 1000, "title": title,
        "description": description, "item_ids": list(item_ids),
        "item_facts": [item_facts(link.item) for link in clip.links], **version,
    }  # fmt: skip
    newest = None
    for number, cues in enumerate(version_cues, start=1):
        newest = ClipVersion(
            org_id=org_id, clip_id=clip.id, number=number, created_at=utcnow(),
            start_ms=start_ms, end_ms=end_ms, is_ready=True,
            cues=visible_cues(clip) if cues is None else cues,
            stored_stem=f"clip{clip.id}-v{number}", **columns,
        )  # fmt: skip
        db.session.add(newest)
    db.session.flush()
    if newest and state in {ClipState.IN_REVIEW, ClipState.APPROVED, ClipState.PUBLISHED}:
        clip.review_version_id = newest.id
    db.session.commit()
    return clip


def add_clip_with_media(
    app: Flask,
    org_id: int,
    item_ids: list[int],
    *,
    title: str,
    texts: tuple[str, ...],
    state: ClipState = ClipState.IN_REVIEW,
    description: str = "",
    size: str = "320x240",
) -> int:
    """Add a clip of ``org_id`` about ``item_ids`` with one ready version; return its id."""
    width, height = (int(n) for n in size.split("x"))
    seconds = max(4.0, len(texts) * CUE_MS / 1000 + 0.5)
    with app.app_context():
        clip = add_clip_rows(
            org_id, item_ids, title=title, texts=texts, state=state, description=description,
            span_ms=(0, int(seconds * 1000)), cue_every_ms=CUE_MS, cue_ms=CUE_MS - 100,
            profile="original", duration_s=seconds, width=width, height=height,
        )  # fmt: skip
        version = db.session.query(ClipVersion).filter_by(clip_id=clip.id).one()
        recording = db.session.get(Recording, clip.recording_id)
        video = make_test_video(version_file(version, "video"), seconds=seconds, size=size)
        run_ffmpeg("-i", str(video), "-frames:v", "1", str(version_file(version, "poster")))
        source_path(recording).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(video, source_path(recording))
        version_file(version, "vtt").write_text(_vtt(texts), encoding="utf-8")
        return clip.id


def add_transcript(
    recording_id: int, org_id: int, sentences: Sequence[tuple[int, int, str]]
) -> None:
    """Give the recording a transcript of ``(start_ms, end_ms, text)`` sentences (committed)."""
    transcript = Transcript(
        org_id=org_id, recording_id=recording_id, language="zh", model_name="test",
        sentences=[Sentence(org_id=org_id, position=n, start_ms=start, end_ms=end, text=text)
                   for n, (start, end, text) in enumerate(sentences)],
    )  # fmt: skip
    db.session.add(transcript)
    db.session.commit()


def add_clip_in_long_recording(
    org_id: int, item_id: int, sentence_count: int, *, every_ms: int = 4000, clip_ms: int = 20_000
) -> Clip:
    """A draft clip in the middle of a recording of ``sentence_count`` sentences (committed).

    Sentence ``n`` starts at ``n * every_ms`` and reads ``long_sentence_text(n)``; the clip
    starts with the middle one. Needs an app context.
    """
    middle_ms = sentence_count // 2 * every_ms
    clip = add_clip_rows(
        org_id, [item_id], title="Middle", texts=("one", "two"), state=ClipState.DRAFT,
        span_ms=(middle_ms, middle_ms + clip_ms), version_cues=(),
        recording_s=sentence_count * every_ms / 1000,
    )  # fmt: skip
    add_transcript(
        clip.recording_id, org_id,
        [(n * every_ms, n * every_ms + every_ms - 400, long_sentence_text(n))
         for n in range(sentence_count)],
    )  # fmt: skip
    return clip


def long_sentence_text(n: int) -> str:
    """The text of sentence ``n`` of ``add_clip_in_long_recording``."""
    return f"sentence number {n:05d}"
