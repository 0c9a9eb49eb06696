"""Fresh databases for tests: migrate once into a template, copy it for every test.

SQLite copies the template file; PostgreSQL creates each test database from a template
database (``CREATE DATABASE … TEMPLATE …``), so every test starts from the real migrated
schema, isolated, on either engine. ``copy`` clones another database the same way, ``empty``
gives one with no tables, ``unavailable`` makes one fail for a while (a real outage, no mock).
"""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

AppFactory = Callable[[str], object]


class SqliteDatabases:
    """Migrated SQLite template file, copied per test."""

    def __init__(self, workdir: Path) -> None:
        self.template = workdir / "template.db"

    def template_url(self) -> str:
        """Return the URL the template is migrated at."""
        return f"sqlite:///{self.template}"

    def fresh(self, folder: Path) -> AbstractContextManager[str]:
        """Yield the URL of a new copy of the template."""
        return self.copy(self.template_url(), folder)

    @contextmanager
    def copy(self, source_url: str, folder: Path) -> Iterator[str]:
        """Yield the URL of a new copy (in ``folder``) of the database at ``source_url``."""
        target = folder / "beltcast.db"
        shutil.copyfile(str(make_url(source_url).database), target)
        yield f"sqlite:///{target}"

    @contextmanager
    def empty(self, folder: Path) -> Iterator[str]:
        """Yield the URL of a new database (in ``folder``) with no tables."""
        yield f"sqlite:///{folder / 'empty.db'}"

    @contextmanager
    def unavailable(self, url: str) -> Iterator[None]:
        """Hold the database's write lock from another connection until the block ends.

        Reads go on (WAL); a write fails with "database is locked" once its busy timeout runs
        out, as when another process keeps the database locked.
        """
        holder = sqlite3.connect(str(make_url(url).database), isolation_level=None)
        try:
            holder.execute("BEGIN EXCLUSIVE")
            yield
        finally:
            holder.close()  # rolls the empty transaction back and releases the lock

    def close(self) -> None:
        """Nothing to drop: files go with the temporary folder."""


class PostgresDatabases:
    """A migrated template database on the server, cloned per test."""

    def __init__(self, server_url: str) -> None:
        self.server_url = make_url(server_url)
        self.prefix = f"bc_{uuid.uuid4().hex[:8]}"
        self.template_name = f"{self.prefix}_tpl"
        self.admin = create_engine(self.server_url, isolation_level="AUTOCOMMIT")
        self._execute(f'CREATE DATABASE "{self.template_name}"')

    def _execute(self, sql: str) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(sql))

    def _url(self, name: str) -> str:
        return self.server_url.set(database=name).render_as_string(hide_password=False)

    def template_url(self) -> str:
        """Return the URL the template is migrated at."""
        return self._url(self.template_name)

    def fresh(self, folder: Path) -> AbstractContextManager[str]:
        """Yield the URL of a new database cloned from the template; drop it afterwards."""
        return self._created(f' TEMPLATE "{self.template_name}"')

    def copy(self, source_url: str, folder: Path) -> AbstractContextManager[str]:
        """Yield the URL of a new clone of the database at ``source_url``; drop it afterwards."""
        return self._created(f' TEMPLATE "{make_url(source_url).database}"')

    def empty(self, folder: Path) -> AbstractContextManager[str]:
        """Yield the URL of a new database with no tables; drop it afterwards."""
        return self._created("")

    @contextmanager
    def unavailable(self, url: str) -> Iterator[None]:
        """Make the database refuse connections, and end its sessions, until the block ends.

        As during a server restart or failover: open connections break, new ones are refused.
        """
        name = make_url(url).database
        self._execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        try:
            self._execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                f" WHERE datname = '{name}' AND pid <> pg_backend_pid()"
            )
            yield
        finally:
            self._execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')

    @contextmanager
    def _created(self, template_clause: str) -> Iterator[str]:
        name = f"{self.prefix}_{uuid.uuid4().hex[:8]}"
        self._execute(f'CREATE DATABASE "{name}"{template_clause}')
        try:
            yield self._url(name)
        finally:
            self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        """Drop the template database."""
        self._execute(f'DROP DATABASE IF EXISTS "{self.template_name}" WITH (FORCE)')
        self.admin.dispose()


def open_databases(server_url: str | None, workdir: Path) -> SqliteDatabases | PostgresDatabases:
    """Choose PostgreSQL when a server URL is given, else SQLite files."""
    if server_url and server_url.startswith("postgresql"):
        return PostgresDatabases(server_url)
    return SqliteDatabases(workdir)


def migrate_template(databases: SqliteDatabases | PostgresDatabases, make_app: AppFactory) -> None:
    """Build the template's schema with the real migrations."""
    app = make_app(databases.template_url())
    with app.app_context():  # type: ignore[attr-defined]
        upgrade()
        from portal.extensions import db

        db.engine.dispose()
