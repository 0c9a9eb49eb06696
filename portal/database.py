"""Shared model pieces: UTC timestamps, the ``OrgOwned`` mixin and database setup."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Flask
from sqlalchemy import DateTime, ForeignKey, Select, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, Session, declared_attr, mapped_column
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    """Return the current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored as UTC and always read back timezone-aware (SQLite drops zones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        """Store aware values converted to UTC."""
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given; use utcnow()")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        """Mark values read back as UTC."""
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class TimestampMixin:
    """``created_at`` and ``updated_at`` in UTC."""

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class OrgOwned:
    """A row owned by one merchant organisation; load it only through ``scoping``."""

    @declared_attr
    def org_id(cls) -> Mapped[int]:  # noqa: N805 - declared_attr receives the class
        """The owning organisation."""
        return mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    """Set WAL, foreign keys and a busy timeout on a new SQLite connection."""
    if not type(dbapi_connection).__module__.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def lock_rows(session: Session, statement: Select[Any]) -> None:
    """Hold the rows ``statement`` selects until the session commits or rolls back.

    So a check followed by a write (a quota, a counter) cannot race another request doing the
    same. PostgreSQL: ``SELECT … FOR UPDATE``. SQLite has no row locks: the transaction takes
    the database's write lock at once (``BEGIN IMMEDIATE``), so the reads that follow see every
    committed write and other writers wait (busy timeout). The driver only begins a transaction
    before its first write, which already holds that lock.
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        session.execute(statement.with_for_update())
        return
    if not connection.connection.dbapi_connection.in_transaction:  # type: ignore[union-attr]
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def configure_sqlite(app: Flask) -> None:
    """Turn on WAL and foreign keys for every SQLite connection."""
    uses_sqlite = app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
    if uses_sqlite and not event.contains(Engine, "connect", _sqlite_pragmas):
        event.listen(Engine, "connect", _sqlite_pragmas)
