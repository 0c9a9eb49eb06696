"""Back up and restore the database and the media root (``flask beltcast backup|restore``).

A backup is a folder: ``manifest.json``, the database (``beltcast.db`` made with SQLite's online
backup API, a consistent snapshot even while the portal writes; or ``beltcast.pgdump`` from
``pg_dump --format=custom``, one consistent transaction) and ``media/``, a copy of the media root
without unfinished uploads. The manifest lists every media file with its size and SHA-256, the
database file's SHA-256 and the schema revision. The database is copied first: a file added
while the media are copied is kept (unreferenced), and a row never names a file made later.

A restore checks every checksum before it writes anything, then replaces the database and
copies the media into an empty media root (``force`` empties a non-empty one first). Stop the
web and worker processes while restoring; run ``flask db upgrade`` afterwards if the code is
newer than the backup.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import make_url

from portal.database import utcnow

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "beltcast.db"
PG_FILE = "beltcast.pgdump"
MEDIA_DIR = "media"
# Unfinished uploads expire anyway, and jobs' scratch folders go when their attempt ends (a
# file copied while it is removed would fail the backup): a backup keeps neither.
SKIPPED_MEDIA = ("uploads", "scratch")
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or restore cannot go on; the message says why (nothing was changed)."""


@dataclass(frozen=True)
class Summary:
    """What a backup or restore handled."""

    engine: str
    revision: str | None
    files: int
    media_bytes: int


def sha256_file(path: Path) -> str:
    """Hash a file in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _media_files(media_root: Path) -> Iterator[Path]:
    for path in sorted(media_root.rglob("*")):
        relative = path.relative_to(media_root)
        if path.is_file() and not path.is_symlink() and relative.parts[0] not in SKIPPED_MEDIA:
            yield path


def _revision(engine: Engine) -> str | None:
    if not inspect(engine).has_table("alembic_version"):
        return None
    with engine.connect() as connection:
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _libpq_url(engine: Engine) -> str:
    """The database URL as pg_dump and pg_restore read it (no SQLAlchemy driver name)."""
    url = make_url(str(engine.url.render_as_string(hide_password=False)))
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _run(args: list[str], what: str) -> None:
    if shutil.which(args[0]) is None:
        raise BackupError(f"{args[0]} is not installed; it is needed to {what}.")
    done = subprocess.run(args, capture_output=True, text=True, check=False, timeout=3600)
    if done.returncode != 0:
        raise BackupError(f"{args[0]} failed: {done.stderr.strip()[-2000:]}")


def _sqlite_copy(source: Path, target: Path) -> None:
    """Copy a SQLite database with the online backup API (a snapshot even while others write)."""
    with closing(sqlite3.connect(source)) as origin, closing(sqlite3.connect(target)) as copy:
        origin.backup(copy)


def _dump_database(engine: Engine, dest: Path) -> tuple[str, Path]:
    """Write a consistent copy of the database into ``dest``; return (engine name, file)."""
    if engine.dialect.name == "sqlite":
        source_file = engine.url.database
        if not source_file or source_file == ":memory:":
            raise BackupError("an in-memory SQLite database cannot be backed up")
        target = dest / SQLITE_FILE
        _sqlite_copy(Path(source_file), target)
        return "sqlite", target
    if engine.dialect.name == "postgresql":
        target = dest / PG_FILE
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--file={target}",
                _libpq_url(engine),
            ],
            "back up PostgreSQL",
        )
        return "postgresql", target
    raise BackupError(f"backing up {engine.dialect.name} databases is not supported")


def back_up(engine: Engine, media_root: Path, dest: Path) -> Summary:
    """Write a backup of the database and ``media_root`` into the new folder ``dest``."""
    if dest.exists() and any(dest.iterdir()):
        raise BackupError(f"{dest} is not empty; choose a new folder")
    dest.mkdir(parents=True, exist_ok=True)
    revision = _revision(engine)
    engine_name, database_file = _dump_database(engine, dest)
    files, total = [], 0
    for source in _media_files(media_root):
        relative = source.relative_to(media_root)
        target = dest / MEDIA_DIR / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
        size = target.stat().st_size
        files.append({"path": relative.as_posix(), "size": size, "sha256": sha256_file(target)})
        total += size
    manifest = {
        "format": FORMAT,
        "created_at": utcnow().isoformat(),
        "database": {
            "engine": engine_name,
            "file": database_file.name,
            "sha256": sha256_file(database_file),
            "revision": revision,
        },
        "media": files,
    }
    (dest / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    return Summary(engine_name, revision, len(files), total)


def read_manifest(source: Path) -> dict[str, Any]:
    """Load and check a backup's manifest and every checksum; raise ``BackupError`` if wrong."""
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"{source} holds no readable {MANIFEST}: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    problems = []
    database = source / manifest["database"]["file"]
    if not database.is_file() or sha256_file(database) != manifest["database"]["sha256"]:
        problems.append(database.name)
    for entry in manifest["media"]:
        path = source / MEDIA_DIR / entry["path"]
        if not path.is_file() or sha256_file(path) != entry["sha256"]:
            problems.append(f"{MEDIA_DIR}/{entry['path']}")
    if problems:
        shown = ", ".join(problems[:10]) + (" …" if len(problems) > 10 else "")
        raise BackupError(f"the backup is damaged ({len(problems)} files differ: {shown})")
    return manifest


def _database_is_empty(engine: Engine) -> bool:
    return not inspect(engine).get_table_names()


def _empty_folder(folder: Path) -> None:
    for child in folder.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()


def _restore_database(engine: Engine, manifest: dict[str, Any], source: Path) -> None:
    database = source / manifest["database"]["file"]
    wanted, actual = manifest["database"]["engine"], engine.dialect.name
    if wanted != actual:
        raise BackupError(f"the backup holds a {wanted} database; this portal uses {actual}")
    engine.dispose()
    if actual == "sqlite":
        _sqlite_copy(database, Path(str(engine.url.database)))  # replaces every page
        return
    with engine.begin() as connection:  # pg_restore --clean cannot drop what it did not make
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            f"--dbname={_libpq_url(engine)}",
            str(database),
        ],
        "restore PostgreSQL",
    )


def restore(
    engine: Engine,
    media_root: Path,
    source: Path,
    *,
    force: bool = False,
    progress: Callable[[str], None] = lambda line: None,
) -> Summary:
    """Restore the backup in ``source`` into the database and ``media_root``.

    Without ``force`` the database must have no tables and the media root no files.
    """
    manifest = read_manifest(source)
    progress(f"checked {len(manifest['media'])} media files and the database")
    media_root.mkdir(parents=True, exist_ok=True)
    if not force:
        if not _database_is_empty(engine):
            raise BackupError("the database is not empty; use --force to replace it")
        if any(media_root.iterdir()):
            raise BackupError(f"{media_root} is not empty; use --force to replace its files")
    _restore_database(engine, manifest, source)
    progress("database restored")
    _empty_folder(media_root)
    total = 0
    for entry in manifest["media"]:
        target = media_root / entry["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.restoring")
        shutil.copy2(source / MEDIA_DIR / entry["path"], temporary)
        os.replace(temporary, target)
        total += entry["size"]
    progress(f"{len(manifest['media'])} media files restored")
    return Summary(
        manifest["database"]["engine"],
        manifest["database"]["revision"],
        len(manifest["media"]),
        total,
    )
