"""Clip workflows: create from sentences or a suggestion, edit range, items and subtitles."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from media.clips.models import Clip, ClipCue, ClipItem, ClipRange, ClipState, Suggestion
from media.clips.ranges import Range, bounds_of, pushed, with_bounds
from media.clips.signals import clip_changed
from media.clips.states import hold
from media.recordings.models import Recording
from media.transcripts.aliases import AliasOffer, alias_offers_for_texts
from media.transcripts.models import Sentence, Transcript
from media.transcripts.services import get_transcript, list_sentences, sentences_between
from portal.audit.services import record_event
from portal.auth.models import User
from portal.catalog.models import Item
from portal.errors import ConflictError, ServiceError
from portal.extensions import db
from portal.organisations.scoping import scoped
from portal.punctuation import tidy_punctuation

MIN_CLIP_S = 3.0
MAX_CLIP_S = 180.0
EDITABLE_STATES = frozenset(
    {ClipState.DRAFT, ClipState.READY, ClipState.CHANGES_REQUESTED, ClipState.REJECTED}
)
# An approved clip's texts keep what the trainer approved (the public pages show them); a later
# change waits in ``Clip.pending_text`` until the merchant submits it for review.
APPROVED_STATES = frozenset({ClipState.APPROVED, ClipState.PUBLISHED})
TEXT_EDITABLE_STATES = EDITABLE_STATES | APPROVED_STATES


def recording_sentences(recording: Recording) -> list[Sentence]:
    """Return the recording's transcript sentences (none if not transcribed)."""
    transcript = get_transcript(recording)
    return list_sentences(transcript) if transcript else []


def sentences_during(
    recording: Recording | None, start_ms: int, end_ms: int, transcript: Transcript | None = None
) -> list[Sentence]:
    """Return the recording's sentences overlapping ``start_ms``–``end_ms`` (one query, or two
    without ``transcript``, the recording's transcript loaded already)."""
    if transcript is None:
        transcript = get_transcript(recording) if recording else None
    return sentences_between(transcript, start_ms, end_ms) if transcript else []


def _owned_items(org_id: int, item_ids: Sequence[int]) -> list[Item]:
    """Load the organisation's items in the given order; a foreign id is an error."""
    found = {i.id: i for i in db.session.scalars(scoped(Item, org_id).where(Item.id.in_(item_ids)))}
    if set(item_ids) - set(found):
        raise ServiceError(_("Choose items from your own catalog."), field="items")
    return [found[i] for i in dict.fromkeys(item_ids)]


def _check_range(
    start_ms: int, end_ms: int, recording: Recording, length_ms: int | None = None
) -> None:
    """Refuse an in and out outside the recording, or a clip too short or too long.

    ``length_ms``: what the kept ranges between in and out last (default: all of it).
    """
    if start_ms < 0 or end_ms > round(recording.duration_s * 1000) + 1000:
        raise ServiceError(_("In and out must lie inside the recording."), field="range")
    length = (end_ms - start_ms if length_ms is None else length_ms) / 1000
    if length < MIN_CLIP_S:
        raise ServiceError(_("A clip must last at least 3 seconds."), field="range")
    if length > MAX_CLIP_S:
        raise ServiceError(_("A clip may last at most 3 minutes."), field="range")


def cues_for(clip: Clip, sentences: Sequence[Sentence]) -> list[ClipCue]:
    """Subtitle lines for the sentences between in and out, keeping earlier edits by sentence.

    A sentence cut from the middle keeps its line (so undo keeps its edits); the render leaves
    out what is cut (``rendering.visible_cues``).
    """
    previous = {cue.sentence_position: cue for cue in clip.cues}
    cues = []
    for sentence in sentences:
        if sentence.end_ms <= clip.start_ms or sentence.start_ms >= clip.end_ms:
            continue
        old = previous.get(sentence.position)
        cues.append(
            ClipCue(
                sentence_position=sentence.position,
                start_ms=max(sentence.start_ms, clip.start_ms),
                end_ms=min(sentence.end_ms, clip.end_ms),
                text=old.text if old else sentence.shown_text,
                is_hidden=old.is_hidden if old else False,
            )
        )
    return cues


def sentence_range_ms(sentences: Sequence[Sentence], first: int, last: int) -> tuple[int, int]:
    """Return the in and out times of a selection of sentences (by position)."""
    chosen = [s for s in sentences if min(first, last) <= s.position <= max(first, last)]
    if not chosen:
        raise ServiceError(_("Select at least one sentence."), field="range")
    return chosen[0].start_ms, chosen[-1].end_ms


def create_clip(
    recording: Recording,
    actor: User,
    *,
    first_sentence: int,
    last_sentence: int,
    item_ids: Sequence[int],
    title: str,
    suggestion: Suggestion | None = None,
) -> Clip:
    """Start a clip from a selection of sentences (or a suggestion)."""
    sentences = recording_sentences(recording)
    start_ms, end_ms = sentence_range_ms(sentences, first_sentence, last_sentence)
    _check_range(start_ms, end_ms, recording)
    items = _owned_items(recording.org_id, item_ids)
    clip = Clip(
        org_id=recording.org_id,
        recording_id=recording.id,
        created_by_id=actor.id,
        suggestion_id=suggestion.id if suggestion else None,
        title=title.strip()[:200],
        start_ms=start_ms,
        end_ms=end_ms,
        ranges=[ClipRange(position=0, start_ms=start_ms, end_ms=end_ms)],
        links=[ClipItem(item_id=item.id, position=n) for n, item in enumerate(items)],
    )
    clip.cues = cues_for(clip, sentences)
    db.session.add(clip)
    record_event(actor, "clip.created", clip, org_id=clip.org_id, recording=recording.id)
    db.session.commit()
    clip_changed.send(clip_id=clip.id, org_id=clip.org_id)
    return clip


def create_clip_from_suggestion(
    suggestion: Suggestion, recording: Recording, actor: User, title: str = ""
) -> Clip:
    """Start a clip as suggested, linked to the suggested items, under ``title`` (else the
    proposed title, else the main item's name)."""
    title = title.strip() or suggestion.title or suggestion.main_item.name
    return create_clip(
        recording,
        actor,
        first_sentence=suggestion.first_sentence,
        last_sentence=suggestion.last_sentence,
        item_ids=[link.item_id for link in suggestion.links],
        title=title,
        suggestion=suggestion,
    )


def require_editable(clip: Clip) -> None:
    """Refuse edits while a clip is rendering, in review, approved or published (or when
    another request changed its state meanwhile: ``hold``)."""
    hold(clip)
    if clip.state not in EDITABLE_STATES:
        raise ConflictError(_("This clip cannot be edited in its current state."))


def require_text_editable(clip: Clip) -> None:
    """Refuse text edits while a clip is rendering or in review (and once archived)."""
    hold(clip)
    if clip.state not in TEXT_EDITABLE_STATES:
        raise ConflictError(_("This clip cannot be edited in its current state."))


def keep_pending(clip: Clip, **texts: object) -> None:
    """Keep a text change of an approved clip for its next submission (not committed).

    A text put back as approved drops out: then nothing waits.
    """
    pending = {**(clip.pending_text or {}), **texts}
    clip.pending_text = {key: v for key, v in pending.items() if v != getattr(clip, key)} or None


def editing_text(clip: Clip) -> dict[str, object]:
    """The title, description and key facts as the merchant edits them (pending ones first)."""
    current = {"title": clip.title, "description": clip.description, "key_facts": clip.key_facts}
    return {**current, **(clip.pending_text or {})}


def apply_pending_text(clip: Clip) -> None:
    """Move a waiting text change into the clip, which is being submitted (not committed)."""
    for key, value in (clip.pending_text or {}).items():
        setattr(clip, key, value)
    clip.pending_text = None


def update_details(
    clip: Clip, actor: User, *, title: str, description: str, item_ids: Sequence[int]
) -> None:
    """Save the clip's title, description and linked items.

    Once approved the items stay (the library lists a clip under them) and the texts wait in
    ``pending_text`` until submitted: the public keeps the approved ones.
    """
    require_text_editable(clip)
    if not item_ids:
        raise ServiceError(_("Link the clip to at least one item."), field="items")
    if clip.state in APPROVED_STATES:
        if list(item_ids) != [link.item_id for link in clip.links]:
            raise ServiceError(
                _("The items of an approved clip cannot change: make a new clip for other items."),
                field="items",
            )
        keep_pending(clip, title=title.strip()[:200], description=description.strip())
    else:
        items = _owned_items(clip.org_id, item_ids)
        clip.title, clip.description = title.strip()[:200], description.strip()
        clip.links = [ClipItem(item_id=item.id, position=n) for n, item in enumerate(items)]
    record_event(actor, "clip.updated", clip, org_id=clip.org_id)
    clip.updated_by_id = actor.id
    db.session.commit()
    clip_changed.send(clip_id=clip.id, org_id=clip.org_id)


def set_range(clip: Clip, recording: Recording, actor: User, start_ms: int, end_ms: int) -> None:
    """Move the clip's in and out; cuts between them stay, subtitle lines follow (with edits)."""
    require_editable(clip)
    _check_range(start_ms, end_ms, recording)
    set_kept(clip, recording, with_bounds(clip.kept, start_ms, end_ms))
    record_event(actor, "clip.range_set", clip, org_id=clip.org_id, start=start_ms, end=end_ms)
    clip.updated_by_id = actor.id
    db.session.commit()
    clip_changed.send(clip_id=clip.id, org_id=clip.org_id)


def set_kept(clip: Clip, recording: Recording, kept: Sequence[Range]) -> None:
    """Replace the clip's kept ranges (the old list goes on the undo history; not committed).

    In and out become the ranges' bounds; the subtitle lines follow, keeping their edits.
    """
    kept = list(kept)
    start_ms, end_ms = bounds_of(kept)
    _check_range(start_ms, end_ms, recording, sum(b - a for a, b in kept))
    if kept != clip.kept:
        clip.range_history = pushed(clip.range_history or [], clip.kept)
    restore_kept(clip, recording, kept)


def restore_kept(clip: Clip, recording: Recording, kept: Sequence[Range]) -> None:
    """Set the clip's kept ranges, in and out and subtitle lines, leaving the history alone."""
    clip.ranges = [ClipRange(position=n, start_ms=a, end_ms=b) for n, (a, b) in enumerate(kept)]
    clip.start_ms, clip.end_ms = bounds_of(list(kept))
    clip.cues = cues_for(clip, sentences_during(recording, clip.start_ms, clip.end_ms))


def get_cue_or_404(clip: Clip, cue_id: int) -> ClipCue:
    """Load one subtitle line of ``clip``."""
    return db.first_or_404(select(ClipCue).where(ClipCue.clip_id == clip.id, ClipCue.id == cue_id))


def edit_cue(clip: Clip, cue: ClipCue, actor: User, *, text: str, is_hidden: bool) -> ClipCue:
    """Correct a subtitle line's text or hide it."""
    require_editable(clip)
    cleaned = tidy_punctuation(" ".join(text.split()))
    if not cleaned:
        raise ServiceError(_("A subtitle line cannot be empty; hide it instead."), field="text")
    if len(cleaned) > 500:
        raise ServiceError(_("The subtitle line is too long."), field="text")
    cue.text, cue.is_hidden = cleaned, is_hidden
    clip.updated_by_id = actor.id
    record_event(actor, "clip.cue_edited", clip, org_id=clip.org_id, cue=cue.id)
    db.session.commit()
    clip_changed.send(clip_id=clip.id, org_id=clip.org_id)
    return cue


def list_clips(recording: Recording) -> list[Clip]:
    """Return the recording's clips, newest first, their kept ranges loaded (their length)."""
    return list(
        db.session.scalars(
            scoped(Clip, recording.org_id)
            .where(Clip.recording_id == recording.id)
            .options(selectinload(Clip.ranges))
            .order_by(Clip.id.desc())
        )
    )


NEARBY_S = 120  # the editor shows the transcript this long either side of the clip at first
MAX_NEARBY_S = 24 * 3600


@dataclass(frozen=True)
class NearbySentences:
    """The transcript around a clip: ``around_s`` either side; ``wider_s`` for "more"."""

    sentences: list[Sentence]
    around_s: int
    wider_s: int | None  # None: the window already holds the whole recording


def nearby_sentences(
    clip: Clip, recording: Recording, around_s: int = NEARBY_S, transcript: Transcript | None = None
) -> NearbySentences:
    """Sentences around the clip, for re-selecting in and out; "more" doubles the window."""
    around_s = min(max(NEARBY_S, around_s), MAX_NEARBY_S)
    low, high = clip.start_ms - around_s * 1000, clip.end_ms + around_s * 1000
    whole = low <= 0 and high >= recording.duration_s * 1000
    return NearbySentences(
        sentences_during(recording, low, high, transcript),
        around_s,
        None if whole else 2 * around_s,
    )


def alias_offers(clip: Clip, nearby: Sequence[Sentence] | None = None) -> list[AliasOffer]:
    """Misheard item names the clip's subtitle corrections reveal (not yet aliases).

    Only the sentences under the clip are read, however long the recording (or none, when
    ``nearby``, sentences around the clip loaded already, holds them).
    """
    if nearby is None:
        recording = db.session.get(Recording, clip.recording_id)
        nearby = sentences_during(recording, clip.start_ms, clip.end_ms)
    heard = {s.position: s.text for s in nearby}
    corrected = [
        (heard[cue.sentence_position], cue.text)
        for cue in clip.cues
        if heard.get(cue.sentence_position, cue.text) != cue.text
    ]
    return alias_offers_for_texts(clip.org_id, corrected)


def clips_for_item(item: Item) -> list[Clip]:
    """Every clip linked to ``item``, newest first."""
    return list(
        db.session.scalars(
            scoped(Clip, item.org_id)
            .join(ClipItem, ClipItem.clip_id == Clip.id)
            .where(ClipItem.item_id == item.id)
            .order_by(Clip.id.desc())
        )
    )
