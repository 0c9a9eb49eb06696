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
  ``media.mentions.matching``), and a span of a name of four or more characters heard with up
  to half its syllables off, graded by ``media.mentions.pinyin_distance`` (each at most 0.75,
  together at most 0.25 per syllable: 冰种蜉玉见面 → 冰种岫玉戒面, 白衣件面 → 白玉戒面) where no
  other catalog term of that length sounds as close (the near-miss 冰种独山玉链子 is as close
  to 不种独山一链子 as the listed 糯种独山玉链子: neither is written), no other item's name
  was matched across it, and no word of the catalog's names was heard in place of another
  (冰种白玉见面 is not the listed 冰种碧玉戒面: 白玉 was heard; nor is 冰种白玉吊坠, a name in
  no catalog, the listed 岫玉吊坠 though jieba cuts 岫玉吊|坠: a character heard otherwise
  must make no pair of the catalog's characters the name lacks). Both checked against the
  dictionary as above; such a name is written whole over the fixes of shorter terms inside it.
  A word of a listed name corrected in a sentence (和田玉批凶 → 和田玉貔貅) that is a term
  of its own (the glossary's 貔貅) is then written where it is heard a syllable or two off
  again in that sentence (批凶招采 → 貔貅招采: pi xiong), with the same checks; in a sentence
  without the corrected name, 批凶 stays.
  Without a list, the items the texts name twice by a Chinese name — once at least as spelled,
  in the same syllables or one syllable a little off, the other time perhaps a syllable or two
  off — stand in for it.
* An item on the stream's list, Latin script: the stream sells it, so a window the
  mention finder takes for it (``LISTED_FUZZY_THRESHOLD``, words may be merged, split or
  dropped) is rewritten where its words differ from the name's: "ice jade ring" → "icy jadeite
  ring", "actual xiuyan jade necklace" → "natural xiuyan jade necklace", "full green nephrite"
  → "full green green nephrite". Words heard around the name are kept, and a word of the
  catalog's names is never written over with another ("old mine dushan jade" never becomes
  "old mine hetian jade"). Only where the mention
  finder, matching the whole catalog, takes the window for that item. Without a list, the
  items the texts clearly name (``media.mentions.matching.clearly_named``) are treated so.
  With the stream's own list (or the small catalog standing in for it), a listed name whose
  words were heard right but for one run of them heard as other words that sound alike
  (``media.mentions.english_sound``: "seed added bangle", "the size and add it pixiu charm")
  is written too, where no other term sounds as close (``_sounded_fixes``).

A span already spelled like some term (an exact match) is never rewritten, and a span two
different terms claim equally is left alone.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from itertools import pairwise

import jieba
from jellyfish import metaphone
from pypinyin import Style, lazy_pinyin
from rapidfuzz import fuzz, process

from media.mentions.english_sound import distance as sound_distance
from media.mentions.english_sound import sound
from media.mentions.matching import (
    INFERRED_UNLISTED_THRESHOLD,
    LISTED_FUZZY_THRESHOLD,
    NAMED_TIMES,
    UNLISTED_FUZZY_THRESHOLD,
    CatalogTerm,
    TextMatch,
    clearly_named,
    match_texts,
)
from media.mentions.normalise import WIDE, is_wordlike, normalise_with_offsets, pinyin_readings
from media.mentions.pinyin_distance import syllable_distance
from media.mentions.shortened import Name, Vocabulary

MIN_LATIN_LETTERS = 5
_MIN_KEPT_CHARS = 2
_MIN_CHANGED_LETTERS = 3
_WORD_LETTERS, _WORD_SOUND = 55.0, 75.0  # a changed word of a longer term
_ONE_WORD_LETTERS, _ONE_WORD_SOUND = 70.0, 100.0  # the word of a one-word term
_WINDOW_SCORE = 80.0
_NEAR_MIN_CHARS = 4  # a listed Chinese name heard with syllables off: only names this long
_NEAR_SYLLABLE = 0.75  # each syllable heard at most this far from the name's (syllable_distance)
_NEAR_PER_SYLLABLE = 0.25  # and all of them together at most this much per syllable of the name
_CLOSE_NAME = 0.25  # a name heard this close (one syllable a little off) names its item
_READINGS = 2
_SOUNDED_SHARE = 0.35  # a listed Latin name's words heard as others: sound distance per sound
_SOUNDED_SCORE = 55.0  # … and their letters and sound alike (the mean of both, 0–100) at least
_SOUNDED_EXTRA_WORDS = 2  # … in at most this many words more than the name has there
_SYLLABLE_CODES = 0xF0000
_CODES: dict[str, str] = {}

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

    ``listed`` holds the items of the stream's list: their names are corrected more boldly (see
    the module docstring). Without it, the items the texts clearly name stand in for it.
    """
    terms = list(terms)
    others = UNLISTED_FUZZY_THRESHOLD
    given = bool(listed)
    if not listed:
        others = INFERRED_UNLISTED_THRESHOLD
        listed = clearly_named(texts, terms) | _named_in_chinese(texts, terms)
    matches = match_texts(texts, terms, listed=listed)
    fixes: list[list[Fix]] = [[] for _ in texts]
    taken: list[list[tuple[int, int]]] = [[] for _ in texts]
    for match in matches:
        if match.kind == "exact":
            taken[match.text_index].append((match.start, match.end))
    for index, fix in _chinese_fixes(texts, matches):
        fixes[index].append(fix)
    for index, start, _, term in _near_chinese_matches(texts, terms, listed, matches):
        fix = _trimmed_fix(texts[index], start, term)
        if fix is not None:
            fixes[index] = _superseded(fixes[index], fix)
    names = [[fix for fix in found if fix.term.item_id in listed] for found in fixes]
    sounded = _sounded_fixes(texts, terms, listed, matches) if given else []
    latin = [*_listed_fixes(texts, terms, listed, others), *sounded, *_latin_fixes(texts, terms)]
    for index, fix in [*_echo_fixes(texts, terms, names, matches), *latin]:
        _add_if_free(fixes[index], taken[index], fix)
    return [sorted(found, key=lambda f: f.start) for found in fixes]


def _add_if_free(fixes: list[Fix], taken: list[tuple[int, int]], fix: Fix) -> None:
    """Add ``fix`` to a text's ``fixes`` unless it overlaps one or an exact match (``taken``)."""
    spans = [*taken, *((f.start, f.end) for f in fixes)]
    if not any(fix.start < end and start < fix.end for start, end in spans):
        fixes.append(fix)


def _echo_fixes(
    texts: Sequence[str],
    terms: list[CatalogTerm],
    names: list[list[Fix]],
    matches: list[TextMatch],
) -> Iterator[tuple[int, Fix]]:
    """Yield fixes for the words of the listed names corrected in a text (``names``) heard a
    syllable or two off again in that text (``_echoed_terms``)."""
    echoed = [_echoed_terms(found, terms) for found in names]
    for index, start, _, term in _near_terms(texts, terms, echoed, matches):
        fix = _trimmed_fix(texts[index], start, term)
        if fix is not None:
            yield index, fix


def _superseded(fixes: list[Fix], fix: Fix) -> list[Fix]:
    """Add a fix writing a whole name in place of the fixes inside it (莫总和田玉首串: 首串 → 手串,
    then the name 糯种和田玉手串 over both words); a fix reaching outside it stays, and ``fix``
    is not added."""
    inside = [f for f in fixes if fix.start <= f.start and f.end <= fix.end]
    if any(f.start < fix.end and fix.start < f.end for f in fixes if f not in inside):
        return fixes
    return [*(f for f in fixes if f not in inside), fix]


def _named_in_chinese(texts: Sequence[str], terms: list[CatalogTerm]) -> frozenset[int]:
    """The items the texts name ``NAMED_TIMES`` times by a Chinese name or alias: at least once
    as spelled, in the very same syllables (the longest name winning its stretch, as mention
    finding does) or with one syllable a little off (``_CLOSE_NAME``: 糯种独山一项链), the other
    times so or a syllable or two off (``_near_chinese_matches``). Without a list, the stream's
    items as far as its transcript tells.
    """
    matches = match_texts(texts, terms)
    chinese = {term for term in terms if term.item_id >= 0 and _is_chinese(term.text)}
    heard = Counter(match.term.item_id for match in matches if match.term in chinese)
    items = {term.item_id for term in chinese}
    near = list(_near_chinese_matches(texts, terms, items, matches))
    close = {term.item_id for *_, distance, term in near if distance <= _CLOSE_NAME}
    times = heard + Counter(term.item_id for *_, term in near)
    return frozenset(item for item in heard.keys() | close if times[item] >= NAMED_TIMES)


def _is_chinese(text: str) -> bool:
    """Tell whether a term is written in Chinese characters only, each with a reading."""
    return bool(text) and all(WIDE.match(char) and pinyin_readings(char) for char in text)


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
        fix = _trimmed_fix(text, start, match.term)
        if fix is not None:
            yield index, fix


def _widened(written: str, first: int, last: int) -> tuple[int, int]:
    """Widen ``first:last`` to whole words of the term (匪翠手镯 for 翡翠手镯: 匪翠 → 翡翠)."""
    for _, start, end in _tokenizer().tokenize(written, HMM=True):
        if start < last and end > first:
            first, last = min(first, start), max(last, end)
    return first, last


def _keeps_words(text: str, start: int, written: str, differs: list[int]) -> bool:
    """Tell whether writing ``written`` over the span's ``differs`` characters breaks no
    dictionary word: none reaches outside the span, and where one is rewritten, two of the
    term's characters are kept — as they are, or heard in the very syllable the term says there
    outside every word rewritten — one at least as it is (资料费脆舍卓: 料, and 费脆 fei cui and
    卓 zhuo are 翡翠 and 镯 heard; 比喻 alone stays, and so does 资料比喻, two words, for
    籽料碧玉)."""
    end = start + len(written)
    rewritten: list[tuple[int, int]] = []
    for word_start, word_end in _dictionary_words(text):
        if word_end <= start or word_start >= end:
            continue
        if word_start < start or word_end > end:
            return False
        if any(word_start <= start + i < word_end for i in differs):
            rewritten.append((word_start, word_end))
    same = len(written) - len(differs)
    if not rewritten or same >= _MIN_KEPT_CHARS:
        return True
    said = _name_syllables(written)
    alike = sum(
        len(said) == len(written)
        and _same_syllable(text[start + i], said[i])
        and not any(a <= start + i < b for a, b in rewritten)
        for i in differs
    )
    return same >= 1 and same + alike >= _MIN_KEPT_CHARS


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


def _near_chinese_matches(
    texts: Sequence[str],
    terms: list[CatalogTerm],
    listed: Collection[int],
    matches: list[TextMatch],
) -> Iterator[tuple[int, int, float, CatalogTerm]]:
    """Yield (text, start, distance, term) where a listed item's Chinese name sounds but for a
    syllable or two (``_near_distance``) and no other catalog term of that length sounds as
    close: a near-miss item not on the list is never written for what was heard. A span another
    item's name was matched at (as spelled or by its syllables) is that item's.
    """
    own = [t for t in terms if t.item_id in listed and _is_chinese(t.text)]
    own = [t for t in own if len(t.text) >= _NEAR_MIN_CHARS]
    yield from _near_terms(texts, terms, [own] * len(texts), matches)


def _echoed_terms(names: list[Fix], terms: list[CatalogTerm]) -> list[CatalogTerm]:
    """The terms a sentence's corrected names hold in the words written over what was heard
    (和田玉批凶 → 和田玉貔貅: the glossary's 貔貅): heard once a syllable or two off in the
    sentence, such a word is looked for near its sound again there (批凶招采)."""
    words = {word for fix in names for word in _words(fix.term.text) if word in fix.written}
    return [term for term in terms if term.text in words and _is_chinese(term.text)]


def _near_terms(
    texts: Sequence[str],
    terms: list[CatalogTerm],
    own: Sequence[list[CatalogTerm]],
    matches: list[TextMatch],
) -> Iterator[tuple[int, int, float, CatalogTerm]]:
    """Yield (text, start, distance, term) where a term of ``own[text]`` sounds but for a
    syllable or two, with the checks of ``_near_chinese_matches``."""
    if not any(own):
        return
    rivals: dict[int, list[CatalogTerm]] = defaultdict(list)
    for term in terms:
        if _is_chinese(term.text):
            rivals[len(term.text)].append(term)
    vocabulary = {word for size in rivals.values() for term in size for word in _words(term.text)}
    pairs = Vocabulary.of(Name(t.item_id, t.text, ()) for size in rivals.values() for t in size)
    claimed: dict[int, list[TextMatch]] = defaultdict(list)
    for match in matches:
        claimed[match.text_index].append(match)
    for index, text in enumerate(texts):
        kept: list[tuple[int, int]] = []
        for distance, start, term in sorted(_near_spans(text, own[index]), key=lambda n: n[:2]):
            end = start + len(term.text)
            if not (
                any(start < e and s < end for s, e in kept)
                or _claimed_by_other(claimed[index], start, end, term)
                or _has_rival(text[start:end], term, distance, rivals[end - start])
                or _replaces_chinese_word(text[start:end], term.text, vocabulary, pairs)
            ):
                kept.append((start, end))
                yield index, start, distance, term


def _words(name: str) -> list[str]:
    """The words (two or more characters) of a Chinese name, as ``_widened`` cuts it."""
    return [
        name[start:end]
        for _, start, end in _tokenizer().tokenize(name, HMM=True)
        if end - start > 1
    ]


def _replaces_chinese_word(heard: str, name: str, vocabulary: set[str], pairs: Vocabulary) -> bool:
    """Tell whether a word of the catalog's names was heard where ``name`` has another one
    (白玉 for the 碧玉 of 冰种碧玉戒面): a word that tells items apart was heard, not this one.

    Words as jieba cuts the name, and, as mention finding checks a near match
    (``Vocabulary.other_word_at``), a character heard otherwise that makes with its neighbour
    a pair of the catalog's characters the name does not hold: jieba knows no 岫 and cuts
    岫玉吊坠 as 岫玉吊|坠, but the 白玉 of 冰种白玉吊坠 (a name in no catalog) is the catalog's
    白玉 (白玉耳环) heard right, never the listed 岫玉吊坠 (白 may be read bo, near xiu).
    """
    for _, start, end in _tokenizer().tokenize(name, HMM=True):
        piece = heard[start:end]
        if piece != name[start:end] and piece in vocabulary:
            return True
    return any(
        said != got and pairs.other_word_at(heard, index, name)
        for index, (got, said) in enumerate(zip(heard, name, strict=True))
    )


def _has_rival(heard: str, term: CatalogTerm, distance: float, rivals: list[CatalogTerm]) -> bool:
    """Tell whether a term of another item (or the glossary) sounds as close to ``heard``."""
    for other in rivals:
        if other.item_id != term.item_id:
            near = _near_distance(heard, other.text)
            if near is not None and near <= distance:
                return True
    return False


def _near_spans(text: str, terms: list[CatalogTerm]) -> Iterator[tuple[float, int, CatalogTerm]]:
    """Yield (distance, start, term) for every span of ``text`` near one of ``terms``.

    At most half a name's syllables differ, so cut into that many pieces plus one, the name
    keeps one piece's syllables as they are (each character read its first way): only the
    spans around where a piece is found are compared.
    """
    coded = "".join(_syllable_code(char) for char in text)
    for term in terms:
        size = len(term.text)
        said = "".join(map(_code_of, _name_syllables(term.text)))
        bounds = [round(n * size / (size // 2 + 1)) for n in range(size // 2 + 2)]
        starts = {
            found - first
            for first, last in pairwise(bounds)
            for found in _find_all(coded, said[first:last])
        }
        for start in sorted(n for n in starts if 0 <= n <= len(text) - size):
            distance = _near_distance(text[start : start + size], term.text)
            if distance:
                yield distance, start, term


def _find_all(haystack: str, needle: str) -> Iterator[int]:
    """Yield every offset of ``needle`` in ``haystack``, overlapping ones included."""
    found = haystack.find(needle)
    while found >= 0:
        yield found
        found = haystack.find(needle, found + 1)


@lru_cache(maxsize=65536)
def _syllable_code(char: str) -> str:
    """One code point standing for a character's first reading ("\0" without one)."""
    readings = pinyin_readings(char)
    return _code_of(readings[0]) if readings else "\0"


def _code_of(syllable: str) -> str:
    """One code point (Private Use Area-A) for a toneless syllable, the same every time (two
    threads may give two syllables one code: a span is only looked at more, never missed)."""
    return _CODES.setdefault(syllable, chr(_SYLLABLE_CODES + len(_CODES)))


def _claimed_by_other(matches: list[TextMatch], start: int, end: int, term: CatalogTerm) -> bool:
    """Tell whether another item's name was matched over part of ``start:end`` (not inside it)
    or any term over all of it."""
    return any(
        (m.start, m.end) == (start, end)
        or (
            m.term.item_id >= 0
            and m.term.item_id != term.item_id
            and m.start < end
            and start < m.end
            and not (start <= m.start and m.end <= end)
        )
        for m in matches
    )


def _trimmed_fix(text: str, start: int, term: CatalogTerm) -> Fix | None:
    """Write ``term`` over the words of ``text`` from ``start`` that differ from it, if the
    dictionary allows (``_keeps_words``); trimmed to those words (``_widened``)."""
    written = term.text.strip()
    end = start + len(written)
    heard = text[start:end]
    differs = [i for i, (h, w) in enumerate(zip(heard, written, strict=True)) if h != w]
    if not differs or not _keeps_words(text, start, written, differs):
        return None
    first, last = _widened(written, differs[0], differs[-1] + 1)
    return Fix(start + first, start + last, heard[first:last], written[first:last], term)


def _near_distance(heard: str, name: str) -> float | None:
    """Sum the syllable distances of a span heard against a Chinese name of its length, or None
    when they sound too far apart: a syllable beyond ``_NEAR_SYLLABLE``, the sum beyond
    ``_NEAR_PER_SYLLABLE`` per syllable, or fewer than half the syllables the same. The name is
    read as the phrase it is (白玉 bai yu); a heard character in any of its common readings.
    """
    budget = _NEAR_PER_SYLLABLE * len(name)
    total, changed = 0.0, 0
    for heard_char, name_char, said in zip(heard, name, _name_syllables(name), strict=True):
        distance = 0.0 if heard_char == name_char else _char_distance(heard_char, said)
        if distance > _NEAR_SYLLABLE:
            return None
        total += distance
        changed += distance > 0
        if total > budget or 2 * changed > len(name):
            return None
    return total


@lru_cache(maxsize=4096)
def _name_syllables(name: str) -> tuple[str, ...]:
    """A Chinese name's toneless syllables, each character read in the phrase's context."""
    return tuple(lazy_pinyin(name, style=Style.NORMAL))


def _same_syllable(heard: str, said: str) -> bool:
    """Tell whether a heard character is read ``said`` (in one of its common readings)."""
    return _char_distance(heard, said) == 0.0


@lru_cache(maxsize=65536)
def _char_distance(heard: str, said: str) -> float:
    """How far a heard character sounds from the syllable ``said``: its closest common
    reading's ``syllable_distance`` (1 for a character without a reading)."""
    readings = pinyin_readings(heard)[:_READINGS]
    return min((syllable_distance(reading, said) for reading in readings), default=1.0)


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
    vocabulary = {w.norm for term in terms for w in _latin_words(term.text) if len(w.norm) > 2}
    for match in matches:
        if match.kind == "fuzzy" and match.term.item_id in listed:
            fix = _differing_words(texts[match.text_index], match, vocabulary)
            if fix is not None:
                yield match.text_index, fix


def _differing_words(text: str, match: TextMatch, vocabulary: set[str]) -> Fix | None:
    """Rewrite the words of a matched window that differ from its term's (word by word).

    Words heard but not in the name at either end are left alone; a name word the recogniser
    dropped is written with its neighbour ("green" → "green green"). A word of the catalog's
    names heard where the name has another (``_replaces_catalog_word``) leaves the window
    alone: "pendant in old mine dushan jade" is not *pendant in old mine hetian jade*.
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
    if not changes or not heard or _replaces_catalog_word(heard, named, changes, vocabulary):
        return None
    first, last = changes[0][1], changes[-1][2]  # heard words [first, last)
    first_named, last_named = changes[0][3], changes[-1][4]
    if first == last:  # only a dropped word: rewrite the word before it (or after) too
        first, first_named = (first - 1, first_named - 1) if first else (first, first_named)
        last, last_named = (last, last_named) if first < last else (last + 1, last_named + 1)
    start, end = heard[first].start, heard[last - 1].end
    written = match.term.text[named[first_named].start : named[last_named - 1].end]
    return Fix(start, end, text[start:end], _cased(text[start], written), match.term)


def _cased(heard: str, written: str) -> str:
    """Start ``written`` with a capital where the heard words did ("Ice jade ring" → "Icy
    jadeite ring"); the catalog's own capitals stay."""
    if heard.isupper() and written[:1].islower():
        return written[0].upper() + written[1:]
    return written


@dataclass(frozen=True)
class _Sounded:
    """A Latin term heard at words ``first:last`` of a text, the words ``fix`` covers heard as
    others that sound like its own; ``distance``: theirs per sound (``_sound_share``), ``whole``:
    the whole stretch's against the term's."""

    first: int
    last: int
    distance: float
    whole: float
    fix: Fix


def _sounded_fixes(
    texts: Sequence[str],
    terms: list[CatalogTerm],
    listed: Collection[int],
    matches: list[TextMatch],
) -> list[tuple[int, Fix]]:
    """Fixes for a listed item's Latin name heard with some of its words as they are and the
    others, in one run, as other words that sound like them (``media.mentions.english_sound``):
    "seed added bangle" for *seed jadeite bangle*, "the size and add it pixiu charm" for *icy
    jadeite pixiu charm*. Only with the stream's own list; only where the words heard right hold
    at least as many letters as those misheard and are no part of a term heard as spelled
    around them, their letters and sound alike enough (``_SOUNDED_SCORE``: "a second pixiu
    charm" stays), no word heard in their place is a word of the catalog's names or holds or
    is held by the word it would be ("dispendant" is "this pendant"), and no other
    term (another item's name, a glossary term) sounds as close: not in the same way around
    its own words heard right, nor over the whole stretch. So "seed added bangle" stays where
    the catalog also sells a *seed agate bangle*.
    """
    prepared = [p for p in map(_LatinTerm.build, terms) if p is not None and len(p.words) > 1]
    if not any(p.term.item_id in listed for p in prepared):
        return []
    vocabulary = {w.norm for p in prepared for w in p.words if len(w.norm) > 2}
    exact: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for match in matches:
        if match.kind == "exact":
            exact[match.text_index].append((match.start, match.end))
    fixes: list[tuple[int, Fix]] = []
    for index, text in enumerate(texts):
        words = _latin_words(text)
        present = {w.norm for w in words}
        near = [
            found
            for term in prepared
            if present.intersection(w.norm for w in term.words)
            for found in _sounded_windows(text, words, term, vocabulary)
        ]
        kept: list[_Sounded] = []
        for found in sorted(near, key=lambda n: (n.distance, n.fix.start)):
            if (
                found.fix.term.item_id in listed
                and not any(_overlapping(found, other) for other in kept)
                and not _inside_exact(found, words, exact[index])
                and not _sounds_as_close(found, near, prepared, words)
            ):
                kept.append(found)
                fixes.append((index, found.fix))
    return fixes


def _inside_exact(found: _Sounded, words: list[_Word], exact: list[tuple[int, int]]) -> bool:
    """Tell whether a term heard as spelled reaches over the stretch's edge: its words heard
    right belong to that term ("a second pixiu charm in icy jadeite")."""
    start, end = words[found.first].start, words[found.last - 1].end
    return any(s < end and start < e and not (start <= s and e <= end) for s, e in exact)


def _overlapping(one: _Sounded, other: _Sounded) -> bool:
    """Tell whether two stretches share a word."""
    return one.first < other.last and other.first < one.last


def _sounded_windows(
    text: str, words: list[_Word], term: _LatinTerm, vocabulary: set[str]
) -> Iterator[_Sounded]:
    """Yield the stretches of ``words`` holding ``term`` with one run of its words (no more
    letters than the rest) heard as other words that sound like them (``_SOUNDED_SHARE``)."""
    named = [w.norm for w in term.words]
    heard = [w.norm for w in words]
    present = set(heard)
    said_all = sound(named)
    runs = [
        (first, last) for first in range(len(named)) for last in range(first + 1, len(named) + 1)
    ]
    for first, last in runs:
        before, missing, after = named[:first], named[first:last], named[last:]
        if (
            len(missing) == len(named)
            or not present.issuperset(before + after)
            or _letters(before + after) < _letters(missing)
        ):
            continue
        said = sound(missing)
        for start in range(len(heard) - len(before) + 1):
            if heard[start : start + len(before)] != before:
                continue
            at = start + len(before)
            for size in range(1, len(missing) + _SOUNDED_EXTRA_WORDS + 1):
                end = at + size
                if end > len(heard) or heard[end : end + len(after)] != after:
                    continue
                middle = heard[at:end]
                if (
                    middle == missing
                    or not all(w.isalpha() for w in middle)
                    or any(w in vocabulary for w in middle)
                    or any(_holds(h, m) for h in middle for m in missing)
                    or _letters(missing) > 2 * _letters(middle)
                    or _letters(middle) > 2 * _letters(missing)
                ):
                    continue
                stretch = words[start : end + len(after)]
                if any(text[a.end : b.start].strip() for a, b in pairwise(stretch)):
                    continue  # punctuation between the words: not one name
                share = _sound_share(sound(middle), said)
                letters = fuzz.ratio("".join(middle), "".join(missing))
                if share > _SOUNDED_SHARE or (letters + 100 * (1 - share)) / 2 < _SOUNDED_SCORE:
                    continue
                fix_start, fix_end = words[at].start, words[end - 1].end
                written = term.term.text[term.words[first].start : term.words[last - 1].end]
                fix = Fix(
                    fix_start,
                    fix_end,
                    text[fix_start:fix_end],
                    _cased(text[fix_start], written),
                    term.term,
                )
                whole = _sound_share(sound(w.norm for w in stretch), said_all)
                yield _Sounded(start, end + len(after), share, whole, fix)


def _holds(heard: str, said: str) -> bool:
    """Tell whether one word holds the other (of ``_MIN_CHANGED_LETTERS`` letters or more)."""
    shorter = min(len(heard), len(said))
    return shorter >= _MIN_CHANGED_LETTERS and (heard in said or said in heard)


def _letters(words: Sequence[str]) -> int:
    return sum(len(word) for word in words)


def _sound_share(heard: str, said: str) -> float:
    """The sound distance of two skeletons per sound of the longer."""
    return sound_distance(heard, said) / max(len(heard), len(said), 1)


def _sounds_as_close(
    found: _Sounded, near: list[_Sounded], prepared: list[_LatinTerm], words: list[_Word]
) -> bool:
    """Tell whether another item's term (or a glossary term) sounds as close to what was heard:
    found the same way over some of the same words, or over the very same stretch."""
    item = found.fix.term.item_id
    if any(
        other.fix.term.item_id != item
        and _overlapping(found, other)
        and other.distance <= found.distance
        for other in near
    ):
        return True
    heard = sound(w.norm for w in words[found.first : found.last])
    return any(
        other.term.item_id != item
        and _sound_share(heard, sound(w.norm for w in other.words)) <= found.whole
        for other in prepared
    )


def _replaces_catalog_word(
    heard: list[_Word],
    named: list[_Word],
    changes: list[tuple[str, int, int, int, int]],
    vocabulary: set[str],
) -> bool:
    """Tell whether a change would write over a heard word of the catalog's names (dushan)
    with another (hetian): a word that tells items apart was heard, and it was not this one.
    A word inside the other (jade, jadeite) is the same word heard short or long.
    """
    for _, heard_first, heard_last, named_first, named_last in changes:
        said = [w.norm for w in named[named_first:named_last]]
        for word in heard[heard_first:heard_last]:
            if word.norm in vocabulary and not any(
                word.norm in other or other in word.norm for other in said
            ):
                return True
    return False


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
