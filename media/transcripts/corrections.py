"""Names corrected in transcripts: write them as the catalog spells them, show them, undo them.

When a recognition result is stored, every sentence is checked against the organisation's item
names and aliases and the active glossary terms (``media.mentions.correction``). A span that
sounds like one is rewritten in the sentence's words, so ``Sentence.text``, the ``Word`` rows
and everything made from them (mentions, clip subtitles, the publish kit, exports) carry the
catalog's spelling. What was heard stays: the whole recognised sentence in
``Sentence.heard_text`` and each rewritten span in a ``NameCorrection`` row (where it is, what
was heard, which term). A merchant can undo a correction: the heard words go back into the
sentence and its word, the row is marked undone (by whom, when), a ``SentenceEdit`` and an
audit event record it, and the mentions are refreshed.

When the stream's item list changes after the transcript exists, ``correct_again`` corrects
the names once more with the new list (the recordings' ``recording.names`` job), as if the
transcript were recognised with it: the names are looked for in what was heard (each correction
in force read as its heard words), so the same list always asks for the same corrections. It
adds those missing (each a new ``NameCorrection``, undone in one click as ever) and takes back
a catalog correction that only an item off the list justified: one whose term names no item
of the list (nor a glossary term, nor no active item at all) and that the list does not ask
for. Taking back puts the heard words in the sentence and its word as an undo does, but deletes
the row instead of marking it undone by someone, so listing the item again corrects it again.
It leaves alone every sentence the merchant edited by hand, never writes again a correction the
merchant undid (the same term over the same heard words, or anything over where one was undone)
and keeps ``heard_text`` as first recognised. Run twice, the second run finds nothing to change.
An undo holds until the recording is transcribed again.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, delete, func, insert, select, update

from media.glossary.services import active_terms
from media.mentions.correction import Fix, find_fixes
from media.mentions.matching import CatalogTerm, terms_for
from media.transcription.engine import Word as HeardWord
from media.transcripts.models import (
    NameCorrection,
    RecordingRef,
    Sentence,
    SentenceEdit,
    Transcript,
    Word,
)
from media.transcripts.sentences import SentenceDraft
from media.transcripts.signals import transcript_edited
from portal.audit.services import record_event
from portal.auth.models import User
from portal.catalog.services import active_items
from portal.database import lock_rows, utcnow
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
    """Put back the words heard where a name was corrected (again, or taken back: nothing to do).

    Works on the sentence as stored: the names job may have corrected another name of it since
    the merchant's page read it (the row is held until the commit, then read again).
    """
    lock_rows(db.session, select(Sentence.id).where(Sentence.id == sentence.id))
    db.session.refresh(sentence)
    stored = db.session.get(NameCorrection, correction.id, populate_existing=True)
    if stored is None or stored.undone_at is not None:  # taken back by the names job, or undone
        return sentence
    correction = stored
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


@dataclass(frozen=True)
class CorrectedAgain:
    """What ``correct_again`` did: corrections added, in how many sentences (with those taken
    back), how many sentences changed meanwhile (someone edited or undid there: left for the
    next run), and how many corrections were taken back."""

    corrections: int = 0
    sentences: int = 0
    changed_meanwhile: int = 0
    taken_back: int = 0


@dataclass(frozen=True)
class _InForce:
    """A correction in force in a sentence, and where its heard words start in what was heard."""

    correction: NameCorrection
    heard_start: int

    @property
    def heard_end(self) -> int:
        """Where its heard words end in what was heard."""
        return self.heard_start + len(self.correction.heard)


def correct_again(recording: RecordingRef, listed: Collection[int]) -> CorrectedAgain:
    """Correct the names of the recording's transcript once more, ``listed`` its items' list.

    Looks for the names in what was heard (``_in_force``): adds the corrections the list asks
    for, each stored as at first (one click undoes it), and takes back those only an item off
    the list justified (``_unjustified``). Leaves alone a sentence the merchant edited by hand,
    a span already corrected or undone (its words' times), and the same heard words written as
    a term the merchant undid in that sentence. Each sentence is written only if nobody changed
    it since it was read (else it is counted in ``changed_meanwhile``). Commits; sends
    ``transcript_edited`` when a sentence changed.
    """
    transcript = db.session.scalar(
        scoped(Transcript, recording.org_id).where(Transcript.recording_id == recording.id)
    )
    if transcript is None:
        return CorrectedAgain()
    sentences = list(
        db.session.scalars(
            scoped(Sentence, recording.org_id)
            .where(Sentence.transcript_id == transcript.id)
            .order_by(Sentence.position)
        )
    )
    corrections, words = _corrections_of(transcript), _words_of(transcript)
    in_force = [_in_force(s.text, corrections.get(s.id, [])) for s in sentences]
    terms = correction_terms(recording.org_id)
    heard = [_heard(s.text, force) for s, force in zip(sentences, in_force, strict=True)]
    found = find_fixes(heard, terms, listed=listed)
    owners = _owners(terms)
    by_hand = _edited_by_hand(transcript, corrections)
    added = taken = changed = meanwhile = 0
    for sentence, force, fixes in zip(sentences, in_force, found, strict=True):
        if sentence.id in by_hand:
            continue
        made = corrections.get(sentence.id, [])
        back = [f for f in force if _unjustified(f, fixes, owners, listed)]
        text = sentence.text
        if back:
            taken_back = _take_back(sentence, text, [f.correction for f in back], made)
            if taken_back is None:
                meanwhile += 1
                continue
            text, made = taken_back
            force = [f for f in force if f not in back]
            taken, changed = taken + len(back), changed + 1
        fixes = _in_text(text, fixes, force)
        draft = _draft_of(text, words.get(sentence.position, [])) if fixes else None
        if draft is None:
            continue
        fixes = [fix for fix in fixes if _free(fix, draft, made)]
        if not fixes:
            continue
        written = _rewritten(draft, fixes)
        described = _described(written, fixes)
        if not _store_again(sentence, text, transcript, written, fixes, described, made):
            meanwhile += 1
            continue
        added, changed = added + len(fixes), changed + int(not back)
    if changed:
        record_event(
            None,
            "transcript.names_corrected_again",
            transcript,
            org_id=transcript.org_id,
            corrections=added,
            sentences=changed,
            taken_back=taken,
        )
    db.session.commit()
    if changed:
        transcript_edited.send(recording_id=recording.id, org_id=recording.org_id)
    return CorrectedAgain(added, changed, meanwhile, taken)


def _in_force(text: str, made: Sequence[NameCorrection]) -> list[_InForce]:
    """The sentence's corrections in force, in text order, each placed in what was heard.

    None are when one does not spell its ``written`` where it says or two overlap: the
    sentence is then read as it stands, and nothing is taken back in it.
    """
    force = sorted((c for c in made if c.undone_at is None), key=lambda c: c.start_char)
    placed, shift, end = [], 0, 0
    for correction in force:
        start = correction.start_char
        if start < end or text[start : correction.end_char] != correction.written:
            return []
        placed.append(_InForce(correction, start - shift))
        shift += len(correction.written) - len(correction.heard)
        end = correction.end_char
    return placed


def _heard(text: str, force: Sequence[_InForce]) -> str:
    """The sentence's text with the corrections in force read as their heard words."""
    for placed in reversed(force):
        correction = placed.correction
        text = text[: correction.start_char] + correction.heard + text[correction.end_char :]
    return text


def _owners(terms: Sequence[CatalogTerm]) -> dict[str, set[int]]:
    """The ids of the items (negative: glossary terms) each term is a name of, as stored."""
    owners: dict[str, set[int]] = {}
    for term in terms:
        owners.setdefault(term.text[:200], set()).add(term.item_id)
    return owners


def _unjustified(
    placed: _InForce, fixes: Sequence[Fix], owners: dict[str, set[int]], listed: Collection[int]
) -> bool:
    """Whether a correction in force is to be taken back: a catalog name of active items none
    of which is listed (nor a glossary term too), and no fix asks for it where it was heard."""
    correction = placed.correction
    items = owners.get(correction.term, set())
    if correction.source != CATALOG or not items:
        return False
    if any(item < 0 or item in listed for item in items):
        return False
    asked = (placed.heard_start, placed.heard_end, correction.written)
    return not any((fix.start, fix.end, fix.written) == asked for fix in fixes)


def _in_text(text: str, fixes: Sequence[Fix], force: Sequence[_InForce]) -> list[Fix]:
    """Place fixes found in what was heard in the sentence's text, the corrections in force
    written in it; a fix over one of them is made already (or kept from being made)."""
    placed = []
    for fix in fixes:
        if any(fix.start < f.heard_end and f.heard_start < fix.end for f in force):
            continue
        shift = sum(
            len(f.correction.written) - len(f.correction.heard)
            for f in force
            if f.heard_end <= fix.start
        )
        start, end = fix.start + shift, fix.end + shift
        if text[start:end] == fix.heard:
            placed.append(Fix(start, end, fix.heard, fix.written, fix.term))
    return placed


def _take_back(
    sentence: Sentence, text: str, back: Sequence[NameCorrection], made: Sequence[NameCorrection]
) -> tuple[str, list[NameCorrection]] | None:
    """Put the heard words of ``back`` in the sentence and its words, delete their rows and
    move the later corrections; return the new text and the corrections left, or None when
    the sentence changed since it was read (then nothing is written)."""
    new = text
    for correction in sorted(back, key=lambda c: c.start_char, reverse=True):
        new = new[: correction.start_char] + correction.heard + new[correction.end_char :]
    if not _write_if_unchanged(sentence, text, text=new):
        return None
    left = [c for c in made if c not in back]
    for other in left:
        if other.undone_at is None:
            shift = sum(
                len(c.heard) - len(c.written) for c in back if c.end_char <= other.start_char
            )
            other.start_char += shift
            other.end_char += shift
    for correction in back:
        _restore_word(sentence, correction)
        db.session.delete(correction)
    return new, left


def _write_if_unchanged(sentence: Sentence, old: str, **values: object) -> bool:
    """Write ``values`` into the sentence unless its text is no longer ``old`` or the merchant
    edited it by hand meanwhile (SQL: holds the row until the commit)."""
    result = db.session.execute(
        update(Sentence)
        .where(
            Sentence.id == sentence.id,
            Sentence.text == old,
            Sentence.edited_text.is_(None),
            _hand_edits(Sentence.id) <= 0,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _corrections_of(transcript: Transcript) -> dict[int, list[NameCorrection]]:
    """Every correction of the transcript, undone ones too, by sentence id."""
    statement = (
        scoped(NameCorrection, transcript.org_id)
        .join(Sentence, Sentence.id == NameCorrection.sentence_id)
        .where(Sentence.transcript_id == transcript.id)
    )
    grouped: dict[int, list[NameCorrection]] = {}
    for correction in db.session.scalars(statement):
        grouped.setdefault(correction.sentence_id, []).append(correction)
    return grouped


def _words_of(transcript: Transcript) -> dict[int, list[Word]]:
    """The transcript's words in time order, by sentence position."""
    statement = (
        select(Word).where(Word.transcript_id == transcript.id).order_by(Word.start_ms, Word.id)
    )
    grouped: dict[int, list[Word]] = {}
    for word in db.session.scalars(statement):
        grouped.setdefault(word.sentence_position, []).append(word)
    return grouped


def _hand_edits(sentence_id: ColumnElement[int]) -> ColumnElement[int]:
    """How many of a sentence's edits were the merchant's own (SQL, per sentence).

    Every undo of a correction adds one ``SentenceEdit`` and marks one correction undone; every
    other ``SentenceEdit`` is an edit by hand (kept even when the merchant edited the text back).
    ``SentenceEdit`` has no kind of its own, so the edits by hand are those beyond the undos.
    """
    edits = select(func.count(SentenceEdit.id)).where(SentenceEdit.sentence_id == sentence_id)
    undone = select(func.count(NameCorrection.id)).where(
        NameCorrection.sentence_id == sentence_id, NameCorrection.undone_at.is_not(None)
    )
    return edits.scalar_subquery() - undone.scalar_subquery()


def _edited_by_hand(
    transcript: Transcript, corrections: dict[int, list[NameCorrection]]
) -> set[int]:
    """The ids of the transcript's sentences the merchant edited by hand (now or before)."""
    statement = (
        select(SentenceEdit.sentence_id, func.count(SentenceEdit.id))
        .join(Sentence, Sentence.id == SentenceEdit.sentence_id)
        .where(Sentence.transcript_id == transcript.id)
        .group_by(SentenceEdit.sentence_id)
    )
    edited = {
        sentence_id
        for sentence_id, count in db.session.execute(statement)
        if count > sum(c.undone_at is not None for c in corrections.get(sentence_id, []))
    }
    showing = select(Sentence.id).where(
        Sentence.transcript_id == transcript.id, Sentence.edited_text.is_not(None)
    )
    return edited | set(db.session.scalars(showing))


def _draft_of(text: str, words: Sequence[Word]) -> SentenceDraft | None:
    """Rebuild a stored sentence's draft: its words, each with the spaces before it in ``text``.

    None when the words do not spell the text (nothing is corrected there then).
    """
    drafted, cursor = [], 0
    for word in words:
        at = text.find(word.text, cursor)
        if at < 0 or text[cursor:at].strip():
            return None
        end = at + len(word.text)
        drafted.append(
            HeardWord(
                start=word.start_ms / 1000,
                end=word.end_ms / 1000,
                text=text[cursor:end],
                probability=word.probability,
            )
        )
        cursor = end
    if not drafted or text[cursor:].strip():
        return None
    return SentenceDraft(drafted)


def _free(fix: Fix, draft: SentenceDraft, made: Sequence[NameCorrection]) -> bool:
    """Whether ``fix`` may be written: not over a correction made or undone, nor a term the
    merchant undid over the same heard words in this sentence."""
    starts, position = [], 0
    for word in draft.words:
        starts.append(position)
        position += len(word.text)
    first = draft.words[bisect_right(starts, fix.start) - 1]
    last = draft.words[bisect_right(starts, fix.end - 1) - 1]
    start_ms, end_ms = round(first.start * 1000), round(last.end * 1000)
    for correction in made:
        if start_ms < correction.word_end_ms and correction.word_start_ms < end_ms:
            return False
        if correction.undone_at is None:
            if fix.start < correction.end_char and correction.start_char < fix.end:
                return False
        elif (correction.heard, correction.term) == (fix.heard[:200], fix.term.text[:200]):
            return False
    return True


def _store_again(
    sentence: Sentence,
    old: str,
    transcript: Transcript,
    written: SentenceDraft,
    fixes: Sequence[Fix],
    described: list[dict[str, object]],
    made: Sequence[NameCorrection],
) -> bool:
    """Write the corrected sentence, its words and corrections, unless it changed since read
    (its text then ``old``)."""
    heard_text = func.coalesce(Sentence.heard_text, old)
    if not _write_if_unchanged(sentence, old, text=written.text, heard_text=heard_text):
        return False
    for correction in made:
        if correction.undone_at is None:
            shift = sum(
                len(fix.written) - (fix.end - fix.start)
                for fix in fixes
                if fix.end <= correction.start_char
            )
            correction.start_char += shift
            correction.end_char += shift
    db.session.execute(
        delete(Word).where(
            Word.transcript_id == transcript.id, Word.sentence_position == sentence.position
        )
    )
    db.session.execute(
        insert(Word),
        [
            {
                "transcript_id": transcript.id,
                "sentence_position": sentence.position,
                "start_ms": round(word.start * 1000),
                "end_ms": round(word.end * 1000),
                "text": word.text.strip()[:100],
                "probability": word.probability,
            }
            for word in written.words
        ],
    )
    db.session.execute(
        insert(NameCorrection),
        [{"org_id": sentence.org_id, "sentence_id": sentence.id, **row} for row in described],
    )
    db.session.expire(sentence)
    return True
