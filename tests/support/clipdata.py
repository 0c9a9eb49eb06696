"""Build clips with real media files for browser tests (no transcription, no render job).

The clip's one version carries a real MP4 (an ffmpeg test pattern with a tone), its poster and
a WebVTT file; the recording's source file is the same video, so the editor plays it too.
"""

from __future__ import annotations

import shutil

from flask import Flask

from media.clips.models import Clip, ClipCue, ClipItem, ClipState, ClipVersion
from media.clips.rendering import version_file
from media.recordings.models import Recording
from media.recordings.services import source_path
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
        recording = Recording(org_id=org_id, title="周五直播", stored_name="x.mp4")
        db.session.add(recording)
        db.session.flush()
        clip = Clip(
            org_id=org_id, recording_id=recording.id, title=title, description=description,
            start_ms=0, end_ms=int(seconds * 1000), state=state,
            links=[ClipItem(item_id=item_id, position=n) for n, item_id in enumerate(item_ids)],
            cues=[ClipCue(sentence_position=n, start_ms=n * CUE_MS,
                          end_ms=n * CUE_MS + CUE_MS - 100, text=text)
                  for n, text in enumerate(texts)],
        )  # fmt: skip
        db.session.add(clip)
        db.session.flush()
        version = ClipVersion(
            org_id=org_id, clip_id=clip.id, number=1, created_at=utcnow(), profile="original",
            start_ms=0, end_ms=clip.end_ms, cues=[], stored_stem=f"journey-{clip.id}",
            is_ready=True, duration_s=seconds, width=width, height=height,
        )  # fmt: skip
        db.session.add(version)
        db.session.commit()
        video = make_test_video(version_file(version, "video"), seconds=seconds, size=size)
        run_ffmpeg("-i", str(video), "-frames:v", "1", str(version_file(version, "poster")))
        source_path(recording).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(video, source_path(recording))
        version_file(version, "vtt").write_text(_vtt(texts), encoding="utf-8")
        return clip.id
