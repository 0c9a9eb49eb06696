"""Names corrected in transcripts: write them as the catalog spells them, show them, undo them.

When a recognition result is stored, every sentence is checked against the organisation's item
names and aliases and the active glossary terms (``media.mentions.correction``). A span that
sounds like one is rewritten in the sentence's words, so ``Sentence.text``, the ``Word`` rows
and everything made from them (mentions, clip subtitles, the publish kit, exports) carry the
catalog's spelling. What was heard stays: the whole recognised sentence in
``Sentence.heard_text`` and each rewritten span in a ``NameCorrection`` row (where it is, what
was heard, which term). A merchant can undo a correction: the heard words go back into the
sentence and its word, the row is marked undone (by whom, when), a ``SentenceEdit`` and an
audit event record it, and the mentions are refreshed. Nothing rewrites a sentence later, so an
undo holds until the recording is transcribed again.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from media.glossary.services import active_terms
from media.mentions.correction import Fix, find_fixes
from media.mentions.matching import CatalogTerm, terms_for
from media.transcription.engine import Word as HeardWord
from media.transcripts.models import NameCorrection, Sentence, SentenceEdit, Transcript, Word
from media.transcripts.sentences import SentenceDraft
from media.transcripts.signals import transcript_edited
from portal.audit.services import record_event
from portal.auth.models import User
from portal.catalog.services import active_items
from portal.database import utcnow
from portal.errors import ServiceError
from portal.extensions import db
from portal.organisations.scoping import scoped
from portal.punctuation import tidy_punctuation

CATALOG, GLOSSARY = "catalog", "glossary"


def correction_terms(org_id: int) -> list[CatalogTerm]:
    """Return the organisation's item names and aliases, then the active glossary terms.

    Glossary terms carry negative ids, so they never stand for an item.
    """
    items = active_items(org_id)
    catalog = [term for item in items for term in terms_for(item.id, item.spoken_names)]
    glossary = [CatalogTerm(-row.id, row.term) for row in active_terms()]
    return [*catalog, *glossary]


@dataclass
class CorrectedSentence:
    """A sentence ready to store: its words as written, and what was heard if that differs."""

    draft: SentenceDraft
    heard_text: str | None = None
    corrections: list[dict[str, object]] = field(default_factory=list)


def correct_sentences(
    drafts: Sequence[SentenceDraft],
    terms: Sequence[CatalogTerm],
    *,
    listed: Collection[int] = (),
) -> list[CorrectedSentence]:
    """Rewrite misheard names in every sentence; each correction is described for storing.

    ``listed`` holds the items on the stream's list, whose names are corrected more boldly.
    """
    texts = [draft.text for draft in drafts]
    results = []
    found = find_fixes(texts, terms, listed=listed)
    for draft, text, fixes in zip(drafts, texts, found, strict=True):
        if not fixes:
            results.append(CorrectedSentence(draft))
            continue
        written = _rewritten(draft, fixes)
        results.append(CorrectedSentence(written, text, _described(written, fixes)))
    return results


def _rewritten(draft: SentenceDraft, fixes: list[Fix]) -> SentenceDraft:
    """Write the fixes into the draft's words; the words a fix covers become one word."""
    joined = "".join(word.text for word in draft.words)
    lead = len(joined) - len(joined.lstrip())
    starts, position = [], 0
    for word in draft.words:
        starts.append(position)
        position += len(word.text)
    words = list(draft.words)
    for fix in reversed(fixes):  # right to left: the offsets of earlier fixes stay valid
        start, end = fix.start + lead, fix.end + lead
        first, last = bisect_right(starts, start) - 1, bisect_right(starts, end - 1) - 1
        head = words[first].text[: start - starts[first]]
        tail = words[last].text[end - starts[last] :]
        merged = HeardWord(
            start=words[first].start,
            end=words[last].end,
            text=head + fix.written + tail,
            probability=min(word.probability for word in words[first : last + 1]),
        )
        words[first : last + 1] = [merged]
        del starts[first + 1 : last + 1]
    return SentenceDraft(words)


def _described(written: SentenceDraft, fixes: list[Fix]) -> list[dict[str, object]]:
    """Describe each fix where it lands in the written sentence, with its word's times."""
    joined = "".join(word.text for word in written.words)
    lead = len(joined) - len(joined.lstrip())
    ends, position = [], 0
    for word in written.words:
        position += len(word.text)
        ends.append(position)
    described, shift = [], 0
    for fix in fixes:
        start = fix.start + shift
        word = written.words[bisect_right(ends, start + lead)]
        described.append(
            {
                "start_char": start,
                "end_char": start + len(fix.written),
                "heard": fix.heard[:200],
                "written": fix.written[:200],
                "term": fix.term.text[:200],
                "source": GLOSSARY if fix.term.item_id < 0 else CATALOG,
                "word_start_ms": round(word.start * 1000),
                "word_end_ms": round(word.end * 1000),
            }
        )
        shift += len(fix.written) - (fix.end - fix.start)
    return described


def get_correction_or_404(sentence: Sentence, correction_id: int) -> NameCorrection:
    """Load one correction of ``sentence``; anything else is a 404."""
    statement = scoped(NameCorrection, sentence.org_id).where(
        NameCorrection.sentence_id == sentence.id, NameCorrection.id == correction_id
    )
    return db.first_or_404(statement)


def undo_correction(correction: NameCorrection, sentence: Sentence, actor: User) -> Sentence:
    """Put back the words heard where a name was corrected (again: nothing to do)."""
    if correction.undone_at is not None:
        return sentence
    if sentence.edited_text is not None:
        raise ServiceError(_("This sentence was corrected by hand: edit it to change the name."))
    old = sentence.text
    start, end = correction.start_char, correction.end_char
    if old[start:end] != correction.written:
        raise ServiceError(_("This correction no longer matches the sentence."))
    sentence.text = old[:start] + correction.heard + old[end:]
    _shift_later(sentence, correction)
    _restore_word(sentence, correction)
    correction.undone_at, correction.undone_by_id = utcnow(), actor.id
    db.session.add(
        SentenceEdit(
            sentence_id=sentence.id, user_id=actor.id, old_text=old, new_text=sentence.text
        )
    )
    record_event(
        actor,
        "sentence.correction_undone",
        sentence,
        org_id=sentence.org_id,
        heard=correction.heard,
        written=correction.written,
    )
    db.session.commit()
    transcript = db.session.get(Transcript, sentence.transcript_id)
    if transcript is not None:
        transcript_edited.send(recording_id=transcript.recording_id, org_id=sentence.org_id)
    return sentence


def _shift_later(sentence: Sentence, undone: NameCorrection) -> None:
    """Move the sentence's later corrections by the length the undo changed."""
    shift = len(undone.heard) - len(undone.written)
    later = scoped(NameCorrection, sentence.org_id).where(
        NameCorrection.sentence_id == sentence.id,
        NameCorrection.undone_at.is_(None),
        NameCorrection.start_char >= undone.end_char,
        NameCorrection.id != undone.id,
    )
    for other in db.session.scalars(later):
        other.start_char += shift
        other.end_char += shift


def _restore_word(sentence: Sentence, correction: NameCorrection) -> None:
    """Write what was heard back into the word that carries the correction."""
    statement = select(Word).where(
        Word.transcript_id == sentence.transcript_id,
        Word.sentence_position == sentence.position,
        Word.start_ms == correction.word_start_ms,
        Word.end_ms == correction.word_end_ms,
    )
    for word in db.session.scalars(statement):
        if correction.written in word.text:
            word.text = word.text.replace(correction.written, correction.heard, 1)[:100]
            return


@dataclass(frozen=True)
class TextPiece:
    """A run of a sentence's shown text; ``correction`` is set where a name was corrected."""

    text: str
    correction: NameCorrection | None = None


def sentence_pieces(sentence: Sentence) -> list[TextPiece]:
    """Split the shown text around its corrections (none while the merchant's edit shows)."""
    if sentence.edited_text is not None or not sentence.corrections:
        return [TextPiece(sentence.shown_text)]
    pieces, position = [], 0
    for correction in sentence.corrections:
        start, end = correction.start_char, correction.end_char
        if start < position or sentence.text[start:end] != correction.written:
            continue
        pieces += [
            TextPiece(sentence.text[position:start]),
            TextPiece(correction.written, correction),
        ]
        position = end
    pieces.append(TextPiece(sentence.text[position:]))
    return [TextPiece(tidy_punctuation(p.text), p.correction) for p in pieces if p.text]
