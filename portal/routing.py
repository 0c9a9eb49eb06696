"""Ids read from URLs and query strings: only numbers an id column can hold reach the database.

Every id column is an ``INTEGER``: PostgreSQL refuses a value of 2**31 or more ("integer out of
range") and SQLite one of 2**63 or more, so such a number in a path (``<int:clip_id>``) or a
query (``?item=``, ``?page=``) would fail the request with 500. Here an id that big names
nothing (the route answers 404), and a query number out of range counts as absent.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from werkzeug.routing import IntegerConverter, ValidationError

MAX_DATABASE_ID = 2**31 - 1  # the largest INTEGER on PostgreSQL (SQLite holds up to 2**63 - 1)
MAX_ID_DIGITS = 20  # a longer query number is junk, whatever its leading zeros
MAX_PAGE = 1_000_000  # beyond any listing; its offset stays far below MAX_DATABASE_ID


class DatabaseIdConverter(IntegerConverter):
    """The ``int`` URL converter, matching only numbers an id column can hold."""

    def to_python(self, value: str) -> Any:
        """Convert as ``int`` does; a number above ``MAX_DATABASE_ID`` does not match (404)."""
        number = super().to_python(value)
        if abs(number) > MAX_DATABASE_ID:
            raise ValidationError
        return number


def install_database_id_converter(app: Flask) -> None:
    """Make every ``<int:...>`` route (all name row ids) answer 404 to an id no row can have.

    Call it before any blueprint is registered: a rule takes its converter when it is added.
    """
    app.url_map.converters["int"] = DatabaseIdConverter


def database_id(value: str | None) -> int | None:
    """Read ``value`` as a whole number from 0 to ``MAX_DATABASE_ID``; None if it is not one."""
    # Length first: int() of thousands of digits is slow, and refused past 4300.
    if value is None or len(value) > MAX_ID_DIGITS or not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if number <= MAX_DATABASE_ID else None


def query_id(name: str) -> int | None:
    """The id in the query argument ``name``; None when absent, junk or out of range."""
    return database_id(request.args.get(name))


def query_page() -> int:
    """The ``page`` query argument; page 1 when absent, junk, below 1 or above ``MAX_PAGE``."""
    page = query_id("page")
    return page if page is not None and 1 <= page <= MAX_PAGE else 1
