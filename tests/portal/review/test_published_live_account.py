"""The live account a published clip's page names is the one its approved version kept.

The library's clip page named the recording's live account as it is now: a merchant renaming
the account after publication (加微信 abc123 全网最低价, a script tag, a web address) or saying
another account streamed the recording put that on the public page, unreviewed. A version now
keeps the account's platform and name when it is made; the trainer sees them on the review page
and the clip page names them, never a newer name. The merchant's own pages show the account as
it is now, escaped.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import select

from media.clips.models import ClipVersion
from portal.extensions import db
from portal.team.models import LiveAccount
from tests.portal.review.stage import Stage, published

MIGRATION = Path(__file__).parents[3] / "migrations/versions/0032_version_live_account.py"
HOSTILE = [
    "加微信 abc123 全网最低价",
    "<script>alert(1)</script>",
    "https://evil.example/buy",
]


def douyin(name: str) -> dict[str, object]:
    """The live account form, filled in for a Douyin account named ``name``."""
    return {"platform": "douyin", "name": name, "studio": "", "streamer_id": 0}


def add_account(stage: Stage, name: str) -> int:
    """The merchant adds a Douyin live account on the team page; its id."""
    stage.merchant.post("/team/accounts/", data=douyin(name))
    with stage.app.app_context():
        return db.session.scalar(select(LiveAccount.id).where(LiveAccount.name == name))


def say_account(stage: Stage, account_id: int) -> None:
    """The merchant says which live account streamed the clip's recording."""
    with stage.app.app_context():
        recording_id = stage.clip().recording_id
    stage.merchant.post(
        f"/media/recordings/{recording_id}/account", data={"live_account_id": account_id}
    )


@pytest.fixture
def streamed(stage) -> tuple[Stage, int]:
    """A published clip whose recording was said, before rendering, to stream on 翠玉珠宝官方."""

    def build() -> Stage:
        current = stage()
        say_account(current, add_account(current, "翠玉珠宝官方"))
        return current

    current = published(build)
    with current.app.app_context():
        account_id = db.session.scalar(select(LiveAccount.id))
    return current, account_id


def test_the_clip_page_and_review_page_name_the_approved_account(streamed):
    current, _ = streamed

    page = current.visitor.get(f"/library/clips/{current.clip_id}").text
    review = current.trainer.get(f"/review/clips/{current.clip_id}").text

    assert "<bdi>抖音 · 翠玉珠宝官方</bdi>" in page
    assert "<bdi>Douyin · 翠玉珠宝官方</bdi>" in review


@pytest.mark.parametrize("hostile", HOSTILE, ids=["wechat", "script", "url"])
def test_an_account_renamed_after_publication_stays_off_the_clip_page(streamed, hostile):
    current, account_id = streamed

    current.merchant.post(f"/team/accounts/{account_id}", data=douyin(hostile))
    page = current.visitor.get(f"/library/clips/{current.clip_id}").text
    team = current.merchant.get("/team/accounts/").text

    assert "翠玉珠宝官方" in page
    assert hostile not in page
    for part in ("abc123", "evil.example", "alert("):
        assert part not in page
    assert "<script>alert(1)</script>" not in team  # the merchant's own page, escaped
    assert hostile.replace("<", "&lt;").replace(">", "&gt;") in team


def test_another_account_said_after_publication_stays_off_the_clip_page(streamed):
    current, _ = streamed

    say_account(current, add_account(current, HOSTILE[0]))
    with current.app.app_context():
        recording = current.clip().recording_id
    page = current.visitor.get(f"/library/clips/{current.clip_id}").text
    own = current.merchant.get(f"/media/recordings/{recording}").text

    assert "翠玉珠宝官方" in page
    assert HOSTILE[0] not in page
    assert HOSTILE[0] in own


def run_migration_0032(app) -> None:
    """Take migration 0032 down and up again on the test database (its backfill runs)."""
    spec = importlib.util.spec_from_file_location("migration_0032", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as connection:
            context = MigrationContext.configure(connection)
            with Operations.context(context):
                module.downgrade()
                module.upgrade()


def kept_accounts(current: Stage) -> list[dict[str, str] | None]:
    with current.app.app_context():
        return [v.live_account for v in db.session.scalars(select(ClipVersion))]


def test_older_versions_keep_the_account_only_if_unchanged_since(streamed):
    current, account_id = streamed

    run_migration_0032(current.app)
    kept_unchanged = kept_accounts(current)
    current.merchant.post(f"/team/accounts/{account_id}", data=douyin(HOSTILE[0]))
    run_migration_0032(current.app)
    page = current.visitor.get(f"/library/clips/{current.clip_id}").text

    assert kept_unchanged == [{"platform": "douyin", "name": "翠玉珠宝官方"}]
    assert kept_accounts(current) == [None]  # renamed since: which name it had is unknown
    assert HOSTILE[0] not in page
