"""Find banned advertising claims in timed subtitle text (pure: no Flask, no database).

Text and terms are folded the same way, one character at a time: NFKC (full-width ＶＸ → VX,
１００％ → 100%), case-fold, Traditional → Simplified (開光 → 开光). A term keeps its letters,
digits and symbols (such as % or ¥); its spaces and punctuation do not count, so "number one"
and "number-one" are the same term. In the text, up to ``MAX_GAP`` spaces or punctuation marks
may stand between two characters of a term ("加 微 信", "加-微-信"), but a match never spans two
cues. A term whose first (last) character is a Latin letter does not match right after (before)
another Latin letter, and one at a digit not next to another digit: "cure" is not in "secure",
while "VX" is still found in "VX12345".

A hit inside a longer hit of the same cue is dropped (最 inside 最低价), unless the longer one
is satisfied and the shorter one is not. A term's exceptions are ordinary words holding it that
are no claim (最后, 最近 for 最); they are folded and found like terms, and a hit lying inside one
of its term's exception words in the text is dropped after that (so an exception only ever
takes hits away): 最后一批 has no hit, 最后一批最低价 still has 最低价.

Authenticity terms (天然, 证书 …) are satisfied when every item of the clip carries a certificate.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from portal.text_folding import fold_char

MAX_GAP = 3
_LATIN_LETTER = "a-z\u00df-\u00f6\u00f8-\u024f"
_GAP = rf"[\W_]{{0,{MAX_GAP}}}"
_KEPT_PUNCTUATION = frozenset("%‰‱")


class TermCategory(StrEnum):
    """Why a term is banned."""

    ABSOLUTE = "absolute"
    MEDICAL = "medical"
    CONTACT = "contact"
    PRICE = "price"
    AUTHENTICITY = "authenticity"


@dataclass(frozen=True)
class TimedCue:
    """One line of text: seconds, its text and the caller's identifier of the line.

    ``source`` says where the line is published ("subtitle", "spoken", "title" …).
    """

    start_s: float
    end_s: float
    text: str
    index: int
    source: str = "subtitle"


@dataclass(frozen=True)
class Term:
    """One banned term and its exceptions (words holding it that are not a claim)."""

    id: int
    category: str
    term: str
    exceptions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hit:
    """One place where a term was said: its cue, its approximate time and the text matched.

    ``span`` holds the character offsets of ``matched_text`` in ``cue_text``.
    """

    term_id: int
    category: str
    term: str
    cue_index: int
    start_s: float
    matched_text: str
    satisfied: bool
    cue_text: str
    span: tuple[int, int]
    source: str = "subtitle"
    note: str = ""  # for spoken words: "hidden" (subtitle hidden) or "unshown" (not in it)

    @property
    def key(self) -> tuple[str, int, str]:
        """Where the hit stands and what it is: what an override names."""
        return (self.source, self.cue_index, self.term)

    @property
    def before(self) -> str:
        """The cue text before the match."""
        return self.cue_text[: self.span[0]]

    @property
    def after(self) -> str:
        """The cue text after the match."""
        return self.cue_text[self.span[1] :]


def find_hits(
    cues: Sequence[TimedCue], terms: Sequence[Term], *, items_certified: bool
) -> list[Hit]:
    """Find every term in every cue, ordered by time (then cue, position and term)."""
    patterns = [(term, pattern) for term in _unique(terms) if (pattern := _pattern(term.term))]
    hits: list[Hit] = []
    for cue in cues:
        folded, origins = _fold_text(cue.text)
        excepted = {
            _hit(cue, term, origins, match, items_certified): _excepted(term, folded, match)
            for term, pattern in patterns
            for match in pattern.finditer(folded)
        }
        hits.extend(hit for hit in _drop_contained(list(excepted)) if not excepted[hit])
    return sorted(hits, key=lambda h: (h.start_s, h.cue_index, h.span, h.category, h.term_id))


def fold_term(term: str) -> str:
    """Return the characters of ``term`` that matching compares ("" if none)."""
    return "".join(
        out
        for char in term
        for out in fold_char(char)
        if _is_word_char(out) or out in _KEPT_PUNCTUATION
    )


def _unique(terms: Sequence[Term]) -> Iterator[Term]:
    """Yield each term once per category and folded form (the lowest id wins)."""
    seen: set[tuple[str, str]] = set()
    for term in sorted(terms, key=lambda t: t.id):
        key = (str(term.category), fold_term(term.term))
        if key not in seen:
            seen.add(key)
            yield term


@lru_cache(maxsize=4096)
def _pattern(term: str) -> re.Pattern[str] | None:
    """Compile the regular expression of one term, or None if nothing in it can match."""
    folded = fold_term(term)
    if not folded:
        return None
    body = _GAP.join(re.escape(char) for char in folded)
    return re.compile(_edge_guard(folded[0], behind=True) + body + _edge_guard(folded[-1]))


def _excepted(term: Term, folded: str, match: re.Match[str]) -> bool:
    """Tell whether the term's match lies inside one of its exception words in ``folded``."""
    start, end = match.span()
    return any(
        found.start(1) <= start and end <= found.end(1)
        for exception in term.exceptions
        if (pattern := _overlapping_pattern(exception))
        for found in pattern.finditer(folded)
    )


@lru_cache(maxsize=4096)
def _overlapping_pattern(word: str) -> re.Pattern[str] | None:
    """Compile ``word`` like a term, found at every position (matches may overlap) as group 1."""
    pattern = _pattern(word)
    return re.compile(f"(?=({pattern.pattern}))") if pattern else None


def _edge_guard(char: str, *, behind: bool = False) -> str:
    """Keep a Latin word whole and a number whole at one end of a term."""
    if re.fullmatch(f"[{_LATIN_LETTER}]", char):
        neighbour = f"[{_LATIN_LETTER}]"
    elif char.isdigit():
        neighbour = r"\d"
    else:
        return ""
    return f"(?<!{neighbour})" if behind else f"(?!{neighbour})"


def _fold_text(text: str) -> tuple[str, list[int]]:
    """Fold ``text``; also return, per folded character, the index of its original one."""
    chars: list[str] = []
    origins: list[int] = []
    for position, char in enumerate(text):
        for out in fold_char(char):
            chars.append(out)
            origins.append(position)
    return "".join(chars), origins


def _is_word_char(char: str) -> bool:
    return unicodedata.category(char)[0] in "LMNS"


def _hit(
    cue: TimedCue, term: Term, origins: list[int], match: re.Match[str], items_certified: bool
) -> Hit:
    start, end = origins[match.start()], origins[match.end() - 1] + 1
    share = start / len(cue.text)
    return Hit(
        term_id=term.id,
        category=str(term.category),
        term=term.term,
        cue_index=cue.index,
        start_s=round(cue.start_s + (cue.end_s - cue.start_s) * share, 3),
        matched_text=cue.text[start:end],
        satisfied=items_certified and term.category == TermCategory.AUTHENTICITY,
        cue_text=cue.text,
        span=(start, end),
        source=cue.source,
    )


def _drop_contained(hits: list[Hit]) -> list[Hit]:
    """Drop hits lying inside a longer hit of the same cue (keep unsatisfied ones)."""
    return [
        hit
        for hit in hits
        if not any(
            other.span != hit.span
            and other.span[0] <= hit.span[0]
            and hit.span[1] <= other.span[1]
            and (hit.satisfied or not other.satisfied)
            for other in hits
        )
    ]
