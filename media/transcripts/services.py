"""Transcript workflows: store a recognition result (names corrected), edit sentences, export."""

from __future__ import annotations

import math
from collections.abc import Collection

from flask_babel import gettext as _
from sqlalchemy import delete, insert, select

from media.transcription import engine
from media.transcription.quality import HintVocabulary
from media.transcripts.corrections import CorrectedSentence, correct_sentences, correction_terms
from media.transcripts.models import (
    NameCorrection,
    RecordingRef,
    Sentence,
    SentenceEdit,
    Transcript,
    Word,
)
from media.transcripts.screening import (
    SpanRecogniser,
    recover_unclear,
    recover_unheard,
    screen_sentences,
)
from media.transcripts.signals import transcript_edited, transcript_saved
from portal.audit.services import record_event
from portal.auth.models import User
from portal.errors import ServiceError
from portal.extensions import db
from portal.organisations.scoping import scoped
from portal.punctuation import tidy_punctuation
from portal.templating import duration

MAX_SENTENCE_CHARS = 1000


def _ms(seconds: float) -> int:
    return round(seconds * 1000)


def save_transcript(
    recording: RecordingRef,
    result: engine.Transcript,
    *,
    model_name: str,
    hotwords: str,
    prompt: str,
    recognise_again: SpanRecogniser | None = None,
    listed: Collection[int] = (),
) -> Transcript:
    """Replace the recording's transcript with ``result`` (one transaction, idempotent).

    Text the recogniser made up (loops, the hints read back, guesses) is not stored: its time
    is kept in ``unclear_ranges`` instead (``media.transcripts.screening``). With
    ``recognise_again`` (start and end seconds → segments recognised without hints), each such
    stretch is recognised once more first, and its new text kept if it passes the screening;
    so is each long stretch where no word was recognised (speech Whisper skipped).
    ``listed``: the ids of the items on the recording's item list, which name corrections prefer.
    """
    db.session.execute(delete(Transcript).where(Transcript.recording_id == recording.id))
    terms = correction_terms(recording.org_id)
    hints = HintVocabulary([hotwords, *(term.text for term in terms)])
    segments = result.segments
    if recognise_again is not None:
        segments = recover_unclear(segments, hints, recognise_again)
        segments = recover_unheard(segments, result.duration_s, hints, recognise_again)
    screened = screen_sentences(segments, hints)
    transcript = Transcript(
        org_id=recording.org_id,
        recording_id=recording.id,
        language=result.language,
        model_name=model_name,
        duration_s=result.duration_s,
        hotwords=hotwords,
        prompt=prompt,
        unclear_ranges=[span.as_json() for span in screened.unclear],
    )
    db.session.add(transcript)
    db.session.flush()
    drafts = correct_sentences(screened.sentences, terms, listed=set(listed))
    sentence_rows = [
        {
            "org_id": recording.org_id,
            "transcript_id": transcript.id,
            "position": n,
            "start_ms": _ms(d.draft.start),
            "end_ms": _ms(d.draft.end),
            "text": d.draft.text,
            "heard_text": d.heard_text,
        }
        for n, d in enumerate(drafts)
    ]
    word_rows = [
        {
            "transcript_id": transcript.id,
            "sentence_position": n,
            "start_ms": _ms(w.start),
            "end_ms": _ms(w.end),
            "text": w.text.strip()[:100],
            "probability": w.probability,
        }
        for n, d in enumerate(drafts)
        for w in d.draft.words
    ]
    if sentence_rows:
        db.session.execute(insert(Sentence), sentence_rows)
    if word_rows:
        db.session.execute(insert(Word), word_rows)
    _insert_corrections(transcript, drafts)
    db.session.commit()
    transcript_saved.send(recording_id=recording.id, org_id=recording.org_id)
    return transcript


def _insert_corrections(transcript: Transcript, drafts: list[CorrectedSentence]) -> None:
    """Store the name corrections of the transcript's newly inserted sentences."""
    if not any(d.corrections for d in drafts):
        return
    found = db.session.execute(
        select(Sentence.position, Sentence.id).where(Sentence.transcript_id == transcript.id)
    )
    ids = dict(found.all())
    rows = [
        {"org_id": transcript.org_id, "sentence_id": ids[n], **correction}
        for n, d in enumerate(drafts)
        for correction in d.corrections
    ]
    db.session.execute(insert(NameCorrection), rows)


def get_transcript(recording: RecordingRef) -> Transcript | None:
    """Return the recording's transcript, if transcribed."""
    return db.session.scalar(
        scoped(Transcript, recording.org_id).where(Transcript.recording_id == recording.id)
    )


def unclear_ranges_label(transcript: Transcript | None) -> str:
    """Write where the speech could not be recognised, e.g. ``12:00–15:00, 21:03–21:10``.

    Empty when all of it was (or there is no transcript yet).
    """
    if transcript is None:
        return ""
    return ", ".join(
        f"{duration(span['start_ms'] // 1000)}–{duration(math.ceil(span['end_ms'] / 1000))}"
        for span in transcript.unclear_ranges
    )


def list_sentences(transcript: Transcript) -> list[Sentence]:
    """Return the transcript's sentences in order."""
    statement = (
        scoped(Sentence, transcript.org_id)
        .where(Sentence.transcript_id == transcript.id)
        .order_by(Sentence.position)
    )
    return list(db.session.scalars(statement))


def sentences_between(transcript: Transcript, start_ms: int, end_ms: int) -> list[Sentence]:
    """Return the transcript's sentences that overlap ``start_ms``–``end_ms``, in order.

    One query whatever the transcript's length (plus one for their name corrections).
    """
    statement = (
        scoped(Sentence, transcript.org_id)
        .where(
            Sentence.transcript_id == transcript.id,
            Sentence.end_ms > start_ms,
            Sentence.start_ms < end_ms,
        )
        .order_by(Sentence.position)
    )
    return list(db.session.scalars(statement))


def words_between(transcript: Transcript, start_ms: int, end_ms: int) -> list[Word]:
    """Return the transcript's words inside ``start_ms``–``end_ms``, in time order."""
    statement = (
        select(Word)
        .where(
            Word.transcript_id == transcript.id,
            Word.start_ms >= start_ms,
            Word.end_ms <= end_ms,
        )
        .order_by(Word.start_ms)
    )
    return list(db.session.scalars(statement))


def get_sentence_or_404(transcript: Transcript, sentence_id: int) -> Sentence:
    """Load one sentence of ``transcript``; anything else is a 404."""
    statement = scoped(Sentence, transcript.org_id).where(
        Sentence.transcript_id == transcript.id, Sentence.id == sentence_id
    )
    return db.first_or_404(statement)


def edit_sentence(sentence: Sentence, actor: User, new_text: str) -> Sentence:
    """Correct a sentence's text, keeping the history."""
    text = tidy_punctuation(" ".join(new_text.split()))
    if not text:
        raise ServiceError(_("A sentence cannot be empty."), field="text")
    if len(text) > MAX_SENTENCE_CHARS:
        raise ServiceError(_("The sentence is too long."), field="text")
    if text == sentence.shown_text:
        return sentence
    db.session.add(
        SentenceEdit(
            sentence_id=sentence.id, user_id=actor.id, old_text=sentence.shown_text, new_text=text
        )
    )
    sentence.edited_text = None if text == tidy_punctuation(sentence.text) else text
    record_event(actor, "sentence.edited", sentence, org_id=sentence.org_id)
    db.session.commit()
    transcript = db.session.get(Transcript, sentence.transcript_id)
    if transcript is not None:
        transcript_edited.send(recording_id=transcript.recording_id, org_id=sentence.org_id)
    return sentence
