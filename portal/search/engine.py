"""The database side of a search: full-text match and rank on SQLite FTS5 or PostgreSQL.

Both read the same tokens; only the syntax differs. ``cost`` orders ascending (best first):
FTS5's ``bm25`` as is, PostgreSQL's ``ts_rank`` negated. The title weighs more than the body.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, case, column, func, literal_column, table, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.selectable import Join

from portal.extensions import db
from portal.search.models import SearchDocument
from portal.search.query import Plan, to_fts5, to_tsquery
from portal.search.schema import FTS_TABLE, TSV_COLUMN

D = SearchDocument
_fts = table(FTS_TABLE, column("rowid"))
_TITLE_WEIGHT = 4.0


class _IndexFirst(Join):
    """``search_fts CROSS JOIN search_document``: SQLite then always reads the index first.

    Left to itself, the planner may walk ``search_document`` by another index and run the
    full-text query once per row (seconds instead of milliseconds on 180,000 rows).
    """

    inherit_cache = True


@compiles(_IndexFirst, "sqlite")
def _compile_index_first(element: _IndexFirst, compiler: Any, **kw: Any) -> str:
    kw["asfrom"] = True
    left = compiler.process(element.left, **kw)
    right = compiler.process(element.right, **kw)
    return f"{left} CROSS JOIN {right} ON {compiler.process(element.onclause, **kw)}"


def dialect() -> str:
    """Return the name of the database in use (``sqlite`` or ``postgresql``)."""
    return db.session.get_bind().dialect.name


def plan_for_each_query() -> None:
    """On PostgreSQL, plan every search statement for its own words (this transaction).

    psycopg prepares a statement after a few runs, and PostgreSQL may then reuse one generic
    plan for every query: fine for a rare word, ten times slower for a common one.
    """
    if dialect() == "postgresql":
        db.session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))


@dataclass(frozen=True)
class Match:
    """A statement restricted to matching rows, and the two orders a result list may use."""

    statement: Select[Any]
    cost: ColumnElement[Any]  # full-text rank, lower is better
    newest: ColumnElement[Any]  # most recently indexed first (the index can stop early)


def matching(
    statement: Select[Any], plan: Plan, *, kind: str | None, org_id: int | None = None
) -> Match:
    """Restrict ``statement`` (over ``search_document`` rows of one kind) to rows matching ``plan``.

    ``kind`` and ``org_id`` narrow to that kind's and that organisation's rows inside the index
    where the database can (SQLite's ``scope`` column, PostgreSQL's weight-D lexemes); None
    leaves that to the statement's own conditions, which still decide what is visible.
    """
    if dialect() == "postgresql":
        vector = literal_column(f"search_document.{TSV_COLUMN}")
        scope = [f"'{token}':D" for token in _scope_tokens(kind, org_id)]
        expression = " & ".join([f"({to_tsquery(plan)})", *scope])
        tsquery = func.to_tsquery(literal_column("'simple'::regconfig"), expression)
        return Match(
            statement.where(vector.op("@@")(tsquery)), -func.ts_rank(vector, tsquery), D.id.desc()
        )
    scope = [f'scope : "{token}"' for token in _scope_tokens(kind, org_id)]
    expression = " AND ".join([f"{{title_tokens body_tokens}} : ({to_fts5(plan)})", *scope])
    index_first = _IndexFirst(_fts, D.__table__, _fts.c.rowid == D.id)
    statement = statement.select_from(index_first).where(
        text(f"{FTS_TABLE} MATCH :fts_query").bindparams(fts_query=expression)
    )
    cost = literal_column(f"bm25({FTS_TABLE}, {_TITLE_WEIGHT}, 1.0, 0.0)")
    return Match(statement, cost, _fts.c.rowid.desc())


def _scope_tokens(kind: str | None, org_id: int | None) -> list[str]:
    """Return the index's scope tokens a row must carry: its kind's and its organisation's."""
    tokens = [] if kind is None else [f"k{kind}"]
    return tokens if org_id is None else [*tokens, f"o{org_id}"]


def exactness(plan: Plan) -> ColumnElement[int]:
    """1 when the whole query is one of the row's exact names (an item's name, alias, SKU)."""
    key = plan.exact_key
    if not key:
        return literal_column("0")
    return case((D.exact_keys.contains(f"|{key}|", autoescape=True), 1), else_=0)
