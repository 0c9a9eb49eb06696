"""Shared fixtures: a migrated database per test, the app, clients and data builders."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_login import FlaskLoginClient

from media.transcription.model import prepare_packaged_model
from portal import create_app
from portal.auth.models import Role, User
from portal.auth.passwords import hash_password
from portal.catalog.models import Item
from portal.extensions import db, limiter
from portal.organisations.models import Organisation, OrgStatus
from tests.media.clips.helpers import make_workshop_video
from tests.support.databases import migrate_template, open_databases

pytest_plugins = ["tests.support.browser"]

TEST_PASSWORD = "correct-horse-42"


def test_config(instance: Path, database_url: str, **extra: Any) -> dict[str, Any]:
    """Return the configuration of a test app."""
    return {
        "INSTANCE_PATH": str(instance),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        # Mailed and shared links are built on the base URL: the test client's own host.
        "BASE_URL": "http://localhost",
        "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        **extra,
    }


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--database-tests-only``: run only the tests that use a database (CI's second run)."""
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="deselect tests that use no database: they give the same result on any server",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With ``--database-tests-only``, keep the tests whose fixtures include ``databases``."""
    if not config.getoption("--database-tests-only"):
        return
    kept, dropped = [], []
    for item in items:
        uses_database = "databases" in getattr(item, "fixturenames", ())
        (kept if uses_database else dropped).append(item)
    config.hook.pytest_deselected(items=dropped)
    items[:] = kept


@pytest.fixture(scope="session")
def password_hash() -> str:
    """One argon2 hash of TEST_PASSWORD, shared so builders stay fast."""
    return hash_password(TEST_PASSWORD)


@pytest.fixture(scope="session")
def whisper_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The packaged Whisper base model, joined once per session."""
    return prepare_packaged_model(tmp_path_factory.mktemp("models"))


@pytest.fixture(scope="session")
def workshop_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About a minute of speech: a jadeite bangle, then a freshwater pearl necklace."""
    return make_workshop_video(tmp_path_factory.mktemp("workshop-video"))


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The migrated template database (SQLite, or PostgreSQL when configured)."""
    workdir = tmp_path_factory.mktemp("databases")
    found = open_databases(os.environ.get("BELTCAST_DATABASE_URL"), workdir)
    migrate_template(found, lambda url: create_app(test_config(workdir / "instance", url)))
    yield found
    found.close()


@pytest.fixture
def app_config() -> dict[str, Any]:
    """Extra configuration a test module may override."""
    return {}


@pytest.fixture
def app(databases: Any, tmp_path: Path, app_config: dict[str, Any]) -> Iterator[Flask]:
    """A fresh application on a fresh copy of the migrated database."""
    with databases.fresh(tmp_path) as url:
        application = create_app(test_config(tmp_path / "instance", url, **app_config))
        application.test_client_class = FlaskLoginClient
        # Flask-Limiter keeps the first app's key prefix on the shared extension; give each
        # test its own counters (they would meet on Redis otherwise).
        limiter._key_prefix = application.config["RATELIMIT_KEY_PREFIX"]
        yield application
        with application.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """An anonymous browser."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> Any:
    """A CLI runner for ``flask`` commands."""
    return app.test_cli_runner()


def _detached(app: Flask, row: Any) -> Any:
    db.session.add(row)
    db.session.commit()
    db.session.refresh(row)
    db.session.expunge(row)
    return row


@pytest.fixture
def make_org(app: Flask) -> Callable[..., Organisation]:
    """Build an organisation (approved by default)."""

    def build(slug: str | None = None, status: OrgStatus = OrgStatus.APPROVED) -> Organisation:
        slug = slug or f"org-{uuid.uuid4().hex[:6]}"
        with app.app_context():
            return _detached(app, Organisation(slug=slug, name=f"店铺 {slug}", status=status))

    return build


@pytest.fixture
def make_user(app: Flask, password_hash: str) -> Callable[..., User]:
    """Build a user of ``role`` (merchants need an ``org``); password TEST_PASSWORD."""

    def build(role: Role, org: Organisation | None = None, **fields: Any) -> User:
        email = fields.pop("email", f"{role}-{uuid.uuid4().hex[:8]}@example.com")
        with app.app_context():
            user = User(
                email=email,
                name=fields.pop("name", f"{role} user"),
                role=role,
                org_id=org.id if org else None,
                password_hash=password_hash,
                **fields,
            )
            return _detached(app, user)

    return build


@pytest.fixture
def make_item(app: Flask) -> Callable[..., Item]:
    """Build a catalog item of ``org``."""

    def build(org: Organisation, sku: str | None = None, **fields: Any) -> Item:
        with app.app_context():
            item = Item(
                org_id=org.id,
                sku=sku or f"SKU-{uuid.uuid4().hex[:6]}",
                name=fields.pop("name", "冰种翡翠手镯"),
                aliases=fields.pop("aliases", ["冰种手镯"]),
                **fields,
            )
            return _detached(app, item)

    return build


@pytest.fixture
def client_as(app: Flask) -> Callable[[User], FlaskClient]:
    """A browser signed in as ``user``."""

    def build(user: User) -> FlaskClient:
        return app.test_client(user=user)

    return build


@pytest.fixture
def merchant_org(make_org: Callable[..., Organisation]) -> Organisation:
    """An approved merchant organisation."""
    return make_org("cuiyu")


@pytest.fixture
def merchant(make_user: Callable[..., User], merchant_org: Organisation) -> User:
    """A member of ``merchant_org``."""
    return make_user(Role.MERCHANT, merchant_org)


@pytest.fixture
def admin(make_user: Callable[..., User]) -> User:
    """An administrator."""
    return make_user(Role.ADMIN)


@pytest.fixture
def trainer(make_user: Callable[..., User]) -> User:
    """A base trainer."""
    return make_user(Role.TRAINER)


@pytest.fixture
def streamer(make_user: Callable[..., User]) -> User:
    """A streamer."""
    return make_user(Role.STREAMER)
