"""The words a clip keeps: each subtitle line's text without the words cut from its ranges.

A clip keeps ranges of its recording (``media.clips.ranges``); a cut may fall inside a line
(a filler word, a word the merchant deleted). Every text the clip shows or publishes (burned
subtitles, WebVTT, key facts and the knowledge card, the post, the compliance check, the API)
is built here from the words kept, by time: a word is kept when its middle lies in a kept
range. A line's text may be the merchant's correction, not what was heard, so it is aligned
with the sentence's recognised words (difflib) and only the characters standing for cut words
go; a correction elsewhere in the line stays.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from media.clips.models import Clip, ClipCue
from media.clips.ranges import Range, output_span
from media.recordings.models import Recording
from media.transcripts.models import Word
from media.transcripts.services import get_transcript, words_between
from portal.extensions import db
from portal.punctuation import tidy_punctuation

TimedWord = tuple[int, int, str]  # start_ms, end_ms, text
_LEADING = re.compile(r"^[\s,.!?;:，。！？；：、…]+")
_SPACE_BEFORE_MARK = re.compile(r"\s+(?=[,.!?;:])")
_SPACES = re.compile(r"\s+")


def is_kept(word: TimedWord, kept: Sequence[Range]) -> bool:
    """Tell whether a word's middle lies in one of the kept ranges."""
    middle = (word[0] + word[1]) / 2
    return any(a <= middle < b for a, b in kept)


def kept_text(text: str, words: Sequence[TimedWord], kept: Sequence[Range]) -> str:
    """``text`` (a line about ``words``) without the characters of the words not kept.

    Unchanged when every word is kept; empty when none is.
    """
    flags = [is_kept(word, kept) for word in words]
    if all(flags):
        return text
    if not any(flags):
        return ""
    owner = [flags[n] for n, word in enumerate(words) for _char in word[2]]
    source = "".join(word[2] for word in words)
    matcher = difflib.SequenceMatcher(None, source, text, autojunk=False)
    chars = []
    for _tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for j in range(j1, j2):
            # Equal stretches map one to one; a replaced or inserted one by proportion.
            # Spaces all stay (collapsed after): a cut word leaves one space, not two or none.
            i = i1 + (j - j1) * (i2 - i1) // max(j2 - j1, 1) if i2 > i1 else max(i1 - 1, 0)
            if text[j].isspace() or owner[min(i, len(owner) - 1)]:
                chars.append(text[j])
    return _tidied("".join(chars))


def _tidied(text: str) -> str:
    """Spaces collapsed, none before a mark, no mark left at the start (its word was cut)."""
    text = _SPACE_BEFORE_MARK.sub("", _SPACES.sub(" ", text))
    return tidy_punctuation(_LEADING.sub("", text).strip())


def clip_words(clip: Clip, found: Sequence[Word] | None = None) -> dict[int, list[TimedWord]]:
    """The recognised words between the clip's in and out (``found``, if loaded), by sentence
    position."""
    if found is None:
        recording = db.session.get(Recording, clip.recording_id)
        transcript = get_transcript(recording) if recording else None
        found = words_between(transcript, clip.start_ms, clip.end_ms) if transcript else []
    by_sentence: dict[int, list[TimedWord]] = defaultdict(list)
    for word in found:
        by_sentence[word.sentence_position].append((word.start_ms, word.end_ms, word.text))
    return by_sentence


@dataclass(frozen=True)
class KeptLine:
    """A subtitle line kept in the clip: its text without cut words, timed into the clip."""

    cue: ClipCue
    start_ms: int
    end_ms: int
    text: str


def kept_lines(clip: Clip, found: Sequence[Word] | None = None) -> list[KeptLine]:
    """The clip's subtitle lines with something kept (hidden ones too), in order (``found``:
    the words between in and out, if loaded)."""
    kept, words = clip.kept, clip_words(clip, found)
    lines = []
    for cue in clip.cues:
        span = output_span(kept, cue.start_ms, cue.end_ms)
        text = kept_text(cue.text, words.get(cue.sentence_position, []), kept)
        if span is not None and text:
            lines.append(KeptLine(cue, span[0], span[1], text))
    return lines


def kept_facts(
    clip: Clip, facts: Sequence[str], lines: Sequence[KeptLine] | None = None
) -> list[str]:
    """Key facts as the clip keeps them now: a fact picked from a subtitle line says only the
    words kept of that line (a filler cut after it was picked goes from the card too), a fact
    whose line is cut goes, and any other stays as written (``lines``: ``kept_lines``, if
    built)."""
    lines = kept_lines(clip) if lines is None else lines
    now = {line.cue.text: line.text for line in lines} | {line.text: line.text for line in lines}
    gone = {cue.text for cue in clip.cues} - now.keys()
    return [now.get(fact, fact) for fact in facts if fact not in gone]
