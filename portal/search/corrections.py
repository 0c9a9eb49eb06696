"""Close terms from the index vocabulary: typo fixes, pinyin runs, suggestions.

A Latin word that starts no term of the vocabulary is corrected with rapidfuzz (one edit for
short words, two for longer ones) and split into known pieces (``bingzhongfeicui`` →
``bingzhong`` + ``feicui``); both become further alternatives of its clause. When nothing is
found, Chinese words sounding the same (非翠 → 翡翠) and close spellings are offered, but only
those that find something the viewer may see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein
from sqlalchemy import ColumnElement, and_, func, select

from portal.extensions import db
from portal.search.models import SearchTerm
from portal.search.query import Clause, Plan, Term
from portal.search.text import pinyin_of

MAX_FIXES = 3
MAX_CANDIDATES = 5000
MAX_SUGGESTIONS = 5
MIN_FIX_CHARS = 3
MAX_SPLIT_CHARS = 40
MAX_EXPANSIONS = 12


@dataclass(frozen=True)
class Correction:
    """A word of the query and what it was read as."""

    word: str
    read_as: str


def _starting_with(prefix: str) -> ColumnElement[bool]:
    """SQL: the term starts with ``prefix`` (a range on SQLite, whose LIKE ignores the index)."""
    if db.session.get_bind().dialect.name == "sqlite":
        return and_(SearchTerm.term >= prefix, SearchTerm.term < prefix + "\U0010ffff")
    return SearchTerm.term.startswith(prefix, autoescape=True)


def terms_starting(token: str, limit: int) -> list[str]:
    """Return up to ``limit`` vocabulary terms starting with ``token``, commonest first."""
    statement = select(SearchTerm.term).where(_starting_with(token))
    return list(db.session.scalars(statement.order_by(SearchTerm.doc_count.desc()).limit(limit)))


def close_terms(word: str, max_distance: int, limit: int = MAX_FIXES) -> list[str]:
    """Return vocabulary terms at most ``max_distance`` edits from ``word``, closest first.

    Candidates share the first letter (typos rarely hit it) and are of a similar length.
    """
    length = func.length(SearchTerm.term)
    rows = db.session.execute(
        select(SearchTerm.term, SearchTerm.doc_count)
        .where(
            _starting_with(word[0]),
            length.between(len(word) - max_distance, len(word) + max_distance),
            SearchTerm.term != word,
        )
        .limit(MAX_CANDIDATES)
    ).all()
    scored = [
        (distance, -count, term)
        for term, count in rows
        if (distance := Levenshtein.distance(word, term, score_cutoff=max_distance)) <= max_distance
    ]
    return [term for _d, _c, term in sorted(scored)[:limit]]


def split_run(word: str) -> list[str]:
    """Split a run of letters into the fewest known terms (two or more), or return []."""
    if len(word) > MAX_SPLIT_CHARS:
        return []
    pieces = {word[i:j] for i in range(len(word)) for j in range(i + 2, len(word) + 1)}
    pieces.discard(word)
    known = set(db.session.scalars(select(SearchTerm.term).where(SearchTerm.term.in_(pieces))))
    best: list[list[str] | None] = [[]] + [None] * len(word)
    for end in range(2, len(word) + 1):
        for start in range(end - 1):
            previous = best[start]
            if previous is not None and word[start:end] in known:
                candidate = [*previous, word[start:end]]
                if best[end] is None or len(candidate) < len(best[end] or []):
                    best[end] = candidate
    found = best[len(word)]
    return found if found and len(found) > 1 else []


def _max_distance(word: str) -> int:
    return 1 if len(word) <= 5 else 2


def correct(plan: Plan) -> list[Correction]:
    """Resolve the plan's Latin words against the vocabulary; return what was read differently.

    A word starting only a few terms becomes those terms (an index reads exact terms faster
    than a prefix); an unknown word gets typo fixes and pinyin splits as alternatives.
    """
    corrections = []
    for clause in plan.clauses:
        if not clause.is_latin or not clause.word.isalpha():
            continue
        token = clause.alternatives[0][0].token
        known = terms_starting(token, MAX_EXPANSIONS + 1)
        if 0 < len(known) <= MAX_EXPANSIONS:
            clause.alternatives = [(Term(term),) for term in known]
        if known or len(token) < MIN_FIX_CHARS:
            continue
        fixes = close_terms(token, _max_distance(token))
        clause.alternatives.extend((Term(fix),) for fix in fixes)
        pieces = split_run(token)
        if pieces:
            clause.alternatives.append(tuple(Term(piece) for piece in pieces))
        if fixes or pieces:
            corrections.append(Correction(clause.word, fixes[0] if fixes else " ".join(pieces)))
    return corrections


def _alternatives(clause: Clause) -> list[str]:
    if clause.is_latin:
        if not clause.word.isalpha() or len(clause.word) < MIN_FIX_CHARS:
            return []
        homophones = select(SearchTerm.term).where(SearchTerm.pinyin == clause.word)
        spelled = list(
            db.session.scalars(homophones.order_by(SearchTerm.doc_count.desc()).limit(3))
        )
        return spelled + close_terms(clause.word, 2)
    reading = pinyin_of(clause.word)
    if len(clause.word) < 2 or not reading:
        return []
    sounding = (
        select(SearchTerm.term)
        .where(SearchTerm.pinyin == reading, SearchTerm.term != clause.word)
        .order_by(SearchTerm.doc_count.desc())
        .limit(MAX_FIXES)
    )
    return list(db.session.scalars(sounding))


def suggestions(plan: Plan, finds_something: Callable[[str], bool]) -> list[str]:
    """Return queries close to ``plan`` that find something (``finds_something`` decides)."""
    found: list[str] = []
    for clause in plan.clauses:
        for replacement in _alternatives(clause):
            query = plan.text.replace(clause.word, replacement, 1)
            if query != plan.text and query not in found and finds_something(query):
                found.append(query)
            if len(found) >= MAX_SUGGESTIONS:
                return found
    return found
