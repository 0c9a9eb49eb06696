"""Migration 0025 (teams): each organisation's oldest merchant member becomes its owner."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_migrate import upgrade
from sqlalchemy import MetaData, text

from portal.extensions import db
from tests.reliability.test_backup import app_on_empty_database
from tests.reliability.test_migrations import _insert


def _people(connection) -> dict[str, int]:
    tables = MetaData()
    tables.reflect(bind=connection)
    org, user = tables.tables["organisation"], tables.tables["user"]
    shop = _insert(connection, org, slug="shop", name="翠玉", status="approved")
    solo = _insert(connection, org, slug="solo", name="独店", status="pending")

    def person(email: str, role: str, org_id: int | None, day: int) -> int:
        return _insert(
            connection, user, email=email, name=email, role=role, org_id=org_id,
            created_at=datetime(2026, 1, day, tzinfo=UTC),
        )  # fmt: skip

    return {
        "later": person("later@example.com", "merchant", shop, 9),
        "first": person("first@example.com", "merchant", shop, 2),
        "solo": person("solo@example.com", "merchant", solo, 5),
        "trainer": person("trainer@example.com", "trainer", None, 1),
        "learner": person("learner@example.com", "streamer", None, 1),
    }


def test_oldest_merchant_of_each_organisation_becomes_owner_others_staff(databases, tmp_path):
    with app_on_empty_database(databases, tmp_path):
        upgrade(revision="0024")
        with db.engine.begin() as connection:
            ids = _people(connection)
        upgrade(revision="0025")
        with db.engine.connect() as connection:
            roles = dict(connection.execute(text('SELECT id, org_role FROM "user"')).all())

    assert {name: roles[user_id] for name, user_id in ids.items()} == {
        "first": "owner", "later": "staff", "solo": "owner", "trainer": None, "learner": None,
    }  # fmt: skip
