"""Migrations apply from an empty database, and from the previous release with data in it.

The previous release is schema revision 0010 (before courses and search). Rows are written with
that revision's tables (reflected, so the test does not depend on today's models), then the
database is upgraded to head and the portal works on the old rows.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask_migrate import upgrade
from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    Integer,
    MetaData,
    Numeric,
    Table,
    inspect,
    text,
)

from media.clips.models import ClipVersion
from portal import PROJECT_ROOT, create_app
from portal.extensions import db
from tests.conftest import TEST_PASSWORD
from tests.conftest import test_config as config_for
from tests.portal.helpers import login
from tests.reliability.test_backup import empty_database

PREVIOUS_RELEASE = "0010"


def _revision(connection: Any) -> str:
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _filler(column: Any) -> Any:
    if isinstance(column.type, DateTime):
        return datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
    if isinstance(column.type, Boolean):
        return False
    if isinstance(column.type, Integer | Float | Numeric):
        return 0
    if isinstance(column.type, JSON):
        return []
    return ""


def _insert(connection: Any, table: Table, **values: Any) -> int:
    """Insert a row, filling every other required column with a plain value of its type."""
    for column in table.columns:
        required = not column.nullable and column.server_default is None
        if column.name not in values and required and not column.primary_key:
            values[column.name] = _filler(column)
    return connection.execute(table.insert().values(**values)).inserted_primary_key[0]


def _old_release_data(connection: Any, password_hash: str) -> dict[str, int]:
    tables = MetaData()
    tables.reflect(bind=connection)
    t = tables.tables
    org = _insert(connection, t["organisation"], slug="old-shop", name="老店", status="approved")
    user = _insert(
        connection, t["user"], email="old@example.com", name="老板", role="merchant",
        org_id=org, password_hash=password_hash,
    )  # fmt: skip
    item = _insert(
        connection, t["item"], org_id=org, sku="OLD-1", name="老坑翡翠手镯", aliases=["老坑手镯"]
    )
    recording = _insert(
        connection, t["recording"], org_id=org, title="去年的直播", stored_name="old.mp4",
        language="zh", duration_s=60.0,
    )  # fmt: skip
    clip = _insert(
        connection, t["clip"], org_id=org, recording_id=recording, title="老坑手镯讲解",
        start_ms=0, end_ms=20_000, state="draft", key_facts=["种老水足"],
    )  # fmt: skip
    _insert(connection, t["clip_item"], clip_id=clip, item_id=item)
    _insert(
        connection, t["clip_cue"], clip_id=clip, sentence_position=0, start_ms=0,
        end_ms=5000, text="这是老坑翡翠",
    )  # fmt: skip
    version = _insert(
        connection, t["clip_version"], org_id=org, clip_id=clip, number=1,
        created_at=datetime(2026, 11, 1, tzinfo=UTC), profile="vertical", fill="blur",
        burn_subtitles=True, start_ms=0, end_ms=20_000, poster_at_s=0.0, cues=[],
        stored_stem="old-v1", is_ready=True, duration_s=20.0, width=1080, height=1920,
    )  # fmt: skip
    return {"org": org, "user": user, "item": item, "clip": clip, "version": version}


def test_migrations_build_the_whole_schema_from_an_empty_database(databases, tmp_path):
    with empty_database(databases, tmp_path) as url:
        app = create_app(config_for(tmp_path / "instance", url))
        cli = app.test_cli_runner()

        upgraded = cli.invoke(args=["db", "upgrade"])
        checked = cli.invoke(args=["db", "check"])

        assert upgraded.exit_code == 0, upgraded.output
        assert checked.exit_code == 0, checked.output
        with app.app_context():
            tables = set(inspect(db.engine).get_table_names())
            with db.engine.connect() as connection:
                head = _revision(connection)
            db.engine.dispose()
    assert {"organisation", "user", "item", "recording", "clip", "course", "job"} <= tables
    assert head == max(p.name[:4] for p in (PROJECT_ROOT / "migrations" / "versions").glob("0*.py"))


def test_previous_release_with_data_upgrades_to_head_and_keeps_working(
    databases, tmp_path, password_hash
):
    with empty_database(databases, tmp_path) as url:
        app = create_app(
            config_for(
                tmp_path / "instance", url, BABEL_DEFAULT_LOCALE="en", RATELIMIT_ENABLED=False
            )
        )
        with app.app_context():
            upgrade(revision=PREVIOUS_RELEASE)
            with db.engine.begin() as connection:
                assert _revision(connection) == PREVIOUS_RELEASE
                ids = _old_release_data(connection, password_hash)
            upgrade()
            with db.engine.connect() as connection:
                head = _revision(connection)
                name = connection.execute(
                    text("SELECT name FROM item WHERE id = :id"), {"id": ids["item"]}
                ).scalar()
            # A version made before 0020 keeps its item's card facts as they were then.
            facts = db.session.get(ClipVersion, ids["version"]).item_facts
            db.session.remove()
            db.engine.dispose()
        cli = app.test_cli_runner()
        assert cli.invoke(args=["db", "check"]).exit_code == 0
        reindexed = cli.invoke(args=["search", "reindex"])
        assert reindexed.exit_code == 0, reindexed.output

        browser = app.test_client()
        assert login(browser, "old@example.com", TEST_PASSWORD).status_code == 302
        catalog = browser.get("/catalog/")
        editor = browser.get(f"/media/clips/{ids['clip']}")
        found = browser.get("/search", query_string={"q": "老坑"})
        with app.app_context():
            db.session.remove()
            db.engine.dispose()

    assert head > PREVIOUS_RELEASE
    assert name == "老坑翡翠手镯"
    assert [(f["name"], f["sku"], f["category"]) for f in facts] == [("老坑翡翠手镯", "OLD-1", "")]
    assert catalog.status_code == 200
    assert "老坑翡翠手镯" in catalog.text
    assert editor.status_code == 200
    assert "这是老坑翡翠" in editor.text
    assert found.status_code == 200
    assert "老坑翡翠手镯" in found.text  # the old item, indexed by the reindex
