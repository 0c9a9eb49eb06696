"""Build recognition results word by word and store them as a recording's transcript."""

from __future__ import annotations

from collections.abc import Sequence

from media.recordings.models import Recording
from media.recordings.stream_items import add_items, stream_item_ids
from media.transcription import engine
from media.transcripts.services import save_transcript
from portal.extensions import db

WORD_S = 0.5


def spoken(sentences: Sequence[Sequence[str]], language: str = "zh") -> engine.Transcript:
    """A recognition result: each sentence (a list of words as Whisper writes them) one segment.

    Words last half a second each; sentences follow one another with a second between them.
    """
    segments, start = [], 0.0
    for words in sentences:
        timed = tuple(
            engine.Word(start=start + n * WORD_S, end=start + (n + 1) * WORD_S, text=text,
                        probability=0.9)
            for n, text in enumerate(words)
        )  # fmt: skip
        text = "".join(words)
        segments.append(engine.Segment(start=start, end=timed[-1].end, text=text, words=timed))
        start = timed[-1].end + 1.0
    return engine.Transcript(language=language, duration_s=start, segments=tuple(segments))


def store_spoken(
    org_id: int,
    sentences: Sequence[Sequence[str]],
    language: str = "zh",
    *,
    listed: Sequence[int] = (),
) -> int:
    """Add a recording of ``org_id`` whose transcript is ``sentences``; return its id.

    ``listed``: items put on the recording's item list before the transcript is stored.
    """
    recording = Recording(org_id=org_id, title="直播", stored_name="s.mp4", duration_s=120)
    db.session.add(recording)
    db.session.commit()
    if listed:
        add_items(recording, None, listed)
    save_transcript(
        recording,
        spoken(sentences, language),
        model_name="t",
        hotwords="",
        prompt="",
        listed=stream_item_ids(recording),
    )
    return recording.id
