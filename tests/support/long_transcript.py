"""Build a long recording's rows directly (no media, no transcription): a recording, its
transcript and thousands of sentences, as a 4-hour stream leaves them.

Sentence ``n`` starts at ``n * every_ms`` and lasts ``every_ms - 500``; its text is Mandarin
with its number in it (``第12句``), or whatever ``texts`` says for that number.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import insert, select

from media.recordings.models import Language, Recording
from media.transcripts.models import Sentence, Transcript
from portal.extensions import db

FOUR_HOURS_S = 4 * 3600
SENTENCES_IN_FOUR_HOURS = 3600


def sentence_text(n: int) -> str:
    """The default text of sentence ``n``: a seller's line about jade."""
    return f"第{n}句：这只冰种翡翠手镯水头很足，颜色均匀，今天直播间给大家一个特别的价格。"


def add_long_recording(
    org_id: int,
    *,
    sentences: int = SENTENCES_IN_FOUR_HOURS,
    every_ms: int = FOUR_HOURS_S * 1000 // SENTENCES_IN_FOUR_HOURS,
    texts: Mapping[int, str] | None = None,
    starts_ms: Mapping[int, int] | None = None,
    title: str = "四小时直播",
) -> int:
    """Add a transcribed recording of ``org_id`` with ``sentences`` sentences; return its id.

    ``starts_ms`` moves single sentences (to put them on a piece's edge). Needs an app context.
    """
    duration_s = sentences * every_ms / 1000
    recording = Recording(
        org_id=org_id, title=title, stored_name="long.mp4", language=Language.ZH,
        duration_s=duration_s, width=1280, height=720,
    )  # fmt: skip
    db.session.add(recording)
    db.session.flush()
    transcript = Transcript(
        org_id=org_id, recording_id=recording.id, language="zh", model_name="test",
        duration_s=duration_s,
    )  # fmt: skip
    db.session.add(transcript)
    db.session.flush()
    texts, starts_ms = texts or {}, starts_ms or {}
    rows = []
    for n in range(sentences):
        start = starts_ms.get(n, n * every_ms)
        rows.append(
            {"org_id": org_id, "transcript_id": transcript.id, "position": n, "start_ms": start,
             "end_ms": start + every_ms - 500, "text": texts.get(n, sentence_text(n))}
        )  # fmt: skip
    db.session.execute(insert(Sentence), rows)
    db.session.commit()
    return recording.id


def sentence_ids(recording_id: int) -> list[int]:
    """Return the recording's sentence ids in time order. Needs an app context."""
    return list(
        db.session.scalars(
            select(Sentence.id)
            .join(Transcript, Transcript.id == Sentence.transcript_id)
            .where(Transcript.recording_id == recording_id)
            .order_by(Sentence.start_ms, Sentence.position)
        )
    )
