"""Phonetic keys: how a name sounds, so a misheard transcript still points at the right item.

* Chinese: toneless pinyin (``pinyin_readings``) with the usual "fuzzy pinyin" merges (zh/z,
  ch/c, sh/s, -ng/-n); a text is keyed by pairs of adjacent syllables, so 匪翠, 肺脆 and 翡翠 share
  the key ``fei+cui`` while a single common syllable (玉, 手) says little on its own.
* Latin script (English and pinyin-spelled names such as "Hetian"): one key per word, written
  for this purpose: a consonant skeleton where voiced and voiceless pairs (b/p, d/t, g/k, v/f,
  z/s) fall together and every run of vowels becomes one ``A``, so the syllable shape stays
  ("Hetian" → ``HATAN``, "Hessian" → ``HASAN``, "Pixiu" → ``PAKSA``). Keys of different
  words are compared with a fuzzy ratio by the caller.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import product

from media.mentions.normalise import WIDE, normalise_with_offsets, pinyin_readings

CHINESE = "zh:"
LATIN = "en:"
_MAX_READINGS = 2
_FUZZY_PINYIN = ((re.compile(r"^([zcs])h"), r"\1"), (re.compile(r"ng$"), "n"))
_LATIN_STEPS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"([a-z])\1+", r"\1"),  # double letters sound single
        (r"^[gkp](?=n)|^w(?=r)|^p(?=s)", ""),  # silent first letter: knot, gnome, wrist, psalm
        (r"^x", "s"),
        (r"^wh", "w"),
        (r"ph", "f"),
        (r"(?<=[^aeiouy]{2})e$|(?<=[aeiouy][^aeiouy])e$", ""),  # silent final e: bangle, jade
        (r"tch|ch|sh|[sc]i(?=[aou])", "X"),  # not "ti": pinyin's Hetian, Lantian
        (r"th", "0"),
        (r"dg|j|g(?=[eiy])", "J"),
        (r"c(?=[eiy])", "s"),
        (r"ck|c|q", "k"),
        (r"x", "ks"),
        (r"(?<=.)gh", ""),
        (r"(?<=[^aeiouy])h|h(?![aeiouy])", ""),  # h is heard only before a vowel
        (r"[wy](?![aeiou])", "a"),  # w, y not before a vowel are vowels
        (r"[aeiou]+", "A"),
        (r"b", "p"),
        (r"d", "t"),
        (r"g", "k"),
        (r"v", "f"),
        (r"z", "s"),
        (r"([a-zA-Z0])\1+", r"\1"),
    )
)


@dataclass(frozen=True)
class NameSounds:
    """The phonetic keys of a catalog name and how many units (words, characters) it spans."""

    keys: frozenset[str]
    units: int


def sound_key(word: str) -> str:
    """Return the phonetic key of one Latin-script word ("" when it has no letters)."""
    folded = unicodedata.normalize("NFKD", word.casefold())
    key = "".join(char for char in folded if "a" <= char <= "z")
    for pattern, replacement in _LATIN_STEPS:
        key = pattern.sub(replacement, key)
    return key.upper()


@lru_cache(maxsize=65536)
def syllables(char: str) -> tuple[str, ...]:
    """Return the fuzzy toneless pinyin readings of a Chinese character (most common first)."""
    found: list[str] = []
    for reading in pinyin_readings(char)[:_MAX_READINGS]:
        for pattern, replacement in _FUZZY_PINYIN:
            reading = pattern.sub(replacement, reading)
        found.append(reading)
    return tuple(dict.fromkeys(found))


def name_sounds(name: str) -> NameSounds:
    """Key a catalog name: its syllable pairs and its Latin word keys."""
    parts = units(name)
    keys = {key for index in range(len(parts)) for key in _keys_at(parts, index, joined=False)}
    return NameSounds(frozenset(keys), len(parts))


def heard_sounds(text: str) -> list[tuple[str, ...]]:
    """Key recognised text unit by unit: the keys that start at each character or word.

    A Chinese character starts the pairs it forms with the next one (every reading); a Latin
    word has its own key and, for words heard split ("pigs new" for "Pixiu"), the key of it
    joined with the next word.
    """
    parts = units(text)
    return [tuple(_keys_at(parts, index, joined=True)) for index in range(len(parts))]


def units(text: str) -> list[str]:
    """Split text into Chinese characters and Latin words (normalised), in order.

    Separators (spaces, punctuation) only end a word; an apostrophe joins ("pig's" is one word).
    """
    normalised = normalise_with_offsets(text.replace("'", "").replace("\u2019", ""))
    units: list[str] = []
    in_word = False
    for char, is_break in zip(normalised.text, normalised.breaks, strict=True):
        if WIDE.match(char) or is_break or not in_word:
            units.append(char)
        else:
            units[-1] += char
        in_word = not WIDE.match(char)
    return units


def _keys_at(parts: list[str], index: int, *, joined: bool) -> Iterator[str]:
    """Yield the keys starting at ``parts[index]``.

    A Chinese character gives its pair with the next character, in every reading; a Latin word
    its key and, if ``joined``, the key of it written together with the next Latin word.
    """
    unit = parts[index]
    after = parts[index + 1] if index + 1 < len(parts) else ""
    if WIDE.match(unit):
        for first, second in product(syllables(unit), syllables(after) if len(after) == 1 else ()):
            yield f"{CHINESE}{first}+{second}"
        return
    key = sound_key(unit)
    if key:
        yield LATIN + key
    if joined and after and not WIDE.match(after):
        yield LATIN + sound_key(unit + after)
