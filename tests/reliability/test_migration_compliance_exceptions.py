"""Migration 0030: compliance terms get exceptions; the seeded notes of 最 and 第一 say so."""

from __future__ import annotations

import json

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from portal.extensions import db
from tests.reliability.test_backup import app_on_empty_database

NOTE = "SELECT note FROM compliance_term WHERE term = :term"


def _notes(connection) -> dict[str, str]:
    return {
        term: connection.execute(text(NOTE), {"term": term}).scalar() for term in ["最", "第一"]
    }


def _listed(words: str | list[str]) -> list[str]:
    """A JSON column read with plain SQL: text on SQLite, a list on PostgreSQL."""
    return json.loads(words) if isinstance(words, str) else words


def test_exceptions_are_seeded_and_taken_away_again(databases, tmp_path):
    with app_on_empty_database(databases, tmp_path):
        upgrade(revision="0029")
        with db.engine.begin() as connection:
            seeded = _notes(connection)
            connection.execute(  # an administrator's own note is kept
                text("UPDATE compliance_term SET note = '自己写的' WHERE term = '第一'")
            )
        upgrade(revision="0030")
        with db.engine.connect() as connection:
            rows = connection.execute(text("SELECT term, exceptions FROM compliance_term"))
            exceptions = {term: _listed(words) for term, words in rows if _listed(words)}
            upgraded = _notes(connection)
        downgrade(revision="0029")
        with db.engine.connect() as connection:
            columns = {c["name"] for c in inspect(connection).get_columns("compliance_term")}
            downgraded = _notes(connection)

    assert exceptions == {
        "最": ["最后", "最近", "最初", "最终"], "第一": ["第一次"], "加我": ["参加我"],
    }  # fmt: skip
    assert "标记通过" in seeded["最"]
    assert upgraded["最"].endswith("“最后”“最近”等例外词里的“最”不会提示。")
    assert upgraded["第一"] == "自己写的"
    assert "exceptions" not in columns
    assert downgraded == {"最": seeded["最"], "第一": "自己写的"}
