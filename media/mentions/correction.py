"""Write misheard catalog names and trade terms as the catalog spells them (pure, deterministic).

A recogniser that has never seen 翡翠 writes 匪翠, 飞翠 or 肺脆; one that does not know "Pixiu"
writes "pixel". ``find_fixes`` finds such spans in recognised sentences and says how to write
them. It corrects only where a wrong correction is unlikely:

* Chinese: the span's toneless pinyin equals, syllable for syllable, a term of two or more
  Chinese characters (the pinyin pass of ``media.mentions.matching``; heteronym readings of
  the term tried, no fuzzy syllables). Only the term's words that differ are rewritten
  (匪翠手镯 → 翡翠手镯 rewrites 匪翠, not 手镯). A dictionary word (jieba's general
  dictionary) is never rewritten when it reaches outside the span (消费翠 keeps 费), nor when
  the span keeps fewer than two of the term's characters as they are: 比喻 stays 比喻 (碧玉),
  资料 stays 资料 (籽料), 养殖鱼 stays (羊脂玉), but 资料手镯 becomes 籽料手镯, because 手镯
  was heard right.
* Latin script: a window of as many whole words as the term has (no merging or splitting)
  whose words sound alike: each changed word's letters (rapidfuzz ``ratio``) and Metaphone
  keys must be close, and a one-word term must be at least ``MIN_LATIN_LETTERS`` letters, sound
  the same (equal keys) and be spelled nearly the same ("Hessian" → "Hetian", but "ember" never
  becomes "amber" nor "jaded" "jadeite"). A longer term needs one word heard exactly ("lucky
  pixel" → "lucky Pixiu"). A heard word inside the term's word, or holding it, is another word
  or form, not a mishearing ("jade bangle" stays, though the catalog says "jadeite bangle").
  Words heard right keep their own case.
* An item on the stream's list (``listed``), Chinese: also a span that sounds like its name but
  for one syllable sharing the name's initial or final (莫种琥珀戒指 → 糯种琥珀戒指, see
  ``media.mentions.matching``), checked against the dictionary as above.
* An item on the stream's list, Latin script: the stream sells it, so a window the
  mention finder takes for it (``LISTED_FUZZY_THRESHOLD``, words may be merged, split or
  dropped) is rewritten where its words differ from the name's: "ice jade ring" → "icy jadeite
  ring", "actual xiuyan jade necklace" → "natural xiuyan jade necklace", "full green nephrite"
  → "full green green nephrite". Words heard around the name are kept. Only where the mention
  finder, matching the whole catalog, takes the window for that item. Without a list, the
  items the texts clearly name (``media.mentions.matching.clearly_named``) are treated so.

A span already spelled like some term (an exact match) is never rewritten, and a span two
different terms claim equally is left alone.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from itertools import pairwise

import jieba
from jellyfish import metaphone
from rapidfuzz import fuzz, process

from media.mentions.matching import (
    INFERRED_UNLISTED_THRESHOLD,
    LISTED_FUZZY_THRESHOLD,
    UNLISTED_FUZZY_THRESHOLD,
    CatalogTerm,
    TextMatch,
    clearly_named,
    match_texts,
)
from media.mentions.normalise import is_wordlike, normalise_with_offsets

MIN_LATIN_LETTERS = 5
_MIN_KEPT_CHARS = 2
_MIN_CHANGED_LETTERS = 3
_WORD_LETTERS, _WORD_SOUND = 55.0, 75.0  # a changed word of a longer term
_ONE_WORD_LETTERS, _ONE_WORD_SOUND = 70.0, 100.0  # the word of a one-word term
_WINDOW_SCORE = 80.0

logging.getLogger("jieba").setLevel(logging.WARNING)


@dataclass(frozen=True)
class Fix:
    """Characters ``start:end`` of a text, heard as ``heard``, are to be written ``written``."""

    start: int
    end: int
    heard: str
    written: str
    term: CatalogTerm


def find_fixes(
    texts: Sequence[str], terms: Iterable[CatalogTerm], *, listed: Collection[int] = ()
) -> list[list[Fix]]:
    """Return, for each text, the corrections to make, in text order, never overlapping.

    ``listed`` holds the items of the stream's list: their Latin names are corrected more
    boldly (see the module docstring).
    """
    terms = list(terms)
    others = UNLISTED_FUZZY_THRESHOLD
    if not listed:
        listed, others = clearly_named(texts, terms), INFERRED_UNLISTED_THRESHOLD
    matches = match_texts(texts, terms, listed=listed)
    fixes: list[list[Fix]] = [[] for _ in texts]
    taken: list[list[tuple[int, int]]] = [[] for _ in texts]
    for match in matches:
        if match.kind == "exact":
            taken[match.text_index].append((match.start, match.end))
    for index, fix in _chinese_fixes(texts, matches):
        fixes[index].append(fix)
    latin = [*_listed_fixes(texts, terms, listed, others), *_latin_fixes(texts, terms)]
    for index, fix in latin:
        spans = [*taken[index], *((f.start, f.end) for f in fixes[index])]
        if not any(fix.start < end and start < fix.end for start, end in spans):
            fixes[index].append(fix)
    return [sorted(found, key=lambda f: f.start) for found in fixes]


def apply_fixes(text: str, fixes: Sequence[Fix]) -> str:
    """Return ``text`` with ``fixes`` (in text order, not overlapping) written in."""
    parts, position = [], 0
    for fix in fixes:
        parts += [text[position : fix.start], fix.written]
        position = fix.end
    return "".join([*parts, text[position:]])


def _chinese_fixes(texts: Sequence[str], matches: list[TextMatch]) -> Iterable[tuple[int, Fix]]:
    """Yield the pinyin matches that pass the dictionary check, trimmed to what differs.

    Where several terms claim a span with the same spelling, a catalog name (id ≥ 0) stands for
    them rather than a glossary term (negative id); different spellings leave the span alone.
    """
    claims: dict[tuple[int, int, int], list[TextMatch]] = defaultdict(list)
    for match in matches:
        claims[match.text_index, match.start, match.end].append(match)
    for (index, start, end), claimed in claims.items():
        match = max(claimed, key=lambda m: m.term.item_id >= 0)  # the first catalog term if any
        text = texts[index]
        written = match.term.text.strip()
        spellings = {other.term.text.strip() for other in claimed}
        if match.kind != "pinyin" or len(spellings) > 1 or end - start != len(written):
            continue
        heard = text[start:end]
        differs = [i for i, (h, w) in enumerate(zip(heard, written, strict=True)) if h != w]
        if differs and _keeps_words(text, start, end, differs):
            first, last = _widened(written, differs[0], differs[-1] + 1)
            fix = Fix(
                start + first, start + last, heard[first:last], written[first:last], match.term
            )
            yield index, fix


def _widened(written: str, first: int, last: int) -> tuple[int, int]:
    """Widen ``first:last`` to whole words of the term (匪翠手镯 for 翡翠手镯: 匪翠 → 翡翠)."""
    for _, start, end in _tokenizer().tokenize(written, HMM=True):
        if start < last and end > first:
            first, last = min(first, start), max(last, end)
    return first, last


def _keeps_words(text: str, start: int, end: int, differs: list[int]) -> bool:
    """Tell whether rewriting the span's ``differs`` characters breaks no dictionary word."""
    kept = (end - start) - len(differs)
    for word_start, word_end in _dictionary_words(text):
        if word_end <= start or word_start >= end:
            continue
        if word_start < start or word_end > end:
            return False
        reaches_change = any(word_start <= start + i < word_end for i in differs)
        if reaches_change and kept < _MIN_KEPT_CHARS:
            return False
    return True


def _dictionary_words(text: str) -> list[tuple[int, int]]:
    """Return where jieba (general dictionary, no guessing) finds words of 2+ characters."""
    tokenizer = _tokenizer()
    return [
        (start, end)
        for word, start, end in tokenizer.tokenize(text, HMM=False)
        if end - start >= 2 and tokenizer.FREQ.get(word)
    ]


@lru_cache(maxsize=1)
def _tokenizer() -> jieba.Tokenizer:
    """Return jieba's default tokenizer, its dictionary loaded once."""
    jieba.dt.initialize()
    return jieba.dt


@dataclass(frozen=True)
class _Word:
    """A Latin word of a text: its normalised letters and where it is."""

    norm: str
    start: int
    end: int


def _latin_words(text: str) -> list[_Word]:
    """Split ``text`` into its Latin-script words (letters and digits), located in ``text``."""
    normalised = normalise_with_offsets(text)
    words: list[_Word] = []
    previous = False
    for index, char in enumerate(normalised.text):
        wordlike = is_wordlike(char)
        offset = normalised.offsets[index]
        if wordlike and previous and not normalised.breaks[index]:
            last = words[-1]
            words[-1] = _Word(last.norm + char, last.start, offset + 1)
        elif wordlike:
            words.append(_Word(char, offset, offset + 1))
        previous = wordlike
    return words


@dataclass(frozen=True)
class _LatinTerm:
    """A Latin-script term split into words, with the word to look for first."""

    term: CatalogTerm
    words: tuple[_Word, ...]
    anchor: int

    @classmethod
    def build(cls, term: CatalogTerm) -> _LatinTerm | None:
        """Prepare ``term``, or None when it is not a Latin term long enough to correct."""
        words = tuple(_latin_words(term.text))
        if not words or sum(len(w.norm) for w in words) < MIN_LATIN_LETTERS:
            return None
        if len(normalise_with_offsets(term.text).text) != sum(len(w.norm) for w in words):
            return None  # a Chinese character or other script in it
        anchor = max(range(len(words)), key=lambda i: len(words[i].norm))
        return cls(term, words, anchor)


def _latin_fixes(texts: Sequence[str], terms: list[CatalogTerm]) -> Iterable[tuple[int, Fix]]:
    """Yield the best non-overlapping windows of words that sound like a Latin term."""
    prepared = [p for p in map(_LatinTerm.build, terms) if p is not None]
    words = [_latin_words(text) for text in texts]
    where: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for index, found in enumerate(words):
        for position, word in enumerate(found):
            if word.norm.isalpha():
                where[word.norm].append((index, position))
    if not prepared or not where:
        return
    heard = list(where)
    candidates: list[tuple[tuple[int, float, int, int], Fix]] = []
    for term in prepared:
        anchor = term.words[term.anchor].norm
        for _, _, found in process.extract(
            anchor, heard, scorer=fuzz.ratio, score_cutoff=_WORD_LETTERS, limit=None
        ):
            for index, position in where[heard[found]]:
                scored = _window_fix(texts[index], words[index], position - term.anchor, term)
                if scored is not None:
                    rank = (-len(term.words), -scored[0], index, scored[1].start)
                    candidates.append((rank, scored[1]))
    yield from _best_fixes(candidates)


def _best_fixes(
    candidates: list[tuple[tuple[int, float, int, int], Fix]],
) -> Iterable[tuple[int, Fix]]:
    """Keep the longest, then best, windows; a span claimed equally by two terms is skipped."""
    claims: dict[tuple[int, float, int, int, int], set[str]] = defaultdict(set)
    for rank, fix in candidates:
        claims[(*rank, fix.end)].add(fix.written)
    kept: dict[int, list[Fix]] = defaultdict(list)
    for rank, fix in sorted(candidates, key=lambda c: c[0]):
        index = rank[2]
        if len(claims[(*rank, fix.end)]) > 1:
            continue
        if not any(fix.start < other.end and other.start < fix.end for other in kept[index]):
            kept[index].append(fix)
            yield index, fix


def _listed_fixes(
    texts: Sequence[str], terms: list[CatalogTerm], listed: Collection[int], others: float
) -> Iterable[tuple[int, Fix]]:
    """Yield a fix for every fuzzy match of a listed item's Latin name that the mention finder
    would take for it: matched against the whole catalog (the other items at ``others``), so
    "natural jade plaque" is not rewritten as the listed *jadeite plaque* when the catalog's
    *natural jadeite plaque* (or *natural hetian jade plaque*) explains more of it.
    """
    if not any(term.item_id in listed for term in terms):
        return
    matches = match_texts(
        texts,
        terms,
        fuzzy_threshold=LISTED_FUZZY_THRESHOLD,
        listed=listed,
        unlisted_threshold=others,
    )
    for match in matches:
        if match.kind == "fuzzy" and match.term.item_id in listed:
            fix = _differing_words(texts[match.text_index], match)
            if fix is not None:
                yield match.text_index, fix


def _differing_words(text: str, match: TextMatch) -> Fix | None:
    """Rewrite the words of a matched window that differ from its term's (word by word).

    Words heard but not in the name at either end are left alone; a name word the recogniser
    dropped is written with its neighbour ("green" → "green green").
    """
    heard = [
        _Word(w.norm, w.start + match.start, w.end + match.start)
        for w in _latin_words(text[match.start : match.end])
    ]
    named = _latin_words(match.term.text)
    changes = [
        op
        for op in SequenceMatcher(
            None, [w.norm for w in heard], [w.norm for w in named], autojunk=False
        ).get_opcodes()
        if op[0] != "equal"
    ]
    while changes and changes[0][0] == "delete" and changes[0][1] == 0:
        changes.pop(0)
    while changes and changes[-1][0] == "delete" and changes[-1][2] == len(heard):
        changes.pop()
    if not changes or not heard:
        return None
    first, last = changes[0][1], changes[-1][2]  # heard words [first, last)
    first_named, last_named = changes[0][3], changes[-1][4]
    if first == last:  # only a dropped word: rewrite the word before it (or after) too
        first, first_named = (first - 1, first_named - 1) if first else (first, first_named)
        last, last_named = (last, last_named) if first < last else (last + 1, last_named + 1)
    start, end = heard[first].start, heard[last - 1].end
    written = match.term.text[named[first_named].start : named[last_named - 1].end]
    if text[start].isupper() and written[0].islower():
        written = written[0].upper() + written[1:]  # "Ice jade ring" → "Icy jadeite ring"
    return Fix(start, end, text[start:end], written, match.term)


@lru_cache(maxsize=65536)
def _key(word: str) -> str:
    """Return a word's Metaphone key (the first vowel kept: "ember" and "amber" differ)."""
    return metaphone(word)


def _window_fix(
    text: str, words: list[_Word], first: int, term: _LatinTerm
) -> tuple[float, Fix] | None:
    """Score the window of ``len(term.words)`` words from ``first``; return its fix if it passes."""
    size = len(term.words)
    if first < 0 or first + size > len(words):
        return None
    window = words[first : first + size]
    if any(text[a.end : b.start].strip() for a, b in pairwise(window)):
        return None  # punctuation between the words: not one name
    changed = [i for i in range(size) if window[i].norm != term.words[i].norm]
    if not changed or not all(_passes(window[i].norm, term.words[i].norm, size) for i in changed):
        return None
    if size > 1 and len(changed) == size:
        return None
    letters = sum(len(w.norm) for w in term.words)
    pairs = zip(window, term.words, strict=True)
    score = sum(len(t.norm) * _word_score(h.norm, t.norm) for h, t in pairs) / letters
    if score < _WINDOW_SCORE:
        return None
    start, end = window[changed[0]].start, window[changed[-1]].end
    written = term.term.text[term.words[changed[0]].start : term.words[changed[-1]].end]
    return score, Fix(start, end, text[start:end], written, term.term)


def _passes(heard: str, term: str, size: int) -> bool:
    """Tell whether a heard word may be rewritten as the term's word."""
    if len(heard) < _MIN_CHANGED_LETTERS or not heard.isalpha():
        return False
    if heard in term or term in heard:
        return False  # another word (jade, not jadeite) or another form of it (bangles)
    letters, sound = fuzz.ratio(heard, term), fuzz.ratio(_key(heard), _key(term))
    if size == 1:
        return letters >= _ONE_WORD_LETTERS and sound >= _ONE_WORD_SOUND
    return letters >= _WORD_LETTERS and sound >= _WORD_SOUND


def _word_score(heard: str, term: str) -> float:
    """Return how alike two words are: the mean of their spelling and sound similarity."""
    if heard == term:
        return 100.0
    return (fuzz.ratio(heard, term) + fuzz.ratio(_key(heard), _key(term))) / 2
