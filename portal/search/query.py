"""A user's query as a boolean plan over index tokens, written for FTS5 or for ``tsquery``.

A plan is an AND of clauses (one per word); a clause is an OR of alternatives; an alternative is
an AND of terms; a term is a token, maybe a prefix. Every Chinese character and character pair is
indexed, so a word of three or more characters also matches through its pairs. Latin words match
their stem as a prefix (typing ``brac`` finds bracelet); ``portal.search.corrections`` turns a
prefix into the few known terms it starts, and adds typo fixes and pinyin splits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from portal.search.text import LATIN_PART, cjk_words, normalize, pairs, segments, stem

MAX_CLAUSES = 8


@dataclass(frozen=True)
class Term:
    """One index token, or every token starting with it."""

    token: str
    prefix: bool = False


@dataclass
class Clause:
    """One word of the query: any of its alternatives (each an AND of terms) matches."""

    word: str
    alternatives: list[tuple[Term, ...]] = field(default_factory=list)
    is_latin: bool = False


@dataclass
class Plan:
    """The query: every clause must match."""

    text: str
    clauses: list[Clause]

    @property
    def is_empty(self) -> bool:
        """Tell whether nothing searchable was typed."""
        return not self.clauses

    @property
    def exact_key(self) -> str:
        """The whole query as an exact-match key (normalised, without spaces)."""
        return exact_key(self.text)

    @property
    def words(self) -> list[str]:
        """The query's words, for highlighting."""
        return [clause.word for clause in self.clauses]


def exact_key(text: str) -> str:
    """Return ``text`` as an exact-match key: normalised, without spaces or separators."""
    return "".join(piece for _kind, piece in segments(text))


def _cjk_clause(word: str) -> Clause:
    if len(word) == 1:
        return Clause(word, [(Term(word),)])
    clause = Clause(word, [(Term(word),)])
    if len(word) > 2:
        clause.alternatives.append(tuple(Term(pair) for pair in pairs(word)))
    return clause


def _latin_clause(chunk: str) -> Clause:
    parts = LATIN_PART.findall(chunk)
    if len(parts) > 1:  # a code such as JD-0012: its joined form is indexed too
        joined = "".join(parts)
        return Clause(joined, [(Term(joined, prefix=True),)], is_latin=True)
    token = stem(parts[0])
    return Clause(parts[0], [(Term(token, prefix=len(token) > 1),)], is_latin=True)


def parse(text: str) -> Plan:
    """Build the plan of a query typed by a user."""
    clauses: list[Clause] = []
    for kind, piece in segments(text[:200]):
        if kind == "cjk":
            clauses.extend(_cjk_clause(word) for word in cjk_words(piece))
        else:
            clauses.append(_latin_clause(piece))
    return Plan(normalize(text.strip()), clauses[:MAX_CLAUSES])


def _fts5_term(term: Term) -> str:
    return f'"{term.token}"' + ("*" if term.prefix else "")


def _tsquery_term(term: Term) -> str:
    # Weights A and B are the title and body; D holds the row's scope (kind, organisation).
    return f"'{term.token}'" + (":*AB" if term.prefix else ":AB")


def _render(plan: Plan, render_term: Callable[[Term], str], and_: str, or_: str) -> str:
    clauses = []
    for clause in plan.clauses:
        options = [
            "(" + f" {and_} ".join(render_term(term) for term in alternative) + ")"
            for alternative in clause.alternatives
        ]
        clauses.append("(" + f" {or_} ".join(options) + ")")
    return f" {and_} ".join(clauses)


def to_fts5(plan: Plan) -> str:
    """Write the plan as an SQLite FTS5 MATCH expression."""
    return _render(plan, _fts5_term, "AND", "OR")


def to_tsquery(plan: Plan) -> str:
    """Write the plan as a PostgreSQL ``to_tsquery('simple', …)`` expression."""
    return _render(plan, _tsquery_term, "&", "|")
