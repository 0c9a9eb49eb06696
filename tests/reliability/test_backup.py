"""Data safety: ``flask beltcast backup`` and ``restore`` round-trip the database and the media
(SQLite with the online backup API, or PostgreSQL with pg_dump, whichever the suite runs on).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest
from flask import Flask
from flask_login import FlaskLoginClient
from sqlalchemy import Engine, create_engine, inspect, text

from portal import create_app
from portal.auth.models import User
from portal.catalog.models import Item
from portal.extensions import db
from portal.storage import LocalStorage, upload_key
from tests.conftest import test_config as config_for
from tests.portal.helpers import fetch


def empty_database(databases, folder: Path) -> AbstractContextManager[str]:
    """Yield the URL of a new database with no tables (SQLite file or PostgreSQL database)."""
    return databases.empty(folder)


@contextmanager
def app_on_empty_database(databases, folder: Path) -> Iterator[Flask]:
    """Yield an app on a new empty database, inside its app context; for migrating step by step.

    Its connections are closed before the database is dropped.
    """
    with empty_database(databases, folder) as url:
        app = create_app(config_for(folder / "instance", url))
        with app.app_context():
            try:
                yield app
            finally:
                db.engine.dispose()


def all_rows(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order (search index tables included)."""
    found = {}
    inspector = inspect(engine)
    with engine.connect() as connection:
        for table in sorted(inspector.get_table_names()):
            if table.startswith("search_fts"):  # SQLite FTS shadow tables follow search_document
                continue
            keys = inspector.get_pk_constraint(table)["constrained_columns"] or ["1"]
            order = ", ".join(f'"{k}"' if k != "1" else k for k in keys)
            rows = connection.execute(text(f'SELECT * FROM "{table}" ORDER BY {order}'))
            found[table] = [tuple(row) for row in rows]
    return found


def media_tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def stocked(app, world, tmp_path) -> dict:
    """Organisation A's world with files: a certificate image, a recording, an unfinished upload
    and a running job's scratch."""
    media_root = Path(app.config["MEDIA_ROOT"])
    recording = media_root / "recordings" / str(world["ids"]["org"]) / "a.mp4"
    recording.parent.mkdir(parents=True, exist_ok=True)
    recording.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 40)
    partial = LocalStorage(media_root).path(upload_key(uuid.uuid4().hex))
    partial.parent.mkdir(parents=True, exist_ok=True)
    partial.write_bytes(b"half an upload")
    scratch = media_root / "scratch" / "job-7-a1b2c3" / "audio.wav"
    scratch.parent.mkdir(parents=True)
    scratch.write_bytes(b"RIFF" + bytes(64))
    return {"media_root": media_root, "skipped": [partial, scratch]}


def test_operator_backs_up_and_restores_into_an_empty_portal(
    app, runner, databases, stocked, world, tmp_path
):
    dest = tmp_path / "backup-1"

    result = runner.invoke(args=["beltcast", "backup", str(dest)])

    assert result.exit_code == 0, result.output
    assert "media files" in result.output
    manifest = json.loads((dest / "manifest.json").read_text())
    listed = {entry["path"] for entry in manifest["media"]}
    expected = set(media_tree(stocked["media_root"])) - {
        path.relative_to(stocked["media_root"]).as_posix() for path in stocked["skipped"]
    }
    assert listed == expected
    assert any(path.startswith("certificates/") for path in listed)
    assert manifest["database"]["revision"]

    merchant_id = fetch(app, User, User.org_id == world["ids"]["org"]).id
    with empty_database(databases, tmp_path) as url:
        target = create_app(config_for(tmp_path / "restored", url))
        target.test_client_class = FlaskLoginClient
        restored = target.test_cli_runner().invoke(args=["beltcast", "restore", str(dest)])
        assert restored.exit_code == 0, restored.output
        with app.app_context():
            before = all_rows(db.engine)
        with target.app_context():
            after = all_rows(db.engine)
            user = db.session.get(User, merchant_id)
            db.session.expunge(user)
        assert after == before
        assert media_tree(Path(target.config["MEDIA_ROOT"])) == {
            path: data for path, data in media_tree(stocked["media_root"]).items() if path in listed
        }
        item_id = world["ids"]["item"]
        browser = target.test_client(user=user)
        image = browser.get(f"/catalog/items/{item_id}/certificate")
        assert image.status_code == 200
        assert image.data == world["merchant_a"].get(f"/catalog/items/{item_id}/certificate").data
        with target.app_context():
            db.session.remove()
            db.engine.dispose()


def test_operator_restoring_over_a_changed_portal_needs_force_and_gets_the_old_state(
    app, runner, stocked, world, tmp_path
):
    dest = tmp_path / "backup-2"
    assert runner.invoke(args=["beltcast", "backup", str(dest)]).exit_code == 0
    item_id = world["ids"]["item"]
    edited = world["merchant_a"].post(
        f"/catalog/items/{item_id}/edit", data={"sku": "A-1", "name": "改过了"}
    )
    assert edited.status_code == 302
    (stocked["media_root"] / "stray.bin").write_bytes(b"made after the backup")

    refused = runner.invoke(args=["beltcast", "restore", str(dest)])
    assert refused.exit_code == 1
    assert "the database is not empty; use --force" in refused.output
    assert fetch(app, Item, Item.id == item_id).name == "改过了"

    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    restored = runner.invoke(args=["beltcast", "restore", "--force", str(dest)])

    assert restored.exit_code == 0, restored.output
    assert fetch(app, Item, Item.id == item_id).name == "A 的手镯"
    assert not (stocked["media_root"] / "stray.bin").exists()
    assert world["merchant_a"].get(f"/catalog/items/{item_id}/certificate").status_code == 200


def test_operator_restoring_a_damaged_backup_is_refused_and_nothing_changes(
    app, runner, databases, stocked, tmp_path
):
    dest = tmp_path / "backup-3"
    assert runner.invoke(args=["beltcast", "backup", str(dest)]).exit_code == 0
    manifest = json.loads((dest / "manifest.json").read_text())
    damaged = dest / "media" / manifest["media"][0]["path"]
    damaged.write_bytes(damaged.read_bytes()[:-1] + b"!")

    with empty_database(databases, tmp_path) as url:
        target = create_app(config_for(tmp_path / "restored", url))
        result = target.test_cli_runner().invoke(args=["beltcast", "restore", str(dest)])
        with target.app_context():
            tables = inspect(db.engine).get_table_names()
            db.engine.dispose()

    assert result.exit_code == 1
    assert "the backup is damaged (1 files differ: media/" in result.output
    assert tables == []
    assert list(Path(target.config["MEDIA_ROOT"]).iterdir()) == []


def test_operator_backup_into_a_folder_that_holds_files_is_refused(runner, tmp_path):
    dest = tmp_path / "used"
    dest.mkdir()
    (dest / "something").write_text("keep me")

    result = runner.invoke(args=["beltcast", "backup", str(dest)])

    assert result.exit_code == 1
    assert "is not empty; choose a new folder" in result.output
    assert [p.name for p in dest.iterdir()] == ["something"]


def test_backup_is_consistent_while_the_portal_writes(app, world, tmp_path):
    # The SQLite online backup copies a snapshot; on PostgreSQL pg_dump reads one transaction.
    from threading import Event, Thread

    from portal import backup

    stop, written = Event(), []

    def write() -> None:
        with app.app_context():
            number = 0
            while not stop.is_set():
                number += 1
                db.session.add(Item(org_id=world["ids"]["org"], sku=f"W-{number}", name="写入"))
                db.session.commit()
                written.append(number)
            db.session.remove()

    writer = Thread(target=write)
    writer.start()
    try:
        while len(written) < 20:
            stop.wait(0.01)
        with app.app_context():
            backup.back_up(db.engine, Path(app.config["MEDIA_ROOT"]), tmp_path / "live")
    finally:
        stop.set()
        writer.join()

    manifest = json.loads((tmp_path / "live" / "manifest.json").read_text())
    if manifest["database"]["engine"] != "sqlite":
        return  # the PostgreSQL dump is checked by the round trip above
    copy = create_engine(f"sqlite:///{tmp_path / 'live' / 'beltcast.db'}")
    with copy.connect() as connection:
        assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        skus = connection.execute(text("SELECT sku FROM item WHERE sku LIKE 'W-%'")).scalars()
        numbers = sorted(int(sku[2:]) for sku in skus)
    copy.dispose()
    assert numbers == list(range(1, len(numbers) + 1))  # a prefix of the writes, no gaps
    assert 20 <= len(numbers) <= len(written)
