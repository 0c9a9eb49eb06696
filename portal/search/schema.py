"""The full-text objects that live beside ``search_document``, outside the ORM metadata.

Migration 0012 creates them: on SQLite the FTS5 table ``search_fts`` (external content
``search_document``, kept in step by three triggers); on PostgreSQL the stored, generated
``search_tsv`` column (``simple`` configuration over the pre-segmented tokens) and its GIN index.
Migration 0013 adds, on PostgreSQL only, a ``text_pattern_ops`` index on the vocabulary's terms:
prefix searches (``LIKE 'abc%'``) use it whatever the database's collation.
Migration 0014 raises the statistics target of ``search_tsv`` (PostgreSQL), so the planner
recognises rare and missing words and reads them through the GIN index.
Alembic's comparison skips them (``include_in_migrations``), so ``flask db check`` stays clean.
"""

from __future__ import annotations

from typing import Any

FTS_TABLE = "search_fts"
TSV_COLUMN = "search_tsv"
TSV_INDEX = "ix_search_document_tsv"
PREFIX_INDEX = "ix_search_term_prefix"


def include_in_migrations(name: str | None, type_: str, *_args: Any) -> bool:
    """Tell Alembic's autogenerate whether to compare a database object (full-text: no)."""
    if name is None:
        return True
    if type_ == "table":
        return not name.startswith(FTS_TABLE)
    if type_ == "column":
        return name != TSV_COLUMN
    if type_ == "index":
        return name not in (TSV_INDEX, PREFIX_INDEX)
    return True
