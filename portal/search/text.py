"""Turn text into index tokens, the same way for documents and queries, on every database.

Text is folded (``portal.text_folding``: NFKC, case-fold, Simplified) and a few variants unified.
Chinese runs are segmented with jieba (search mode: 和田玉 also gives 和田) plus every character
and character pair, so any one or two characters of a run can be found, and each word's toneless
pinyin is added
(``hetianyu``, ``hetian``); a pinyin run typed without spaces is split into known words at query
time (``portal.search.corrections``). Latin words are lightly stemmed; a code
such as ``JD-0012`` gives its parts and the joined ``jd0012``. The result is a space-separated
token string that SQLite FTS5 (``unicode61``) and PostgreSQL (``simple``) read the same way.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import jieba
from pypinyin import Style, lazy_pinyin

from portal.search.vocabulary import JADE_WORDS, VARIANTS
from portal.text_folding import fold_text

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef"
CJK_RUN = re.compile(f"[{_CJK}]+")
LATIN_CHUNK = re.compile(r"[a-z0-9]+(?:[-_./'][a-z0-9]+)*")
SEGMENT = re.compile(f"(?P<cjk>[{_CJK}]+)|(?P<latin>[a-z0-9]+(?:[-_./'][a-z0-9]+)*)")
LATIN_PART = re.compile(r"[a-z0-9]+")
MAX_TERM_CHARS = 100

logging.getLogger("jieba").setLevel(logging.WARNING)


@lru_cache(maxsize=1)
def segmenter() -> jieba.Tokenizer:
    """Return the search's own jieba tokenizer with the jade vocabulary (built once)."""
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for word in JADE_WORDS:
        tokenizer.add_word(word, freq=200_000)
    return tokenizer


def normalize(text: str) -> str:
    """Return ``text`` in the index's spelling: folded, variants unified."""
    simplified = fold_text(text)
    for variant, standard in VARIANTS.items():
        simplified = simplified.replace(variant, standard)
    return simplified


@lru_cache(maxsize=200_000)
def pinyin_of(word: str) -> str:
    """Return the toneless pinyin of a Chinese word, syllables joined (ü written v)."""
    syllables = lazy_pinyin(word, style=Style.NORMAL, errors="ignore")
    return "".join(s for s in syllables if s.isascii() and s.isalpha())


def stem(word: str) -> str:
    """Strip common English endings (plural, -ing, -ed) so word forms meet; codes stay."""
    if len(word) <= 3 or not word.isalpha():
        return word
    for suffix, replacement, keep in (
        ("ies", "y", 3),
        ("sses", "ss", 3),
        ("xes", "x", 2),
        ("ches", "ch", 3),
        ("shes", "sh", 3),
        ("ing", "", 3),
        ("ed", "", 3),
        ("s", "", 3),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= keep:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            return word[: len(word) - len(suffix)] + replacement
    return word


def latin_parts(chunk: str) -> list[str]:
    """Return the alphanumeric parts of a Latin chunk, plus their join for codes (jd0012)."""
    parts = LATIN_PART.findall(chunk)
    if len(parts) > 1 and not chunk.count("'"):
        parts.append("".join(parts))
    return parts


def pairs(run: str) -> list[str]:
    """Return every pair of neighbouring characters of a Chinese run."""
    return [run[i : i + 2] for i in range(len(run) - 1)]


@dataclass
class Analysis:
    """Tokens of one text, in first-seen order, each once."""

    tokens: dict[str, None] = field(default_factory=dict)

    def add(self, token: str) -> None:
        """Add a token (empty and over-long ones are skipped)."""
        if token and len(token) <= MAX_TERM_CHARS:
            self.tokens.setdefault(token)

    @property
    def token_string(self) -> str:
        """The tokens as the full-text index reads them."""
        return " ".join(self.tokens)


def _add_cjk(analysis: Analysis, run: str) -> None:
    tokenizer = segmenter()
    for word in tokenizer.cut_for_search(run):
        analysis.add(word)
        if len(word) > 1:
            analysis.add(pinyin_of(word))
    for word in tokenizer.lcut(run):
        analysis.add(pinyin_of(word))
    for pair in pairs(run):
        analysis.add(pair)
    for char in run:
        analysis.add(char)


def is_term(token: str) -> bool:
    """Tell whether a token belongs in the vocabulary: a Latin word or pinyin, a Chinese word.

    Decided by the token alone, so adding and removing a row count the same terms.
    """
    if token.isascii():
        return token.isalpha() and len(token) > 1
    return len(token) > 1 and segmenter().FREQ.get(token, 0) > 0


def vocabulary_terms(tokens: Iterable[str]) -> dict[str, str]:
    """Return the vocabulary terms among ``tokens``, each with its pinyin (Chinese words)."""
    return {t: ("" if t.isascii() else pinyin_of(t)) for t in tokens if is_term(t)}


def analyze(*texts: str) -> Analysis:
    """Return the index tokens of ``texts`` (one analysis across all of them)."""
    analysis = Analysis()
    for text in texts:
        for match in SEGMENT.finditer(normalize(text)):
            if match.group("cjk"):
                _add_cjk(analysis, match.group("cjk"))
                continue
            for part in latin_parts(match.group("latin")):
                if len(part) > 1 or part.isdigit():
                    analysis.add(stem(part))
    return analysis


def cjk_words(run: str) -> list[str]:
    """Segment a Chinese run into words (precise mode), as a query is segmented."""
    return segmenter().lcut(run)


def segments(text: str) -> Iterator[tuple[str, str]]:
    """Yield ``("cjk", run)`` and ``("latin", chunk)`` pieces of normalised ``text``."""
    for match in SEGMENT.finditer(normalize(text)):
        kind = "cjk" if match.group("cjk") else "latin"
        yield kind, match.group(kind)
