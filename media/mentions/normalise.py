"""Text normalisation for mention matching.

Folded as ``portal.text_folding`` folds (NFKC, case-folded, Simplified), letters and digits
only; each kept character maps back to its offset in the original text. Toneless pinyin
readings of Chinese characters.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from pypinyin import Style, pinyin

from portal import text_folding

# Scripts written without spaces (CJK, kana, Hangul, Yi): each character is a word of its own.
WIDE_CHARS = (
    "\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
    "\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6"
    "\U00020000-\U0003fffd"
)
WIDE = re.compile(f"[{WIDE_CHARS}]")


@dataclass(frozen=True)
class NormalisedText:
    """Normalised characters of a text, each with the offset of the character it came from.

    ``breaks[i]`` tells whether a dropped separator (space, punctuation) stood before ``text[i]``.
    """

    text: str
    offsets: tuple[int, ...]
    breaks: tuple[bool, ...]


def normalise(text: str) -> str:
    """Return ``text`` as it is matched: NFKC, case-folded, Simplified, letters and digits only."""
    return normalise_with_offsets(text).text


def normalise_with_offsets(text: str) -> NormalisedText:
    """Normalise ``text`` like ``normalise`` and map every kept character back to its offset."""
    chars: list[str] = []
    offsets: list[int] = []
    breaks: list[bool] = []
    pending = False
    for offset, char in enumerate(text):
        folded = fold_char(char)
        if folded is None:
            pending = True
            continue
        for out in folded:
            chars.append(out)
            offsets.append(offset)
            breaks.append(pending)
            pending = False
    return NormalisedText("".join(chars), tuple(offsets), tuple(breaks))


@lru_cache(maxsize=65536)
def fold_char(char: str) -> str | None:
    """Normalise one character: the kept text, "" for a combining mark, None for a separator."""
    kept = [out for out in text_folding.fold_char(char) if unicodedata.category(out)[0] in "LN"]
    if kept or unicodedata.category(char)[0] == "M":
        return "".join(kept)
    return None


@lru_cache(maxsize=65536)
def pinyin_readings(char: str) -> tuple[str, ...]:
    """Toneless pinyin readings of a Chinese character, most common first; () for others."""
    if ord(char) < 0x2E80:
        return ()
    found = pinyin(char, style=Style.NORMAL, heteronym=True, errors=lambda _: [[]])[0]
    return tuple(dict.fromkeys(r for r in found if r.isascii() and r.isalpha()))


_INITIALS = ("zh", "ch", "sh", *"bpmfdtnlgkhjqxrzcsyw")


@lru_cache(maxsize=4096)
def split_syllable(syllable: str) -> tuple[str, str]:
    """Split a toneless pinyin syllable into its initial and its final without a medial i/u/v
    ("nuo" → ("n", "o"), "zhong" → ("zh", "ong"), "an" → ("", "an")).
    """
    initial = next((i for i in _INITIALS if syllable.startswith(i) and syllable != i), "")
    final = syllable[len(initial) :]
    if len(final) > 1 and final[0] in "iuv" and final not in ("ui", "iu", "un", "in", "ing"):
        final = final[1:]
    return initial, final


def is_wordlike(char: str) -> bool:
    """Tell whether a character belongs to a spaced (non-CJK) word."""
    return char.isalnum() and not WIDE.match(char)
