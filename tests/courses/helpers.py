"""Course test helpers: give a lesson a video with a ready-made transcript."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from courses import videos
from courses.models import Lesson
from media.transcripts.models import Sentence, Transcript
from portal.extensions import db


def give_lesson_video(
    lesson: Lesson, video: Path, sentences: Iterable[tuple[float, float, str]] = ()
) -> int:
    """Attach ``video`` to ``lesson`` (inside an app context; the caller commits).

    ``sentences`` (start s, end s, text) become its transcript at once, so no transcription job
    needs to run; returns the recording id.
    """
    recording = videos.add_video_from_file(None, video, lesson.title, "zh")
    lesson.recording_id = recording.id
    lines = list(sentences)
    if lines:
        transcript = Transcript(
            org_id=recording.org_id, recording_id=recording.id, language="zh", model_name="t"
        )
        db.session.add(transcript)
        db.session.flush()
        for position, (start, end, text) in enumerate(lines):
            db.session.add(
                Sentence(
                    org_id=recording.org_id, transcript_id=transcript.id, position=position,
                    start_ms=int(start * 1000), end_ms=int(end * 1000), text=text,
                )
            )  # fmt: skip
    return recording.id
