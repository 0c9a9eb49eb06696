"""Find where catalog items are discussed in a recording, and propose clips.

Reads the transcript (edited text where edited) and the organisation's catalog, and replaces
the recording's ``Mention`` and ``Suggestion`` rows, so it can run again whenever either changes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from media.clips.models import Mention, Suggestion, SuggestionItem
from media.mentions.links import find_link_mentions, prefer_listed
from media.mentions.matching import CatalogTerm, TimedSentence, TimedWord, find_mentions, terms_for
from media.mentions.matching import Mention as FoundMention
from media.mentions.suggestions import Suggestion as FoundSuggestion
from media.mentions.suggestions import suggest_clips
from media.mentions.titles import proposed_title
from media.recordings.listed_items import listed_or_small_catalog
from media.recordings.models import Recording
from media.recordings.stream_items import stream_links
from media.transcription.quality import HintVocabulary, text_verdict
from media.transcripts.models import Sentence, Transcript, Word
from media.transcripts.services import get_transcript, list_sentences
from portal.catalog.models import Item
from portal.catalog.services import active_items
from portal.extensions import db
from portal.jobs.models import JobState
from portal.jobs.runner import JobContext
from portal.jobs.services import enqueue_job, latest_job
from portal.organisations.scoping import find_owned, get_owned_or_404, scoped


def _spread_words(sentence: Sentence) -> tuple[TimedWord, ...]:
    """Time an edited sentence's characters evenly across the sentence (no word times exist)."""
    text = sentence.shown_text
    if not text:
        return ()
    step = (sentence.end_s - sentence.start_s) / len(text)
    return tuple(
        TimedWord(sentence.start_s + i * step, sentence.start_s + (i + 1) * step, char)
        for i, char in enumerate(text)
    )


def timed_sentences(recording: Recording) -> list[TimedSentence]:
    """Return the transcript as timed sentences for matching (empty if not transcribed)."""
    transcript = get_transcript(recording)
    if transcript is None:
        return []
    words: dict[int, list[TimedWord]] = {}
    scored: dict[int, list[tuple[str, float]]] = {}
    rows = db.session.execute(
        select(Word.sentence_position, Word.start_ms, Word.end_ms, Word.text, Word.probability)
        .where(Word.transcript_id == transcript.id)
        .order_by(Word.sentence_position, Word.start_ms, Word.id)
    )
    for position, start_ms, end_ms, text, probability in rows:
        word_text = text if _is_cjk(text) else f" {text}"
        words.setdefault(position, []).append(TimedWord(start_ms / 1000, end_ms / 1000, word_text))
        scored.setdefault(position, []).append((text, probability))
    hints = HintVocabulary(
        [transcript.hotwords, *(t.text for t in catalog_terms(recording.org_id))]
    )
    timed = []
    for sentence in list_sentences(transcript):
        own = tuple(words.get(sentence.position, ()))
        if sentence.edited_text is not None or not own:
            own = _spread_words(sentence)
        elif text_verdict(sentence.text, scored[sentence.position], hints) is not None:
            own = ()  # made up (stored before screening existed): no mentions from it
        timed.append(TimedSentence(sentence.position, sentence.start_s, sentence.end_s, own))
    return timed


def _is_cjk(text: str) -> bool:
    return any("\u3400" <= char <= "\u9fff" for char in text)


def catalog_terms(org_id: int) -> list[CatalogTerm]:
    """Return every name and alias of the organisation's active items."""
    return [term for item in active_items(org_id) for term in terms_for(item.id, item.spoken_names)]


def find_item_mentions(recording: Recording, sentences: list[TimedSentence]) -> list[FoundMention]:
    """Find the catalog's names, the stream's list first: its items win ties on a shared name,
    and its link numbers ("3号链接", "item 3") count as mentions of the items they number.

    Without a list, a catalog small enough to be one (``listed_or_small_catalog``) stands in for
    it; link numbers still come only from the real list.
    """
    links = stream_links(recording)
    listed = listed_or_small_catalog(recording)
    named = find_mentions(sentences, catalog_terms(recording.org_id), listed=listed)
    named = prefer_listed(named, listed)
    numbered = find_link_mentions(sentences, {n: item.id for n, item in links if n is not None})
    return sorted([*named, *numbered], key=lambda m: (m.sentence_index, m.start, m.item_id))


def refresh_mentions(recording: Recording) -> tuple[int, int]:
    """Recompute the recording's mentions and suggestions; return how many of each."""
    sentences = timed_sentences(recording)
    mentions = find_item_mentions(recording, sentences) if sentences else []
    suggestions = suggest_clips(sentences, mentions) if mentions else []
    db.session.execute(delete(Mention).where(Mention.recording_id == recording.id))
    db.session.execute(delete(Suggestion).where(Suggestion.recording_id == recording.id))
    db.session.add_all(
        Mention(
            org_id=recording.org_id,
            recording_id=recording.id,
            item_id=m.item_id,
            sentence_position=m.sentence_index,
            start_ms=round(m.start * 1000),
            end_ms=round(m.end * 1000),
            matched_text=m.matched_text[:200],
            term=m.term[:200],
            kind=m.kind,
        )
        for m in mentions
    )
    titles = suggestion_titles(recording.org_id, sentences, suggestions)
    for s, title in zip(suggestions, titles, strict=True):
        suggestion = Suggestion(
            org_id=recording.org_id,
            recording_id=recording.id,
            main_item_id=s.item_ids[0],
            title=title,
            first_sentence=s.first_sentence,
            last_sentence=s.last_sentence,
            start_ms=round(s.start * 1000),
            end_ms=round(s.end * 1000),
            score=s.score,
            mention_count=s.mention_count,
            links=[SuggestionItem(item_id=i, position=n) for n, i in enumerate(s.item_ids)],
        )
        db.session.add(suggestion)
    db.session.commit()
    return len(mentions), len(suggestions)


def suggestion_titles(
    org_id: int, sentences: list[TimedSentence], suggestions: list[FoundSuggestion]
) -> list[str]:
    """Propose each suggestion's title from its main item's name and the facts said in it."""
    ids = {s.item_ids[0] for s in suggestions}
    items = db.session.scalars(scoped(Item, org_id).where(Item.id.in_(ids)))
    names = {item.id: item.name for item in items}
    text_of = {sentence.index: sentence.text for sentence in sentences}
    return [
        proposed_title(
            names.get(s.item_ids[0], ""),
            (text_of.get(n, "") for n in range(s.first_sentence, s.last_sentence + 1)),
        )
        for s in suggestions
    ]


@dataclass(frozen=True)
class ItemMentions:
    """One item's mentions in a recording: a lane of the timeline."""

    item: Item
    count: int
    times_s: list[float]
    kinds: Counter[str]


def mentions_by_item(recording: Recording) -> list[ItemMentions]:
    """Return each mentioned item with its mention times, most mentioned first.

    The mentions are read as plain rows: a four-hour stream has a thousand of them.
    """
    rows = db.session.execute(
        scoped(Mention, recording.org_id)
        .with_only_columns(Mention.item_id, Mention.start_ms, Mention.kind)
        .where(Mention.recording_id == recording.id)
        .order_by(Mention.start_ms)
    ).all()
    by_item: dict[int, list[tuple[int, str]]] = {}
    for item_id, start_ms, kind in rows:
        by_item.setdefault(item_id, []).append((start_ms, kind))
    items = {
        i.id: i
        for i in db.session.scalars(scoped(Item, recording.org_id).where(Item.id.in_(by_item)))
    }
    lanes = [
        ItemMentions(
            items[item_id],
            len(found),
            [start_ms / 1000 for start_ms, _ in found],
            Counter(kind for _, kind in found),
        )
        for item_id, found in by_item.items()
        if item_id in items
    ]
    return sorted(lanes, key=lambda lane: (-lane.count, lane.item.sku))


def list_suggestions(recording: Recording) -> list[Suggestion]:
    """Return the recording's suggestions, best first, with their items."""
    return list(
        db.session.scalars(
            scoped(Suggestion, recording.org_id)
            .where(Suggestion.recording_id == recording.id)
            .order_by(Suggestion.score.desc(), Suggestion.start_ms)
            .options(
                selectinload(Suggestion.main_item),
                selectinload(Suggestion.links).selectinload(SuggestionItem.item),
            )
        )
    )


def suggestions_for_item(item: Item) -> list[Suggestion]:
    """Every suggestion about ``item`` (as main or linked item), best first."""
    return list(
        db.session.scalars(
            scoped(Suggestion, item.org_id)
            .join(SuggestionItem, SuggestionItem.suggestion_id == Suggestion.id)
            .where(SuggestionItem.item_id == item.id)
            .order_by(Suggestion.score.desc())
        )
    )


@dataclass(frozen=True)
class LinkedItem:
    """One item of a suggestion and the seconds it is mentioned inside the suggestion."""

    item: Item
    times_s: list[float]


def suggestion_items(suggestions: list[Suggestion]) -> dict[int, list[LinkedItem]]:
    """Each suggestion's items (main first), with when each is mentioned inside it, by id.

    A mention is inside when its middle is, as when the suggestion was counted.
    """
    if not suggestions:
        return {}
    recordings = {s.recording_id for s in suggestions}
    items = {link.item_id for s in suggestions for link in s.links}
    found = db.session.execute(
        scoped(Mention, suggestions[0].org_id)
        .with_only_columns(Mention.recording_id, Mention.item_id, Mention.start_ms, Mention.end_ms)
        .where(Mention.recording_id.in_(recordings), Mention.item_id.in_(items))
        .order_by(Mention.start_ms, Mention.id)
    )
    by_item: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for recording_id, item_id, start_ms, end_ms in found:
        by_item.setdefault((recording_id, item_id), []).append((start_ms, end_ms))
    return {
        s.id: [
            LinkedItem(
                link.item,
                [
                    start / 1000
                    for start, end in by_item.get((s.recording_id, link.item_id), [])
                    if s.start_ms <= (start + end) / 2 <= s.end_ms
                ],
            )
            for link in s.links
        ]
        for s in suggestions
    }


MENTIONS_JOB = "recording.mentions"


def queue_refresh(recording: Recording, actor: object = None) -> None:
    """Queue a mentions refresh of the recording, unless one is already waiting."""
    waiting = latest_job(MENTIONS_JOB, recording)
    if waiting is not None and waiting.state == JobState.QUEUED:
        return
    enqueue_job(MENTIONS_JOB, recording, org_id=recording.org_id, actor=actor)


def queue_refresh_for_org(sender: object = None, *, org_id: int) -> None:
    """The catalog changed: refresh every transcribed recording of the organisation."""
    transcribed = db.session.scalars(
        scoped(Recording, org_id).join(Transcript, Transcript.recording_id == Recording.id)
    ).all()
    for recording in transcribed:
        queue_refresh(recording)


def queue_refresh_for_recording(sender: object = None, *, recording_id: int, org_id: int) -> None:
    """A transcript was corrected, or its names checked against a changed item list: refresh
    that recording's mentions."""
    queue_refresh(get_owned_or_404(Recording, recording_id, org_id))


def refresh_mentions_job(ctx: JobContext) -> None:
    """Job handler: recompute a recording's mentions and suggestions.

    A recording deleted after the refresh was queued leaves nothing to do: the job succeeds.
    """
    recording = find_owned(Recording, ctx.job.subject_id, ctx.job.org_id)
    if recording is None:
        return
    ctx.step("finding_items")
    refresh_mentions(recording)
