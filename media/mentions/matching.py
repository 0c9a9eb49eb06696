"""Find where catalog items are mentioned in a timed transcript (pure, deterministic).

Every sentence is normalised once (NFKC, case-fold, Traditional → Simplified, letters and digits
only) and the sentences are searched as one joined string, so the cost grows with the transcript
plus the catalog, not with their product. Three passes:

* exact: the normalised term in the normalised text, never starting or ending inside a Latin word;
* pinyin: Chinese terms of two or more characters, as toneless syllables. Each character is
  written as one code point standing for its syllable, so a match covers whole characters
  (非翠 matches 翡翠) and never straddles syllables; the term's heteronym readings are tried too;
* fuzzy: Latin-script terms of three or more letters: rapidfuzz ``ratio`` of the space-free term
  against windows of whole transcript words (so "he tian" can match "hetian"), keeping at least
  half the letters of every term word, tried only around words resembling one of the term's two
  rarest words or a piece of it.

Overlaps are resolved per sentence, most matched characters first (then exact before pinyin
before fuzzy, then score): an item counts once per stretch of text, and a longer match of one
item beats a shorter one of another. A fuzzy window counts only the characters it shares with its
term, so "a seed dushan jade bangle" read as *carved dushan jade bangle* (19 shared) loses to the
exact *seed dushan jade bangle* (20) inside it. Items tie only on the very same span, kind and
score (a shared alias).

With a stream item list (``listed``), a window needs less likeness to be one of the stream's own
items and more to be any other: the merchant said which items this stream sells. Two more passes
then run for the listed items only: a Chinese name heard with one syllable close to its own
(near-pinyin), and a shorter form of a name ("the carved jade pendant" for *carved hetian jade
pendant*, ``media.mentions.shortened``), which also wins over another item's name inside it.
A short form counts while the talk is still about its item (``_still_about``).

Without a list, the items whose Latin-script names the transcript itself clearly names twice
(``clearly_named``) stand in for it, the other items keeping the default threshold; a Chinese
name may be heard one syllable off, or with its grade heard near (its syllables' initials
kept: 莫总 for 糯种, never 先看 for 天然), where no other catalog name is as near
(``_one_near``). Either way a fuzzy match of an item off the list must tell it from the rest
of the catalog: when another item's name shares as many letters with the window at a close ratio,
the words that tell them apart were not heard, and the window is no mention
(``_unambiguous``); nor is it one when it holds another item's name heard whole and not the
words its own name adds ("a lovely amber donut pendant" is no *carved* one, ``_told_apart``).
A word misheard in a match that told its item apart stands for its word elsewhere too
(``_heard_alike``: "fashion" for "hetian").
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice, pairwise, product
from typing import Literal

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel

from media.mentions.normalise import (
    WIDE_CHARS,
    is_wordlike,
    normalise,
    normalise_with_offsets,
    pinyin_readings,
    split_syllable,
)
from media.mentions.pinyin_distance import initials_close
from media.mentions.shortened import Name, Vocabulary, short_forms

# partial: a listed item by a shorter form of its name (media.mentions.shortened);
# link: by its link number (media.mentions.links)
MatchKind = Literal["exact", "pinyin", "fuzzy", "partial", "link"]

_KIND_RANK: dict[str, int] = {"exact": 0, "pinyin": 1, "fuzzy": 2, "partial": 3}
_SEPARATOR = "\x00"  # joins sentences; normalisation never keeps it, so no match crosses it
_SYLLABLE_BASE = 0xF0000  # Private Use Area-A: normalisation never keeps these either
_RAW = "="  # marks a term character that has no pinyin reading
_MIN_PINYIN_CHARS = 2
_MIN_FUZZY_LETTERS = 3
_MIN_NEAR_CHARS = 4
_TWO_NEAR_CHARS = 6
_GRADE_CHARS = 2  # 冰种, 糯种, 老坑 …: without a list, a name's grade may be heard near (two)
_MAX_READINGS = 3
_MAX_VARIANTS = 16
_ANCHOR_SCORE = 70.0
DEFAULT_FUZZY_THRESHOLD = 85.0
LISTED_FUZZY_THRESHOLD = 78.0  # an item on the stream's list: "ice jade ring" is *icy jadeite ring*
UNLISTED_FUZZY_THRESHOLD = 92.0  # another item while a list exists: "a summer necklace" is not one
INFERRED_UNLISTED_THRESHOLD = DEFAULT_FUZZY_THRESHOLD  # the others, when the list is inferred
_LOSE_ONE_MIN_WORDS = 5  # a listed Latin name this long may lose one word whole
AMBIGUOUS_MARGIN = 10.0  # an item off the list loses a fuzzy match another name scores this close
_MOVED_ON = 2  # another item named this often since: a short form no longer refers back
NAMED_TIMES = 2  # without a list, an item named this often as the catalog spells it is listed
_ANCHOR_WORDS = 2
_NARROW_RUN = re.compile(f"[^{_SEPARATOR}{WIDE_CHARS}]+")


@dataclass(frozen=True)
class TimedWord:
    """One recognised word in seconds; Latin words keep the leading space Whisper writes."""

    start: float
    end: float
    text: str


@dataclass(frozen=True)
class TimedSentence:
    """One transcript sentence and its words."""

    index: int
    start: float
    end: float
    words: tuple[TimedWord, ...]

    @property
    def text(self) -> str:
        """The words joined as the recogniser wrote them."""
        return "".join(word.text for word in self.words)


@dataclass(frozen=True)
class CatalogTerm:
    """One name or alias of a catalog item."""

    item_id: int
    text: str


@dataclass(frozen=True)
class Mention:
    """A catalog term heard in a sentence, timed by the words that cover it."""

    item_id: int
    sentence_index: int
    start: float
    end: float
    matched_text: str
    term: str
    kind: MatchKind


def terms_for(item_id: int, names: Iterable[str]) -> tuple[CatalogTerm, ...]:
    """Build one term per distinct name or alias of an item, skipping empty and repeated ones."""
    seen: set[str] = set()
    terms: list[CatalogTerm] = []
    for name in names:
        key = normalise(name)
        if key and key not in seen:
            seen.add(key)
            terms.append(CatalogTerm(item_id, name.strip()))
    return tuple(terms)


def find_mentions(
    sentences: Sequence[TimedSentence],
    terms: Iterable[CatalogTerm],
    *,
    listed: Collection[int] = (),
) -> list[Mention]:
    """Find every mention of the terms' items, ordered by sentence, position and item.

    ``listed`` holds the items of the stream's list, if it has one: a window of Latin words
    matches one of them at a rapidfuzz ``ratio`` (0–100, space-free texts) of
    ``LISTED_FUZZY_THRESHOLD`` and any other item at ``UNLISTED_FUZZY_THRESHOLD``. Without a
    list, the items the transcript clearly names (``clearly_named``) are treated as listed and
    every other item matches at ``INFERRED_UNLISTED_THRESHOLD`` (the default, 85).
    """
    transcript = _Transcript.build(sentences)
    terms = list(terms)
    chosen = frozenset(listed)
    others, guessed = UNLISTED_FUZZY_THRESHOLD, not chosen
    if guessed:
        chosen, others = _clearly_named(transcript, terms), INFERRED_UNLISTED_THRESHOLD
    thresholds = _thresholds(chosen, others)
    found = _matched(transcript, terms, thresholds, chosen, near_others=guessed)
    return _still_about([transcript.mention(c) for c in found])


def _still_about(mentions: list[Mention]) -> list[Mention]:
    """Drop the short forms (``partial``) said once the talk moved on from their item: after
    the item was last named more fully, another item was named ``_MOVED_ON`` times. A short
    form refers to the item being shown ("this donut pendant"); later, "a new tin escape donut
    pendant" is some other piece asked about. An item never named more fully keeps them.
    """
    ordered = sorted(mentions, key=lambda m: (m.start, m.item_id))
    last_full: dict[int, int] = {}  # item -> position in ordered of its last fuller naming
    dropped: set[int] = set()
    for number, mention in enumerate(ordered):
        if mention.kind != "partial":
            last_full[mention.item_id] = number
        elif mention.item_id in last_full:
            since = ordered[last_full[mention.item_id] + 1 : number]
            others = Counter(m.item_id for m in since if m.kind != "partial")
            if any(times >= _MOVED_ON for item, times in others.items() if item != mention.item_id):
                dropped.add(id(mention))
    return [m for m in mentions if id(m) not in dropped]


def _thresholds(listed: frozenset[int], others: float) -> Callable[[CatalogTerm], float]:
    """Return the fuzzy threshold of each term: ``others`` for the items not ``listed``."""
    if not listed:
        return lambda term: DEFAULT_FUZZY_THRESHOLD
    return _split_thresholds(listed, LISTED_FUZZY_THRESHOLD, others)


def _split_thresholds(
    listed: frozenset[int], own: float, others: float
) -> Callable[[CatalogTerm], float]:
    """Return ``own`` as the threshold of the ``listed`` items' terms, ``others`` for the rest."""
    return lambda term: own if term.item_id in listed else others


def clearly_named(texts: Sequence[str], terms: Iterable[CatalogTerm]) -> frozenset[int]:
    """Return the items ``texts`` clearly name at least ``NAMED_TIMES`` times: without a stream
    item list, the stream's items as far as its transcript tells (``_clearly_named``).
    """
    sentences = [TimedSentence(n, 0.0, 0.0, (TimedWord(0.0, 0.0, t),)) for n, t in enumerate(texts)]
    return _clearly_named(_Transcript.build(sentences), terms)


def _clearly_named(transcript: _Transcript, terms: Iterable[CatalogTerm]) -> frozenset[int]:
    """The items whose Latin-script names are matched ``NAMED_TIMES`` times without a list: as
    they are spelled, or fuzzily but telling them from the rest of the catalog (``_unambiguous``).

    A shorter name inside a longer one heard ("pearl ring" in "glutinous pearl ring") does not
    count: the longer match wins its stretch. Glossary terms (negative ids) are no items.
    Chinese names are not inferred (yet): the list's looser passes for them (near-pinyin, short
    forms) were measured only with a merchant's list.
    """
    terms = list(terms)
    latin = {term for term in terms if _PreparedTerm.build(term).latin_words}
    matched = _matched(transcript, latin, _thresholds(frozenset(), DEFAULT_FUZZY_THRESHOLD))
    counts = Counter(candidate.term.item_id for candidate in matched)
    return frozenset(item for item, times in counts.items() if times >= NAMED_TIMES and item >= 0)


@dataclass(frozen=True)
class TextMatch:
    """A term found in one of several texts: which text, which characters, how."""

    text_index: int
    start: int
    end: int
    term: CatalogTerm
    kind: MatchKind


def match_texts(
    texts: Sequence[str],
    terms: Iterable[CatalogTerm],
    *,
    fuzzy_threshold: float | None = None,
    listed: Collection[int] = (),
    unlisted_threshold: float | None = None,
) -> list[TextMatch]:
    """Find the terms in plain texts, as ``find_mentions`` does, located by character offsets.

    ``start``/``end`` slice the text (so the slice holds any separators the match skipped).
    Without ``fuzzy_threshold`` only the exact and pinyin passes run (with ``listed``, the
    near-pinyin pass for those items' Chinese names too); with ``unlisted_threshold`` too, the
    items not ``listed`` match fuzzily at that threshold instead.
    """
    sentences = [TimedSentence(n, 0.0, 0.0, (TimedWord(0.0, 0.0, t),)) for n, t in enumerate(texts)]
    transcript = _Transcript.build(sentences)
    thresholds = None if fuzzy_threshold is None else (lambda term: fuzzy_threshold)
    if fuzzy_threshold is not None and unlisted_threshold is not None:
        thresholds = _split_thresholds(frozenset(listed), fuzzy_threshold, unlisted_threshold)
    return [
        TextMatch(
            text_index=transcript.sentence_at(c.start),
            start=transcript.offsets[c.start],
            end=transcript.offsets[c.end - 1] + 1,
            term=c.term,
            kind=c.kind,
        )
        for c in _matched(transcript, terms, thresholds, frozenset(listed))
    ]


def _matched(
    transcript: _Transcript,
    terms: Iterable[CatalogTerm],
    thresholds: Callable[[CatalogTerm], float] | None,
    listed: frozenset[int] = frozenset(),
    *,
    near_others: bool = False,
) -> list[_Candidate]:
    """Run every pass over the transcript and keep the candidates that win their stretch.

    ``near_others`` (no merchant's list) lets the items off the inferred list be heard with
    syllables near their own too, where no other item is heard so (``_one_near``).
    """
    prepared = [_PreparedTerm.build(term) for term in _unique_terms(terms)]
    candidates = [
        *_exact_candidates(transcript, prepared),
        *_pinyin_candidates(transcript, prepared),
    ]
    if thresholds is not None:
        fuzzy = _own_words_only(
            transcript, list(_fuzzy_candidates(transcript, prepared, thresholds, listed)), prepared
        )
        told = _told_apart(transcript, fuzzy, candidates, listed)
        accepted = list(_unambiguous(transcript, told, prepared, listed))
        candidates.extend(accepted)
        candidates.extend(_heard_alike(transcript, accepted, prepared))
    if listed:
        own = [p for p in prepared if p.term.item_id in listed]
        candidates.extend(_near_pinyin_candidates(transcript, own, prepared))
        candidates.extend(_short_form_candidates(transcript, own, prepared))
    if near_others:
        others = [p for p in prepared if p.term.item_id not in listed and p.term.item_id >= 0]
        near = _near_pinyin_candidates(transcript, others, prepared)
        kept = _one_near(transcript, list(near), _vocabulary(prepared))
        candidates = [c for c in candidates if not any(_ends_inside(c, k) for k in kept)]
        candidates.extend(kept)
    return _resolve(transcript, _defer_to_listed(candidates, listed) if listed else candidates)


def _unambiguous(
    transcript: _Transcript,
    fuzzy: list[_Candidate],
    prepared: list[_PreparedTerm],
    listed: frozenset[int],
) -> Iterator[_Candidate]:
    """Keep the fuzzy matches of items off the (given or inferred) list that tell their item
    from the rest of the catalog: no other item's name shares as many letters with the heard
    window at a ratio within ``AMBIGUOUS_MARGIN`` of the match's. "carved jade robot pendant"
    is as much *carved jadeite donut pendant* as *carved jadeite pendant*: the word that tells
    them apart was not heard, so it is neither. A listed item's match always stays. Nor does a
    fuzzy match of fewer letters inside an ambiguous window stand for it: "natural jade plaque"
    (*natural jadeite plaque* or *natural hetian jade plaque*) is not the *jadeite plaque*.
    """
    latin = [p for p in prepared if p.latin_words]
    norms = [p.norm for p in latin]
    ambiguous: dict[int, list[_Candidate]] = defaultdict(list)  # by sentence
    for candidate in fuzzy:
        window = transcript.joined[candidate.start : candidate.end]
        if candidate.term.item_id not in listed and _is_ambiguous(window, candidate, latin, norms):
            ambiguous[transcript.sentence_at(candidate.start)].append(candidate)
    for candidate in fuzzy:
        near = ambiguous.get(transcript.sentence_at(candidate.start), ())
        if not any(candidate is other or _inside_more(candidate, other) for other in near):
            yield candidate


def _heard_alike(
    transcript: _Transcript, accepted: list[_Candidate], prepared: list[_PreparedTerm]
) -> Iterator[_Candidate]:
    """Yield the names heard with a word misheard as it was in a fuzzy match that told its item
    apart: "full green fashion jade bead bracelet" was the *full green hetian jade bead
    bracelet*, so "fashion jade pendant" — as near to *dushan jade pendant* — is the *hetian
    jade pendant*. The recogniser mishears a word the same way each time.
    """
    words = transcript.spaced_words()
    learned = _learned_words(transcript, words, accepted, prepared)
    for term in (p for p in prepared if p.latin_words):
        for heard, said in learned.items():
            for place in (k for k, word in enumerate(term.latin_words) if word == said):
                for pos in words.where.get(heard, ()):
                    window = _replaced_window(transcript, words, pos - place, term, learned)
                    if window is not None:
                        begin, end = window
                        score = fuzz.ratio(transcript.joined[begin:end], term.norm)
                        yield _Candidate(begin, end, term.term, "fuzzy", score, len(term.norm))


def _learned_words(
    transcript: _Transcript,
    words: _Words,
    accepted: list[_Candidate],
    prepared: list[_PreparedTerm],
) -> dict[str, str]:
    """Map each word heard in place of one word of a name, in accepted fuzzy matches of as many
    words as the name, to that word (a word heard for two different ones maps to neither)."""
    by_term = {p.term: p for p in prepared}
    vocabulary = {word for p in prepared for word in p.latin_words}
    learned: dict[str, str | None] = {}
    for candidate in (c for c in accepted if c.kind == "fuzzy"):
        first = bisect_left(words.spans, (candidate.start, candidate.start))
        last = bisect_left(words.spans, (candidate.end, candidate.end))
        heard = [transcript.joined[b:e] for b, e in words.spans[first:last]]
        said = by_term[candidate.term].latin_words
        differ = [k for k, word in enumerate(said) if k < len(heard) and heard[k] != word]
        if len(heard) == len(said) and len(differ) == 1 and heard[differ[0]] not in vocabulary:
            word, meant = heard[differ[0]], said[differ[0]]
            learned[word] = meant if learned.get(word, meant) == meant else None
    return {heard: said for heard, said in learned.items() if said is not None}


def _replaced_window(
    transcript: _Transcript,
    words: _Words,
    first: int,
    term: _PreparedTerm,
    learned: dict[str, str],
) -> tuple[int, int] | None:
    """The span of the words from ``first`` that are ``term``'s, some heard as ``learned``."""
    last = first + len(term.latin_words) - 1
    if first < 0 or last >= len(words.spans) or words.sentence_of[first] != words.sentence_of[last]:
        return None
    for k, said in enumerate(term.latin_words):
        begin, end = words.spans[first + k]
        heard = transcript.joined[begin:end]
        if learned.get(heard, heard) != said:
            return None
    return words.spans[first][0], words.spans[last][1]


def _told_apart(
    transcript: _Transcript,
    fuzzy: Iterable[_Candidate],
    heard: list[_Candidate],
    listed: frozenset[int],
) -> list[_Candidate]:
    """Keep the fuzzy matches of items off the (given or inferred) list that hear the words
    telling their name from another item's name ``heard`` whole inside the window: "a lovely
    amber donut pendant" holds the *amber donut pendant*, and "a lovely" is no "carved"
    (``_heard_most``).
    """
    by_start = sorted(heard, key=lambda h: h.start)
    starts = [h.start for h in by_start]
    kept = []
    for candidate in fuzzy:
        norm = normalise(candidate.term.text)
        inside = by_start[bisect_left(starts, candidate.start) : bisect_left(starts, candidate.end)]
        inner = next(
            (
                h
                for h in inside
                if h.end <= candidate.end
                and h.term.item_id != candidate.term.item_id
                and normalise(h.term.text) in norm
            ),
            None,
        )
        if candidate.term.item_id in listed or inner is None:
            kept.append(candidate)
            continue
        if _heard_most(transcript, candidate, inner):
            kept.append(candidate)
    return kept


def _heard_most(transcript: _Transcript, candidate: _Candidate, inner: _Candidate) -> bool:
    """Tell whether the window of ``candidate`` outside ``inner`` keeps, in order, more than
    half the letters of the words of its name that ``inner``'s name lacks ("second" keeps
    three of the four of "seed"; "a lovely" half of "carved")."""
    words = _PreparedTerm.build(candidate.term).latin_words
    inner_words = set(_PreparedTerm.build(inner.term).latin_words)
    missing = "".join(word for word in words if word not in inner_words)
    joined = transcript.joined
    rest = joined[candidate.start : inner.start] + joined[inner.end : candidate.end]
    return 2 * _shared(rest, missing) > len(missing)


def _inside_more(candidate: _Candidate, other: _Candidate) -> bool:
    """Tell whether ``other`` overlaps ``candidate`` and matches more characters."""
    return _overlaps(candidate, other) and candidate.matched < other.matched


def _is_ambiguous(
    window: str, candidate: _Candidate, latin: list[_PreparedTerm], norms: list[str]
) -> bool:
    """Tell whether another item's name shares as many letters with the candidate's ``window``
    at a ratio within ``AMBIGUOUS_MARGIN`` of the candidate's (``norms``: the ``latin`` terms')."""
    close = process.extract(
        window,
        norms,
        scorer=fuzz.ratio,
        score_cutoff=candidate.score - AMBIGUOUS_MARGIN,
        limit=None,
    )
    return any(
        latin[index].term.item_id != candidate.term.item_id
        and _shared(window, norm) >= candidate.matched
        for norm, _, index in close
    )


def _shared(window: str, target: str) -> int:
    """Return how many characters two texts share in order (their longest common subsequence)."""
    return (len(window) + len(target) - Indel.distance(window, target)) // 2


def _defer_to_listed(candidates: list[_Candidate], listed: frozenset[int]) -> list[_Candidate]:
    """Drop the fuzzy matches of items off the list that overlap a listed item's name heard as
    it is: "second white jade donut pendant" is the listed *white jade donut pendant*, not the
    unlisted *seed white jade donut pendant*. Drop too any match of an item off the list inside
    a listed item's short form: "this pearl ring", where the stream sells the *glutinous pearl
    ring*, is that one, not the catalog's plain *pearl ring*.
    """
    heard = [c for c in candidates if c.term.item_id in listed and c.kind != "fuzzy"]
    short = [c for c in heard if c.kind == "partial"]
    return [
        c
        for c in candidates
        if c.term.item_id in listed
        or not (
            (c.kind == "fuzzy" and any(_overlaps(c, other) for other in heard))
            or any(other.start <= c.start and c.end <= other.end for other in short)
        )
    ]


def _unique_terms(terms: Iterable[CatalogTerm]) -> list[CatalogTerm]:
    """Drop repeated terms, keeping a deterministic order."""
    return sorted(set(terms), key=lambda term: (term.item_id, term.text))


@dataclass(frozen=True)
class _PreparedTerm:
    """A term's normalised text, its pinyin variants and its Latin words."""

    term: CatalogTerm
    norm: str
    syllable_variants: tuple[tuple[str, ...], ...]
    latin_words: tuple[str, ...]

    @classmethod
    def build(cls, term: CatalogTerm) -> _PreparedTerm:
        """Prepare ``term`` once for every pass."""
        normalised = normalise_with_offsets(term.text)
        norm = normalised.text
        # A character without a reading stands for itself, marked so it is never coded.
        readings = [pinyin_readings(char)[:_MAX_READINGS] or (_RAW + char,) for char in norm]
        chinese = sum(1 for char in norm if pinyin_readings(char))
        variants = tuple(islice(product(*readings), _MAX_VARIANTS))
        letters = sum(1 for char in norm if char.isalpha())
        is_latin = bool(norm) and all(is_wordlike(c) for c in norm)
        words = _split_words(norm, normalised.breaks) if is_latin else ()
        return cls(
            term=term,
            norm=norm,
            syllable_variants=variants if chinese >= _MIN_PINYIN_CHARS else (),
            latin_words=words if letters >= _MIN_FUZZY_LETTERS else (),
        )


def _split_words(norm: str, breaks: Sequence[bool]) -> tuple[str, ...]:
    """Split a normalised Latin text into its words."""
    words: list[str] = []
    for index, char in enumerate(norm):
        if index == 0 or breaks[index]:
            words.append("")
        words[-1] += char
    return tuple(words)


@dataclass(frozen=True)
class _Candidate:
    """A possible mention: a span of the joined text, the term and how it matched."""

    start: int
    end: int
    term: CatalogTerm
    kind: MatchKind
    score: float
    matched: int  # characters shared with the term (all of them for exact and pinyin)
    misses: tuple[int, ...] = ()  # near-pinyin: the positions of the syllables heard otherwise


@dataclass
class _Words:
    """The spaced words of the joined text, for fuzzy matching."""

    spans: list[tuple[int, int]] = field(default_factory=list)
    sentence_of: list[int] = field(default_factory=list)
    where: dict[str, list[int]] = field(default_factory=dict)
    similar_cache: dict[str, list[int]] = field(default_factory=dict)

    def similar(self, word: str) -> list[int]:
        """Return the positions of transcript words resembling ``word`` or a piece of it.

        Pieces (a prefix or suffix of at least three letters and 40 %) catch a word the
        recogniser split in two: "fresh water" for "freshwater".
        """
        if word not in self.similar_cache:
            found = process.extract(
                word, list(self.where), scorer=fuzz.ratio, score_cutoff=_ANCHOR_SCORE, limit=None
            )
            texts = {text for text, _, _ in found}
            shortest = max(3, math.ceil(0.4 * len(word)))
            for size in range(shortest, len(word)):
                texts.update(piece for piece in (word[:size], word[-size:]) if piece in self.where)
            self.similar_cache[word] = sorted(pos for text in texts for pos in self.where[text])
        return self.similar_cache[word]


@dataclass
class _Transcript:
    """All sentences normalised and joined once, with the maps back to words and times."""

    sentences: tuple[TimedSentence, ...]
    texts: list[str]
    joined: str
    offsets: list[int]  # per joined character: offset in its sentence's text
    breaks: list[bool]
    starts: list[int]  # joined offset of each sentence's first character
    words: _Words | None = None
    char_words: dict[int, list[int]] = field(default_factory=dict)

    @classmethod
    def build(cls, sentences: Sequence[TimedSentence]) -> _Transcript:
        """Normalise and join ``sentences``."""
        texts, parts, offsets, breaks, starts = [], [], [], [], []
        position = 0
        for sentence in sentences:
            text = sentence.text
            normalised = normalise_with_offsets(text)
            texts.append(text)
            starts.append(position)
            parts.append(normalised.text + _SEPARATOR)
            offsets.extend((*normalised.offsets, -1))
            breaks.extend((True, *normalised.breaks[1:], True) if normalised.text else (True,))
            position += len(normalised.text) + 1
        return cls(tuple(sentences), texts, "".join(parts), offsets, breaks, starts)

    def at_boundary(self, pos: int) -> bool:
        """Tell whether a match may begin or end at ``pos`` (never inside a spaced word)."""
        if pos <= 0 or pos >= len(self.joined) or self.breaks[pos]:
            return True
        return not (is_wordlike(self.joined[pos - 1]) and is_wordlike(self.joined[pos]))

    def sentence_at(self, pos: int) -> int:
        """Return the position in ``sentences`` of the sentence holding joined offset ``pos``."""
        return bisect_right(self.starts, pos) - 1

    def spaced_words(self) -> _Words:
        """Split the joined text into spaced words once."""
        if self.words is None:
            self.words = _collect_words(self)
        return self.words

    def mention(self, candidate: _Candidate) -> Mention:
        """Turn a candidate into a mention timed by the words covering it."""
        number = self.sentence_at(candidate.start)
        sentence, text = self.sentences[number], self.texts[number]
        first, last = self.offsets[candidate.start], self.offsets[candidate.end - 1]
        if number not in self.char_words:
            self.char_words[number] = [i for i, w in enumerate(sentence.words) for _ in w.text]
        owners = self.char_words[number]
        return Mention(
            item_id=candidate.term.item_id,
            sentence_index=sentence.index,
            start=sentence.words[owners[first]].start,
            end=sentence.words[owners[last]].end,
            matched_text=text[first : last + 1].strip(),
            term=candidate.term.text,
            kind=candidate.kind,
        )


def _collect_words(transcript: _Transcript) -> _Words:
    """Find the spaced words of the joined text: narrow runs, split where a separator was."""
    words = _Words()
    joined = transcript.joined
    cuts = [pos for pos, is_break in enumerate(transcript.breaks) if is_break]
    for run in _NARROW_RUN.finditer(joined):
        begin, end = run.span()
        inner = cuts[bisect_right(cuts, begin) : bisect_left(cuts, end)]
        sentence = transcript.sentence_at(begin)
        for start, stop in zip((begin, *inner), (*inner, end), strict=True):
            words.where.setdefault(joined[start:stop], []).append(len(words.spans))
            words.spans.append((start, stop))
            words.sentence_of.append(sentence)
    return words


def _find_all(haystack: str, needle: str) -> Iterator[int]:
    """Yield every offset of ``needle`` in ``haystack``, overlapping ones included."""
    pos = haystack.find(needle)
    while pos >= 0:
        yield pos
        pos = haystack.find(needle, pos + 1)


def _exact_candidates(transcript: _Transcript, terms: list[_PreparedTerm]) -> Iterator[_Candidate]:
    """Yield the normalised terms found as they are, at word boundaries."""
    for prepared in terms:
        size = len(prepared.norm)
        for pos in _find_all(transcript.joined, prepared.norm) if size else ():
            if transcript.at_boundary(pos) and transcript.at_boundary(pos + size):
                yield _Candidate(pos, pos + size, prepared.term, "exact", 100.0, size)


class _Syllables:
    """The joined text with each Chinese character written as one code point for its syllable."""

    def __init__(self, transcript: _Transcript) -> None:
        self.codes: dict[str, str] = {}
        table = {
            ord(c): self.code(pinyin_readings(c)[0])
            for c in set(transcript.joined)
            if pinyin_readings(c)
        }
        self.text = transcript.joined.translate(table)

    def code(self, syllable: str) -> str:
        """Return the code point standing for ``syllable``."""
        if syllable not in self.codes:
            self.codes[syllable] = chr(_SYLLABLE_BASE + len(self.codes))
        return self.codes[syllable]

    def needle(self, variant: tuple[str, ...]) -> str:
        """Code a term's reading (a character without one stands for itself)."""
        return "".join(s[1:] if s[0] == _RAW else self.code(s) for s in variant)


def _pinyin_candidates(transcript: _Transcript, terms: list[_PreparedTerm]) -> Iterator[_Candidate]:
    """Yield spans whose characters sound like a Chinese term (toneless, heteronyms tried)."""
    syllables = _Syllables(transcript)
    for prepared in terms:
        found: set[int] = set()
        size = len(prepared.norm)
        for variant in prepared.syllable_variants:
            found.update(_find_all(syllables.text, syllables.needle(variant)))
        for pos in sorted(found):
            end = pos + size
            if transcript.joined[pos:end] == prepared.norm:
                continue  # the exact pass has it
            if transcript.at_boundary(pos) and transcript.at_boundary(end):
                yield _Candidate(pos, end, prepared.term, "pinyin", 100.0, size)


def _near_pinyin_candidates(
    transcript: _Transcript, terms: list[_PreparedTerm], prepared_all: list[_PreparedTerm]
) -> Iterator[_Candidate]:
    """Yield spans sounding like a listed Chinese name but for syllables close to its own.

    Only names of ``_MIN_NEAR_CHARS`` or more characters, each with a reading: one syllable may
    differ, two in a name of ``_TWO_NEAR_CHARS`` or more (莫种被脆平安扣 for 糯种翡翠平安扣). A
    syllable heard instead must share its initial or its final (莫种 mo for 糯种 nuo, 冰柱 zhu
    for 冰种 zhong; not 手串 chuan for 手镯 zhuo), unless it is the only one differing, in a name
    of ``_TWO_NEAR_CHARS`` or more, between its grade and form (``_one_far_allowed``:
    冰种蜉玉戒指 for 冰种岫玉戒指, five syllables of six heard as they are). A character heard
    instead must not make another word of the catalog (``prepared_all``) with its neighbour:
    籽料碧玉挂件 is a near miss heard as it is, not 籽料白玉挂件. Such a span matches as many
    characters fewer than the name as syllables differ.
    """
    syllables = _Syllables(transcript)
    decode = {code: syllable for syllable, code in syllables.codes.items()}
    vocabulary = _vocabulary(prepared_all)
    for prepared in terms:
        size = len(prepared.norm)
        if size < _MIN_NEAR_CHARS or not prepared.syllable_variants:
            continue
        most = 2 if size >= _TWO_NEAR_CHARS else 1
        for variant in prepared.syllable_variants[:_MAX_READINGS]:
            if any(s[0] == _RAW for s in variant):
                break
            for pos, misses in _codes_apart(syllables.text, syllables.needle(variant), most):
                heard = [decode[syllables.text[pos + miss]] for miss in misses]
                end = pos + size
                far = sum(
                    not _sounds_close(h, variant[m]) for h, m in zip(heard, misses, strict=True)
                )
                if (
                    (far == 0 or _one_far_allowed(misses, far, size))
                    and transcript.at_boundary(pos)
                    and transcript.at_boundary(end)
                    and not any(
                        vocabulary.other_word_at(transcript.joined[pos:end], miss, prepared.norm)
                        for miss in misses
                    )
                ):
                    score = 100.0 - 10.0 * len(misses)
                    matched = size - len(misses)
                    yield _Candidate(pos, end, prepared.term, "pinyin", score, matched, misses)


def _one_near(
    transcript: _Transcript, near: list[_Candidate], vocabulary: Vocabulary
) -> list[_Candidate]:
    """Keep the near-pinyin matches that tell their item from the catalog, without a list: one
    syllable off (冰种密纳项链 for *冰种蜜蜡项链*), or the two of its leading grade
    (莫总和田玉手串 for *糯种和田玉手串*; grades are far from each other, so a grade heard
    right is never near another; its initials kept, ``_grade_initials_kept``) — when no other
    catalog name is as near, and not going on from another name (独山一链子 after 布种 is no
    *独山玉链子*: 种独 is the grade of a longer one).
    """
    fitting = [
        c
        for c in near
        if len(c.misses) == 1
        or (max(c.misses) < _GRADE_CHARS and _grade_initials_kept(transcript, c))
    ]
    return [
        c
        for c in fitting
        if not _goes_on_from_another(transcript, c, vocabulary)
        and not any(
            o.term.item_id != c.term.item_id and o.matched >= c.matched and _overlaps(c, o)
            for o in near
        )
    ]


def _grade_initials_kept(transcript: _Transcript, candidate: _Candidate) -> bool:
    """Tell whether a name's grade heard near begins its syllables as the grade does (莫总 mo
    zong for 糯种 nuo zhong, ``initials_close``): a rhyme alone is another word (先看 xian
    kan, "first look at", rhymes with 天然 tian ran). A character read several ways counts
    when one of its readings does."""
    name = normalise(candidate.term.text)
    return all(
        any(
            initials_close(heard, said)
            for heard in pinyin_readings(transcript.joined[candidate.start + miss])[:_MAX_READINGS]
            for said in pinyin_readings(name[miss])[:_MAX_READINGS]
        )
        for miss in candidate.misses
    )


def _ends_inside(inner: _Candidate, outer: _Candidate) -> bool:
    """Tell whether ``inner`` (another item) ends ``outer``'s span after its start, its name
    the end of ``outer``'s: the syllables ``outer`` missed are before it."""
    return (
        outer.start < inner.start
        and inner.end == outer.end
        and inner.term.item_id != outer.term.item_id
        and normalise(outer.term.text).endswith(normalise(inner.term.text))
    )


def _goes_on_from_another(
    transcript: _Transcript, candidate: _Candidate, vocabulary: Vocabulary
) -> bool:
    """Tell whether the character before a Chinese match and its first make a pair of catalog
    characters its own name does not hold: the match ends a longer name."""
    pair = transcript.joined[max(candidate.start - 1, 0) : candidate.start + 1]
    return vocabulary.other_word_at(pair, 0, normalise(candidate.term.text))


def _vocabulary(prepared: Iterable[_PreparedTerm]) -> Vocabulary:
    """The words and character pairs of every prepared name."""
    return Vocabulary.of(_short_name(p) for p in prepared)


def _one_far_allowed(misses: tuple[int, ...], far: int, size: int) -> bool:
    """Tell whether a name of ``size`` characters may be heard with its ``misses`` (positions),
    ``far`` of them sharing neither initial nor final: one alone, in a long name, between its
    grade and its last two characters, the form (冰种蜉玉戒指 for 冰种岫玉戒指; 手串 is no 手镯,
    and 诺种 may be the 糯种 of a near miss)."""
    return (
        len(misses) == far == 1 and size >= _TWO_NEAR_CHARS and _GRADE_CHARS <= misses[0] < size - 2
    )


def _short_form_candidates(
    transcript: _Transcript, own: list[_PreparedTerm], prepared: list[_PreparedTerm]
) -> Iterator[_Candidate]:
    """Yield spans holding a short form of a listed item's name (``media.mentions.shortened``),
    at word boundaries and not ending another catalog name. Such a span matches its own
    characters, fewer than the full name: the full name, heard, wins.
    """
    names = [_short_name(p) for p in prepared]
    forms = short_forms([_short_name(p) for p in own], names)
    vocabulary = Vocabulary.of(names)
    terms = {(p.term.item_id, p.norm): p.term for p in own}
    for form, name in forms.items():
        for pos in _find_all(transcript.joined, form):
            end = pos + len(form)
            if not (transcript.at_boundary(pos) and transcript.at_boundary(end)):
                continue
            if not vocabulary.ends_other_name(_text_before(transcript, pos, name), name):
                term = terms[(name.item_id, name.text)]
                yield _Candidate(pos, end, term, "partial", fuzz.ratio(form, name.text), len(form))


def _short_name(prepared: _PreparedTerm) -> Name:
    """A prepared term as ``media.mentions.shortened`` reads it."""
    return Name(prepared.term.item_id, prepared.norm, prepared.latin_words)


def _text_before(transcript: _Transcript, pos: int, name: Name) -> str:
    """The word (Latin name) or two characters (Chinese) just before ``pos`` in its sentence."""
    if not name.words:
        return transcript.joined[max(pos - 2, 0) : pos]
    words = transcript.spaced_words()
    index = bisect_left(words.spans, (pos, pos)) - 1
    if index < 0 or words.sentence_of[index] != transcript.sentence_at(pos):
        return ""
    begin, end = words.spans[index]
    return transcript.joined[begin:end] if end == pos else ""


def _codes_apart(text: str, needle: str, most: int) -> Iterator[tuple[int, tuple[int, ...]]]:
    """Yield (offset, indexes) where ``text`` holds ``needle`` with 1 to ``most`` of its codes
    changed into other syllables (never into a separator or a character without a reading).

    Cut into ``most`` + 1 pieces, the needle keeps one piece whole wherever it is so found: the
    pieces are looked up as they are, and only the spans around them compared code by code.
    """
    size = len(needle)
    bounds = [round(n * size / (most + 1)) for n in range(most + 2)]
    tried: set[int] = set()
    for first, last in pairwise(bounds):
        for found in _find_all(text, needle[first:last]) if last > first else ():
            pos = found - first
            if pos < 0 or pos in tried or pos + size > len(text):
                continue
            tried.add(pos)
            misses = tuple(n for n in range(size) if text[pos + n] != needle[n])
            if 0 < len(misses) <= most and all(
                ord(text[pos + n]) >= _SYLLABLE_BASE for n in misses
            ):
                yield pos, misses


def _sounds_close(heard: str, said: str) -> bool:
    """Tell whether two toneless syllables share their initial or their final (medials aside)."""
    heard_initial, heard_final = split_syllable(heard)
    said_initial, said_final = split_syllable(said)
    return heard_initial == said_initial or heard_final == said_final


def _fuzzy_candidates(
    transcript: _Transcript,
    terms: list[_PreparedTerm],
    thresholds: Callable[[CatalogTerm], float],
    listed: frozenset[int] = frozenset(),
) -> Iterator[_Candidate]:
    """Yield the best windows of whole spaced words resembling each Latin term.

    A ``listed`` item's name of ``_LOSE_ONE_MIN_WORDS`` words or more may lose one word whole
    ("full green million jade bead bracelet" for *full green xiuyan jade bead bracelet*): the
    rest of a long name tells the item, and ``_own_words_only`` refuses another item's word there.
    """
    latin = [prepared for prepared in terms if prepared.latin_words]
    if not latin:
        return
    words = transcript.spaced_words()
    for prepared in latin:
        may_lose = int(
            prepared.term.item_id in listed and len(prepared.latin_words) >= _LOSE_ONE_MIN_WORDS
        )
        scored = sorted(
            _scored_windows(transcript, words, prepared, thresholds(prepared.term), may_lose),
            key=lambda c: (-c.score, abs(c.end - c.start - len(prepared.norm)), c.start),
        )
        kept: dict[int, list[_Candidate]] = defaultdict(list)
        for candidate in scored:  # the best window of each stretch, not its wider variants
            same_sentence = kept[transcript.sentence_at(candidate.start)]
            if not any(_overlaps(candidate, other) for other in same_sentence):
                same_sentence.append(candidate)
                yield candidate


def _scored_windows(
    transcript: _Transcript,
    words: _Words,
    prepared: _PreparedTerm,
    threshold: float,
    may_lose: int = 0,
) -> Iterator[_Candidate]:
    """Yield every window around the term's anchors whose similarity reaches ``threshold``.

    A window is a run of whole words of one sentence holding an anchor and starting at most
    ``len(term words)`` + 1 words before it (the anchor may be half of a split word). Similarity
    is rapidfuzz's ``ratio`` (0–100, normalised Indel distance) of the space-free texts, and every
    term word must keep half its letters. A window holding the exact term after other letters
    (bring, earring for ring) is a different word, not a misrecognition; letters after it (rings)
    are an inflection.
    """
    target, joined = prepared.norm, transcript.joined
    spans, sentence_of = words.spans, words.sentence_of
    # ratio ≥ t needs the shorter text to be at least t / (200 - t) of the longer one.
    share = threshold / (200.0 - threshold)
    shortest, longest = share * len(target), len(target) / share if share else float("inf")
    reach = len(prepared.latin_words) + 1
    previous = -1
    for anchor in sorted(_anchors(words, prepared.latin_words)):
        sentence = sentence_of[anchor]
        # Windows holding an earlier anchor were tried with it.
        for first in range(max(previous + 1, anchor - reach), anchor + 1):
            if sentence_of[first] != sentence:
                continue
            begin = spans[first][0]
            for last in range(anchor, len(spans)):
                end = spans[last][1]
                if end - begin > longest or sentence_of[last] != sentence:
                    break
                if end - begin < shortest:
                    continue
                window = joined[begin:end]
                score = fuzz.ratio(window, target, score_cutoff=threshold)
                if (
                    score
                    and window.find(target) in (-1, 0)
                    and not _overlaps_the_term_elsewhere(joined, target, begin, end)
                    and _covers(prepared, window, may_lose)
                ):
                    kind: MatchKind = "exact" if window == target else "fuzzy"
                    shared = _shared(window, target)
                    yield _Candidate(begin, end, prepared.term, kind, round(score, 2), shared)
        previous = anchor


def _overlaps_the_term_elsewhere(joined: str, target: str, begin: int, end: int) -> bool:
    """Tell whether the exact term stands across the window's edge, not at its start:
    "dispendant in old mine dushan jade" holds *pendant in old mine dushan jade* inside another
    word (see ``_scored_windows``), and so does every window of that stretch ("in old mine
    dushan jade", "dispendant in old mine dushan"), not only the ones holding it whole.
    """
    found = joined.find(target, max(begin - len(target) + 1, 0), end + len(target) - 1)
    return found != -1 and found != begin and found < end and found + len(target) > begin


def _covers(prepared: _PreparedTerm, window: str, may_lose: int = 0) -> bool:
    """Tell whether the window keeps at least half the letters of every term word (all but
    ``may_lose`` of them), in order.

    The whole-text ratio alone lets a long generic tail carry a missing name: "a jade pendant"
    scores 86 against "hotan jade pendant". A word the term repeats needs to be kept once: the
    recogniser says "full green nephrite" for *full green green nephrite*.
    """
    kept = bytearray(len(prepared.norm))
    for tag, first, last, _, _ in Indel.opcodes(prepared.norm, window):
        if tag == "equal":
            kept[first:last] = b"\1" * (last - first)
    covered: dict[str, bool] = {}
    start = 0
    for word in prepared.latin_words:
        half_kept = 2 * sum(kept[start : start + len(word)]) >= len(word)
        covered[word] = covered.get(word, False) or half_kept
        start += len(word)
    return sum(not kept_word for kept_word in covered.values()) <= may_lose


def _own_words_only(
    transcript: _Transcript, fuzzy: list[_Candidate], prepared: list[_PreparedTerm]
) -> list[_Candidate]:
    """Drop the fuzzy matches that hear another catalog name's word where a word of their own
    name is missing: "old mine dushan jade earrings" is no *old mine hetian jade earrings*, listed
    or not — another piece was named, as said (a word heard as part of a missing one, "jade" of
    "jadeite", is that word half heard, not another).
    """
    refused = {id(c) for c in _holding_other_words(transcript, fuzzy, prepared)}
    return [c for c in fuzzy if id(c) not in refused]


def _holding_other_words(
    transcript: _Transcript, fuzzy: list[_Candidate], prepared: list[_PreparedTerm]
) -> list[_Candidate]:
    """The fuzzy matches that miss a word of their name and hear another name's word."""
    vocabulary = {word for p in prepared for word in p.latin_words}
    words = transcript.spaced_words()
    refused = []
    for candidate in fuzzy:
        first = bisect_left(words.spans, (candidate.start, candidate.start))
        last = bisect_left(words.spans, (candidate.end, candidate.end))
        heard = {transcript.joined[b:e] for b, e in words.spans[first:last]}
        said = set(_PreparedTerm.build(candidate.term).latin_words)
        missing = said - heard
        intruders = {
            word
            for word in (heard & vocabulary) - said
            if not any(word in lost or lost in word for lost in missing)
        }
        if missing and intruders:
            refused.append(candidate)
    return refused


def _anchors(words: _Words, term_words: tuple[str, ...]) -> set[int]:
    """Return positions of transcript words resembling the term's two rarest words.

    Two, because the rarest word is often a proper noun, the word the recogniser garbles most.
    """
    groups = sorted((words.similar(word) for word in sorted(set(term_words))), key=len)
    return {pos for group in groups[:_ANCHOR_WORDS] for pos in group}


def _overlaps(a: _Candidate, b: _Candidate) -> bool:
    """Tell whether two candidates share a character."""
    return a.start < b.end and b.start < a.end


def _resolve(transcript: _Transcript, candidates: list[_Candidate]) -> list[_Candidate]:
    """Keep the candidates matching most characters; an item counts once per stretch; shared
    aliases tie."""
    longest_first = sorted(
        candidates,
        key=lambda c: (-c.matched, _KIND_RANK[c.kind], -c.score, c.start, c.term.item_id),
    )
    accepted: dict[int, list[_Candidate]] = defaultdict(list)
    for candidate in longest_first:
        kept = accepted[transcript.sentence_at(candidate.start)]
        if all(_ties(candidate, other) for other in kept if _overlaps(candidate, other)):
            kept.append(candidate)
    chosen = [c for kept in accepted.values() for c in kept]
    return sorted(chosen, key=lambda c: (c.start, c.end, c.term.item_id, c.term.text))


def _ties(a: _Candidate, b: _Candidate) -> bool:
    """Tell whether two items matched the very same span equally well (a shared alias)."""
    same = (a.start, a.end, a.kind, a.score) == (b.start, b.end, b.kind, b.score)
    return same and a.term.item_id != b.term.item_id
