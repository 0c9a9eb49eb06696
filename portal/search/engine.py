"""The database side of a search: full-text match and rank on SQLite FTS5 or PostgreSQL.

Both read the same tokens; only the syntax differs. ``cost`` orders ascending (best first):
FTS5's ``bm25`` as is, PostgreSQL's ``ts_rank`` negated. The title weighs more than the body.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, case, column, func, literal_column, table, text

from portal.extensions import db
from portal.search.models import SearchDocument
from portal.search.query import Plan, to_fts5, to_tsquery
from portal.search.schema import FTS_TABLE, TSV_COLUMN

D = SearchDocument
_fts = table(FTS_TABLE, column("rowid"))
_TITLE_WEIGHT = 4.0


def dialect() -> str:
    """Return the name of the database in use (``sqlite`` or ``postgresql``)."""
    return db.session.get_bind().dialect.name


def matching(statement: Select[Any], plan: Plan) -> tuple[Select[Any], ColumnElement[Any]]:
    """Restrict ``statement`` (over ``search_document``) to rows matching ``plan``.

    Returns the statement and its cost expression (lower is better).
    """
    if dialect() == "postgresql":
        vector = literal_column(f"search_document.{TSV_COLUMN}")
        tsquery = func.to_tsquery(literal_column("'simple'::regconfig"), to_tsquery(plan))
        cost = -func.ts_rank(vector, tsquery)
        return statement.where(vector.op("@@")(tsquery)), cost
    statement = statement.join(_fts, _fts.c.rowid == D.id).where(
        text(f"{FTS_TABLE} MATCH :fts_query").bindparams(fts_query=to_fts5(plan))
    )
    return statement, literal_column(f"bm25({FTS_TABLE}, {_TITLE_WEIGHT}, 1.0)")


def exactness(plan: Plan) -> ColumnElement[int]:
    """1 when the whole query is one of the row's exact names (an item's name, alias, SKU)."""
    key = plan.exact_key
    if not key:
        return literal_column("0")
    return case((D.exact_keys.contains(f"|{key}|", autoescape=True), 1), else_=0)
