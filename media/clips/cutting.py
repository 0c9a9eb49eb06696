"""Cut a clip by text: delete a sentence, a filler word or long pauses from it, move an edge of
a kept range (the timeline's handles, snapped to a word); undo.

Each edit replaces the clip's kept ranges (``media.clips.ranges``) and keeps the list it
replaced for undo; in and out become the bounds of what is kept.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from flask_babel import gettext as _

from media.clips import ranges
from media.clips.kept_text import is_kept
from media.clips.models import Clip
from media.clips.services import require_editable, restore_kept, sentences_during, set_kept
from media.clips.signals import clip_changed
from media.recordings.models import Recording
from media.transcripts.models import Sentence, Word
from media.transcripts.services import get_transcript, words_between
from portal.audit.services import record_event
from portal.auth.models import User
from portal.errors import ConflictError, ServiceError
from portal.extensions import db
from portal.punctuation import tidy_punctuation


@dataclass(frozen=True)
class CutLine:
    """A sentence between the clip's in and out, and whether it is cut out of the clip."""

    sentence: Sentence
    is_cut: bool


@dataclass(frozen=True)
class Filler:
    """A filler word said in the clip's kept ranges (one or two recognised words)."""

    start_ms: int
    end_ms: int
    text: str


def words_in_clip(clip: Clip, recording: Recording) -> list[Word]:
    """The recognised words between the clip's in and out, in time order."""
    transcript = get_transcript(recording)
    return words_between(transcript, clip.start_ms, clip.end_ms) if transcript else []


def kept_words(clip: Clip, recording: Recording, found: Sequence[Word] | None = None) -> list[Word]:
    """The recognised words inside the clip's kept ranges, in time order (``found``: the words
    between in and out, if loaded)."""
    words = words_in_clip(clip, recording) if found is None else found
    return [w for w in words if any(a <= w.start_ms and w.end_ms <= b for a, b in clip.kept)]


def fillers(clip: Clip, recording: Recording, found: Sequence[Word] | None = None) -> list[Filler]:
    """The filler words (嗯, 啊, 那个, "um" …) still in the clip."""
    words = kept_words(clip, recording, found)
    stretches = ranges.filler_stretches([(w.start_ms, w.end_ms, w.text) for w in words])
    return [Filler(a, b, _text_during(words, a, b)) for a, b in stretches]


def cut_lines(
    clip: Clip, recording: Recording, found: Sequence[Sentence] | None = None
) -> list[CutLine]:
    """The sentences between in and out (``found``, if loaded), each marked cut when none of it
    is kept."""
    if found is None:
        found = sentences_during(recording, clip.start_ms, clip.end_ms)
    return [CutLine(s, not clip.keeps(s.start_ms, s.end_ms)) for s in found]


def _text_during(words: Sequence[Word], start_ms: int, end_ms: int) -> str:
    return "".join(w.text for w in words if start_ms <= w.start_ms and w.end_ms <= end_ms).strip()


def _edit(
    clip: Clip,
    recording: Recording,
    actor: User,
    event: str,
    new: Callable[[], list[ranges.Range]],
    **data: object,
) -> None:
    """Apply one range edit: check, keep the old list for undo, record, commit, signal."""
    require_editable(clip)
    kept = new()
    if kept == clip.kept:
        raise ServiceError(_("There is nothing to cut there."), field="action")
    if not kept:
        raise ServiceError(_("This would cut all of the clip."), field="action")
    set_kept(clip, recording, kept)
    record_event(actor, event, clip, org_id=clip.org_id, ranges=len(kept), **data)
    db.session.commit()
    clip_changed.send(clip_id=clip.id, org_id=clip.org_id)


def delete_sentence(clip: Clip, recording: Recording, actor: User, position: int) -> None:
    """Cut one transcript sentence (by position) out of the clip, wherever it is."""
    found = sentences_during(recording, clip.start_ms, clip.end_ms)
    index = next((n for n, s in enumerate(found) if s.position == position), None)
    if index is None:
        raise ServiceError(_("That sentence is not in the clip."), field="action")
    stretch = _sentence_stretch(found, index)
    _edit(
        clip,
        recording,
        actor,
        "clip.sentence_cut",
        lambda: ranges.cut(clip.kept, *stretch),
        sentence=position,
    )


def _sentence_stretch(found: Sequence[Sentence], index: int) -> ranges.Range:
    """What deleting ``found[index]`` cuts: the sentence and the pause after it (before it, for
    the last sentence), so one pause stays where it was, as deleting a sentence of text does."""
    sentence = found[index]
    if index + 1 < len(found):
        return sentence.start_ms, max(sentence.end_ms, found[index + 1].start_ms)
    if index > 0:
        return min(sentence.start_ms, found[index - 1].end_ms), sentence.end_ms
    return sentence.start_ms, sentence.end_ms


def delete_filler(clip: Clip, recording: Recording, actor: User, start_ms: int) -> None:
    """Cut the filler word that starts at ``start_ms``."""
    found = next((f for f in fillers(clip, recording) if f.start_ms == start_ms), None)
    if found is None:
        raise ServiceError(_("That filler word is not in the clip."), field="action")
    _edit(
        clip,
        recording,
        actor,
        "clip.filler_cut",
        lambda: ranges.cut(clip.kept, found.start_ms, found.end_ms),
    )


def remove_fillers(clip: Clip, recording: Recording, actor: User) -> int:
    """Cut every filler word from the clip; return how many were cut."""
    found = [(f.start_ms, f.end_ms) for f in fillers(clip, recording)]
    _edit(
        clip,
        recording,
        actor,
        "clip.fillers_cut",
        lambda: ranges.cut_all(clip.kept, found),
        count=len(found),
    )
    return len(found)


def shorten_pauses(clip: Clip, recording: Recording, actor: User, longer_than_s: float) -> int:
    """Shorten every silence between words longer than ``longer_than_s``; return how many."""
    words = [(w.start_ms, w.end_ms) for w in kept_words(clip, recording)]
    found = ranges.long_pauses(words, round(longer_than_s * 1000))
    _edit(
        clip,
        recording,
        actor,
        "clip.pauses_cut",
        lambda: ranges.cut_all(clip.kept, found),
        count=len(found),
    )
    return len(found)


EDGES = ("start", "end")
SNAP_REACH_MS = 5000  # word boundaries looked at either side of a dragged edge


def move_edge(
    clip: Clip, recording: Recording, actor: User, index: int, edge: str, at_ms: int
) -> int:
    """Move the start or end (``edge``) of kept range ``index`` to the word boundary nearest
    ``at_ms`` (a word's start for a start, its end for an end); return where it went.

    Refused outside the recording, past a neighbouring range or leaving the range too short.
    """
    require_editable(clip)
    kept = clip.kept
    if not 0 <= index < len(kept) or edge not in EDGES:
        raise ServiceError(_("That range is not in the clip."), field="range")
    if not 0 <= at_ms <= round(recording.duration_s * 1000):
        raise ServiceError(_("Edges must lie inside the recording."), field="at_ms")
    snapped = ranges.nearest(word_edges(recording, edge, at_ms), at_ms)
    moved = ranges.with_edge(kept, index, edge, snapped)
    _check_order(moved)
    if moved != kept:
        _edit(
            clip,
            recording,
            actor,
            "clip.edge_moved",
            lambda: moved,
            range=index,
            edge=edge,
            at=snapped,
        )
    return snapped


def word_edges(recording: Recording, edge: str, at_ms: int) -> list[int]:
    """The starts (``edge`` "start") or ends of the words said within reach of ``at_ms``."""
    transcript = get_transcript(recording)
    if transcript is None:
        return []
    words = words_between(transcript, at_ms - SNAP_REACH_MS, at_ms + SNAP_REACH_MS)
    return [w.start_ms if edge == "start" else w.end_ms for w in words]


def _check_order(kept: Sequence[ranges.Range]) -> None:
    """Refuse ranges that overlap or touch, or one shorter than ``ranges.MIN_RANGE_MS``."""
    if any(end - start < ranges.MIN_RANGE_MS for start, end in kept):
        raise ServiceError(_("That would leave the range too short."), field="at_ms")
    if any(before[1] >= after[0] for before, after in itertools.pairwise(kept)):
        raise ServiceError(_("Kept ranges may not overlap or touch."), field="at_ms")


def undo(clip: Clip, recording: Recording, actor: User) -> None:
    """Put back the kept ranges as they were before the last edit."""
    require_editable(clip)
    if not clip.range_history:
        raise ServiceError(_("There is nothing to undo."), field="action")
    clip.range_history, previous = ranges.popped(clip.range_history)
    restore_kept(clip, recording, previous)
    record_event(actor, "clip.cut_undone", clip, org_id=clip.org_id, ranges=len(previous))
    db.session.commit()
    clip_changed.send(clip_id=clip.id, org_id=clip.org_id)


@dataclass(frozen=True)
class WordChip:
    """A recognised word between the clip's in and out, and whether the clip keeps it."""

    start_ms: int
    end_ms: int
    text: str
    is_kept: bool
    space_before: bool  # Latin script: a space separates it from the word before

    @property
    def shown(self) -> str:
        """The word as shown: Chinese punctuation full-width."""
        return tidy_punctuation(self.text)


def _is_wide(char: str) -> bool:
    """Tell whether ``char`` is CJK (no space around it); an empty word counts as CJK."""
    return not char or unicodedata.east_asian_width(char) in {"W", "F"}


def word_chips(
    clip: Clip, recording: Recording, found: Sequence[Word] | None = None
) -> dict[int, list[WordChip]]:
    """The words between in and out (``found``, if loaded) by sentence position, each marked
    kept or cut."""
    if found is None:
        found = words_in_clip(clip, recording)
    kept, chips = clip.kept, defaultdict(list)
    for w in found:
        word, line = (w.start_ms, w.end_ms, w.text), chips[w.sentence_position]
        spaced = bool(line) and not (_is_wide(line[-1].text[-1:]) or _is_wide(w.text[:1]))
        line.append(WordChip(*word, is_kept(word, kept), spaced))
    return chips


def _selected_words(clip: Clip, recording: Recording, start_ms: int, end_ms: int) -> ranges.Range:
    """The stretch of the words whose middle lies in ``start_ms``–``end_ms``, snapped to them."""
    chips = [c for line in word_chips(clip, recording).values() for c in line]
    chosen = [c for c in chips if start_ms <= (c.start_ms + c.end_ms) / 2 <= end_ms]
    if not chosen:
        raise ServiceError(_("Select one or more words of the clip."), field="action")
    return min(c.start_ms for c in chosen), max(c.end_ms for c in chosen)


def _restored(kept: Sequence[ranges.Range], start_ms: int, end_ms: int) -> list[ranges.Range]:
    """``kept`` with ``start_ms``–``end_ms`` kept again (joining the ranges it touches)."""
    bounds = (min(start_ms, kept[0][0]), max(end_ms, kept[-1][1]))
    return ranges.normalised([*kept, (start_ms, end_ms)], bounds)


WORD_EDITS: dict[str, tuple[str, Callable[..., list[ranges.Range]]]] = {
    "cut_words": ("clip.words_cut", ranges.cut),
    "keep_words": ("clip.words_kept", ranges.with_bounds),
    "restore_words": ("clip.words_restored", _restored),
}


def edit_words(
    clip: Clip, recording: Recording, actor: User, action: str, start_ms: int, end_ms: int
) -> None:
    """Cut the selected words (``action`` "cut_words"), keep only them ("keep_words": the cuts
    between them stay) or put them back ("restore_words"); the selection snaps to the words."""
    event, change = WORD_EDITS[action]
    low, high = _selected_words(clip, recording, start_ms, end_ms)
    try:
        _edit(
            clip, recording, actor, event, lambda: change(clip.kept, low, high), start=low, end=high
        )
    except ConflictError:
        raise
    except ServiceError as exc:  # too short or too long: said beside the selection
        raise ServiceError(exc.message, field="action") from exc
