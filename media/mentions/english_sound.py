"""How far apart English words sound: a rough sound skeleton and a weighted edit distance.

A recogniser that mishears a name in English splits and joins its syllables ("icy jadeite" →
"size and add it") and swaps voiced and voiceless sounds ("jadeite" → "added"): word by word and
letter by letter the two look far apart, while their sounds stay close. ``sound`` writes words
as one run of sounds: consonants by their sound, voiced and voiceless alike (d and t, g and k,
b and p, v and f, z and s), the usual spellings of one sound as one (ph, sh, ch, th, ck, dg,
c and g before e/i/y), a silent final e dropped, every vowel (and w, y) as ``a``, and a sound
repeated — across the words too — as one. ``distance`` compares two such runs: a vowel put in or
left out costs half, a consonant put in, left out or changed one, and a change between
neighbouring sounds (s/j/sh, t/k, m/n, f/p, l/r) half.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

VOWEL = "a"
_VOWELS = "aeiouyw"
_SPELLINGS = (
    ("tch", "X"), ("sch", "SK"), ("ph", "F"), ("sh", "X"), ("ch", "X"), ("th", "T"),
    ("ck", "K"), ("dg", "J"), ("gh", ""), ("qu", "KW"), ("wh", VOWEL),
)  # fmt: skip
_LETTERS = {
    "b": "P", "d": "T", "g": "K", "v": "F", "z": "S", "q": "K", "j": "J", "k": "K", "p": "P",
    "t": "T", "f": "F", "s": "S", "l": "L", "m": "M", "n": "N", "r": "R", "x": "KS", "h": "",
}  # fmt: skip
_SOFTENED = {"c": ("S", "K"), "g": ("J", "K")}  # before e, i, y; otherwise
_NEIGHBOURS = frozenset(map(frozenset, ("SJ", "SX", "JX", "TK", "MN", "FP", "LR")))
_REPEATED = re.compile(r"(.)\1+")


@lru_cache(maxsize=65536)
def word_sound(word: str) -> str:
    """The sound skeleton of one word (lower-case letters; others are skipped)."""
    word = word.lower()
    length = len(word)
    if length > 2 and word.endswith("e") and word[-2] not in _VOWELS:
        length -= 1  # silent, yet it softens the c and g before it (nice, large)
    out: list[str] = []
    index = 0
    while index < length:
        spelled = next((s for s in _SPELLINGS if word.startswith(s[0], index)), None)
        if spelled is not None:
            out.append(spelled[1])
            index += len(spelled[0])
            continue
        char, after = word[index], word[index + 1 : index + 2]
        if char in _VOWELS:
            out.append(VOWEL)
        elif char in _SOFTENED:
            out.append(_SOFTENED[char][0] if after and after in "eiy" else _SOFTENED[char][1])
        elif char == "x" and index == 0:
            out.append("S")  # xiuyan, xylophone
        else:
            out.append(_LETTERS.get(char, ""))
        index += 1
    return "".join(out)


def sound(words: Iterable[str]) -> str:
    """The sound skeleton of words said in one run ("add it" and "added" sound the same)."""
    return _REPEATED.sub(r"\1", "".join(word_sound(word) for word in words))


def _kept_cost(char: str) -> float:
    return 0.5 if char == VOWEL else 1.0


def _changed_cost(heard: str, said: str) -> float:
    if heard == said:
        return 0.0
    return 0.5 if frozenset((heard, said)) in _NEIGHBOURS else 1.0


@lru_cache(maxsize=65536)
def distance(heard: str, said: str) -> float:
    """The weighted edit distance between two sound skeletons (see the module docstring)."""
    row = [0.0]
    for char in said:
        row.append(row[-1] + _kept_cost(char))
    for heard_char in heard:
        previous, row = row, [row[0] + _kept_cost(heard_char)]
        for index, said_char in enumerate(said):
            row.append(
                min(
                    previous[index + 1] + _kept_cost(heard_char),
                    row[index] + _kept_cost(said_char),
                    previous[index] + _changed_cost(heard_char, said_char),
                )
            )
    return row[-1]
