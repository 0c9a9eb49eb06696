"""How far apart two toneless pinyin syllables sound, for names heard a syllable or two off.

0 is the same syllable, 1 nothing shared. Initials often confused (n/l, m/n, zh/z, j/q/x …) and
finals that differ by a glide (ian/an), the nasal (in/ing) or lip rounding (i/ü), or are both
back rounded vowels (u, o, uo, ou, iou), are half apart; a syllable's distance is the mean of
its initial's and its final's. ``media.mentions.correction`` sums it over a name.
"""

from __future__ import annotations

import re
from functools import lru_cache

_CLOSE_INITIALS = frozenset(
    frozenset(pair)
    for pair in (
        ("zh", "z"),
        ("ch", "c"),
        ("sh", "s"),
        ("n", "l"),
        ("m", "n"),
        ("r", "l"),
        ("f", "h"),
        ("b", "p"),
        ("d", "t"),
        ("g", "k"),
        ("j", "q"),
        ("q", "x"),
        ("j", "x"),
    )
)
_INITIALS = ("zh", "ch", "sh", *"bpmfdtnlgkhjqxrzcs")
_GLIDES = ((re.compile(r"^yu"), "v"), (re.compile(r"^yi?"), "i"), (re.compile(r"^wu?"), "u"))
_ROUNDED = frozenset(("u", "o", "uo", "ou", "iou"))  # back rounded vowels, often confused
_FINAL_SPELLING = (
    (re.compile(r"(?<=^[jqx])u"), "v"),  # ju, quan, xue: the u is ü
    (re.compile(r"iu$"), "iou"),
    (re.compile(r"ui$"), "uei"),
    (re.compile(r"(?<=[^iv])un$|^un$"), "uen"),
)


def syllable_distance(heard: str, said: str) -> float:
    """Return how far apart two toneless pinyin syllables sound: the mean of their initials'
    and their finals' distance, each 0 (the same), 0.5 (close) or 1.

    Close initials: pairs speakers and recognisers confuse (``_CLOSE_INITIALS``). Close finals:
    the same but for a glide (ian/an, uo/o) or -n/-ng or i/ü, or both back rounded vowels.
    ("xiu", "fu") → 0.75, ("nuo", "mu") → 0.5, ("yu", "yi") → 0.25.
    """
    if heard == said:
        return 0.0
    heard_initial, heard_final = _initial_and_final(heard)
    said_initial, said_final = _initial_and_final(said)
    return (
        _initial_distance(heard_initial, said_initial) + _final_distance(heard_final, said_final)
    ) / 2


def initials_close(heard: str, said: str) -> bool:
    """Tell whether two toneless syllables begin alike: the same initial (none counts as one)
    or a pair often confused (``_CLOSE_INITIALS``): mo/nuo, zong/zhong, not xian/tian."""
    return _initial_distance(_initial_and_final(heard)[0], _initial_and_final(said)[0]) < 1.0


@lru_cache(maxsize=4096)
def _initial_and_final(syllable: str) -> tuple[str, str]:
    """Split a syllable into its initial and its final as pronounced ("you" → ("", "iou"),
    "xue" → ("x", "ve"), "gui" → ("g", "uei"))."""
    initial = next((i for i in _INITIALS if syllable.startswith(i) and syllable != i), "")
    final = syllable[len(initial) :]
    if not initial:
        final = next((p.sub(r, final, count=1) for p, r in _GLIDES if p.match(final)), final)
    for pattern, replacement in _FINAL_SPELLING:
        final = pattern.sub(replacement, initial + final)[len(initial) :]
    return initial, final


def _initial_distance(heard: str, said: str) -> float:
    """0 for the same initial, 0.5 for a pair often confused, else 1."""
    if heard == said:
        return 0.0
    return 0.5 if frozenset((heard, said)) in _CLOSE_INITIALS else 1.0


def _final_distance(heard: str, said: str) -> float:
    """0 for the same final, 0.5 for close ones (``syllable_distance``), else 1."""
    if heard == said:
        return 0.0
    glide = _without_glide(heard) == _without_glide(said)
    rounded = heard in _ROUNDED and said in _ROUNDED
    nasal = heard.removesuffix("g") == said.removesuffix("g")
    lips = heard.replace("v", "i") == said.replace("v", "i")
    return 0.5 if glide or rounded or nasal or lips else 1.0


def _without_glide(final: str) -> str:
    """A final without its leading i, u or ü when a vowel follows ("ian" → "an", "in" stays)."""
    return final[1:] if len(final) > 1 and final[0] in "iuv" and final[1] in "aeiouv" else final
