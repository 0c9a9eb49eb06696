"""Write documents into the index: keep a scope current (``sync``) or rebuild all (``reindex``).

Rows are compared with what the source hands over, so an edit re-analyses only the documents
whose text changed. The vocabulary (``SearchTerm``) counts how many rows hold each term.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, bindparam, delete, insert, select, text, update
from sqlalchemy.dialects import postgresql, sqlite

from portal.extensions import db
from portal.search.models import SearchDocument
from portal.search.models import SearchTerm as Term
from portal.search.query import exact_key
from portal.search.registry import Document, all_sources
from portal.search.text import analyze, vocabulary_terms

D = SearchDocument
BATCH = 2000
_COMPARED = ("org_id", "recording_id", "title", "body", "context", "at_ms", "exact_keys")
T = TypeVar("T")


def _fields(kind: str, doc: Document) -> dict[str, Any]:
    keys = [key for key in dict.fromkeys(exact_key(name) for name in doc.exact) if key]
    return {
        "kind": kind,
        "ref_id": doc.ref_id,
        "part_id": doc.part_id,
        "org_id": doc.org_id,
        "recording_id": doc.recording_id,
        "title": doc.title[:300],
        "body": doc.body,
        "context": doc.context[:300],
        "at_ms": doc.at_ms,
        "happened_at": doc.happened_at,
        "exact_keys": "".join(f"|{key}|" for key in keys),
    }


def _analysed(row: dict[str, Any], terms: Counter[str], readings: dict[str, str]) -> dict[str, Any]:
    title = analyze(row["title"])
    body = analyze(row["body"])
    found = vocabulary_terms({**title.tokens, **body.tokens})
    readings.update(found)
    terms.update(found.keys())
    return row | {"title_tokens": title.token_string, "body_tokens": body.token_string}


def _old_terms(title_tokens: str, body_tokens: str) -> set[str]:
    return set(vocabulary_terms(set(title_tokens.split()) | set(body_tokens.split())))


def _upsert_insert(dialect: str) -> Callable[..., Any]:
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def apply_term_counts(delta: Counter[str], readings: dict[str, str]) -> None:
    """Add ``delta`` to the vocabulary's counts (new terms get their pinyin); drop unused terms."""
    dialect = db.session.get_bind().dialect.name
    added = sorted(term for term, n in delta.items() if n > 0 and term in readings)
    removed = sorted(term for term, n in delta.items() if n < 0)
    for chunk in _chunks(added, 500):
        statement = _upsert_insert(dialect)(Term).values(
            [{"term": t, "pinyin": readings[t], "doc_count": delta[t]} for t in chunk]
        )
        db.session.execute(
            statement.on_conflict_do_update(
                index_elements=[Term.term],
                set_={"doc_count": Term.doc_count + statement.excluded.doc_count},
            )
        )
    if removed:
        terms = Term.__table__
        db.session.execute(
            update(terms)
            .where(terms.c.term == bindparam("t"))
            .values(doc_count=terms.c.doc_count + bindparam("d")),
            [{"t": t, "d": delta[t]} for t in removed],
        )
        db.session.execute(delete(Term).where(Term.doc_count <= 0))


def _chunks(values: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(values)
    while chunk := list(islice(iterator, size)):
        yield chunk


def sync(kind: str, scope: ColumnElement[bool], documents: Iterable[Document]) -> int:
    """Make the rows of ``kind`` within ``scope`` equal ``documents``; return rows written.

    Part of the caller's unit of work (no commit): a listener to a change not committed yet (a
    transcript being deleted) adds the index rows to it. See ``refresh`` for committed changes.
    """
    columns = [D.id, D.ref_id, D.part_id, D.title_tokens, D.body_tokens]
    existing = {
        (row.ref_id, row.part_id): row
        for row in db.session.execute(
            select(*columns, *(getattr(D, name) for name in _COMPARED)).where(D.kind == kind, scope)
        )
    }
    delta: Counter[str] = Counter()
    readings: dict[str, str] = {}
    inserts, updates = [], []
    for doc in documents:
        fields = _fields(kind, doc)
        old = existing.pop((doc.ref_id, doc.part_id), None)
        if old is not None and all(getattr(old, name) == fields[name] for name in _COMPARED):
            continue
        row = _analysed(fields, delta, readings)
        if old is None:
            inserts.append(row)
        else:
            delta.subtract(_old_terms(old.title_tokens, old.body_tokens))
            updates.append(row | {"row_id": old.id})
    for old in existing.values():
        delta.subtract(_old_terms(old.title_tokens, old.body_tokens))
    _write(inserts, updates, [old.id for old in existing.values()])
    apply_term_counts(delta, readings)
    return len(inserts) + len(updates) + len(existing)


def refresh(kind: str, scope: ColumnElement[bool], documents: Iterable[Document]) -> int:
    """``sync`` after a change that was already committed, as the index's own unit of work.

    The listeners of the "changed" signals, which services send once they have committed.
    """
    written = sync(kind, scope, documents)
    db.session.commit()
    return written


def _write(inserts: list[dict[str, Any]], updates: list[dict[str, Any]], gone: list[int]) -> None:
    for chunk in _chunks(gone, 500):
        db.session.execute(delete(D).where(D.id.in_(chunk)))
    if updates:
        values = {name: bindparam(name) for name in updates[0] if name != "row_id"}
        documents = D.__table__
        db.session.execute(
            update(documents).where(documents.c.id == bindparam("row_id")).values(values), updates
        )
    for chunk in _chunks(inserts, BATCH):
        db.session.execute(insert(D), chunk)


def reindex_all(report: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Rebuild the whole index and vocabulary from every source; return rows per kind.

    One transaction: searches see the old index until the new one is complete.
    """
    db.session.execute(delete(D))
    db.session.execute(delete(Term))
    delta: Counter[str] = Counter()
    readings: dict[str, str] = {}
    written: dict[str, int] = {}
    for source in all_sources():
        written[source.kind] = 0
        for chunk in _chunks(source.documents(), BATCH):
            rows = [_analysed(_fields(source.kind, doc), delta, readings) for doc in chunk]
            db.session.execute(insert(D), rows)
            written[source.kind] += len(rows)
        if report is not None:
            report(source.kind, written[source.kind])
    apply_term_counts(delta, readings)
    db.session.commit()
    for name in (D.__tablename__, Term.__tablename__):  # fresh statistics for the planner
        db.session.execute(text(f"ANALYZE {name}"))
    db.session.commit()
    return written


def batched(statement: Select[Any], key: Any, size: int = BATCH) -> Iterator[Any]:
    """Yield the rows of ``statement`` in batches ordered by ``key`` (an id), never all at once."""
    last = None
    while True:
        page = statement.add_columns(key.label("batch_key")).order_by(key).limit(size)
        if last is not None:
            page = page.where(key > last)
        rows = db.session.execute(page).all()
        yield from rows
        if len(rows) < size:
            return
        last = rows[-1].batch_key
