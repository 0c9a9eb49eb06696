"""Public pages show the item photos, category and aliases a trainer approved, never newer ones.

A version keeps its items' photos (id and stored stem), spoken aliases and category when it is
made, and the review page shows them. A photo uploaded after approval (a WeChat QR code, a
banned claim) was public at once: on the item page, the library's cards, public search and at
its public address. Now it is private (404, on no public page) until a version keeping it is
approved and published; a category change waits the same way. Public item search matches the
aliases as approved, never one added since, and the compliance check reads them. Versions made
before photos were kept get the photos that existed when they were made (migration 0031), not
later ones.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import select

from media.clips.models import ClipVersion
from portal.catalog.models import Category, ItemPhoto
from portal.extensions import db
from portal.library import publishing
from tests.portal.helpers import png_bytes, upload_photos
from tests.portal.review.stage import ACTIONS, HAPPY_PATH, Stage, edit_item, published

MIGRATION = Path(__file__).parents[3] / "migrations/versions/0031_version_item_photos.py"


def photo_ids(current) -> list[int]:
    """The item's photos, primary first."""
    with current.app.app_context():
        statement = select(ItemPhoto.id).where(ItemPhoto.item_id == current.item_id)
        return list(db.session.scalars(statement.order_by(ItemPhoto.position, ItemPhoto.id)))


def upload(current, color: str) -> int:
    """The merchant uploads one photo of the clip's item; return its id."""
    before = set(photo_ids(current))
    response = upload_photos(
        current.merchant, current.item_id, (png_bytes((80, 60), color), "a.png")
    )
    assert response.status_code == 302
    (added,) = set(photo_ids(current)) - before
    return added


def public_pages(current) -> dict[str, str]:
    visitor = current.visitor
    return {
        "item page": visitor.get(f"/library/items/{current.item_id}").text,
        "library grid": visitor.get("/library/").text,
        "clip page": visitor.get(f"/library/clips/{current.clip_id}").text,
        "search": visitor.get("/search", query_string={"q": "冰种翡翠手镯", "kind": "item"}).text,
    }


def served(current, photo_id: int) -> set[int]:
    base = f"/library/items/{current.item_id}/photos/{photo_id}"
    return {current.visitor.get(f"{base}/{size}").status_code for size in ("full", "thumb")}


def shown_on(current, photo_id: int) -> list[str]:
    """The public pages that show the photo."""
    marker = f"/photos/{photo_id}/"
    return [page for page, text in public_pages(current).items() if marker in text]


def approve_another_clip(build) -> tuple[Stage, str]:
    """The next approval: another clip of the item is rendered, submitted, approved and published
    (the clip's own card draws the item's photo and name, so a published clip is not rendered
    again). Return it and its review page as the trainer saw it before approving."""
    another = build()
    for name in HAPPY_PATH[:3]:
        ACTIONS[name](another)
    review = another.trainer.get(f"/review/clips/{another.clip_id}").text
    for name in HAPPY_PATH[3:]:
        ACTIONS[name](another)
    return another, review


def test_a_photo_uploaded_after_publication_is_private_until_the_next_approval(stage):
    current = published(stage)
    qr = upload(current, "red")  # a WeChat QR code, say

    assert served(current, qr) == {404}
    assert shown_on(current, qr) == []
    own = current.merchant.get(f"/catalog/items/{current.item_id}/photos/{qr}/full")
    assert own.status_code == 200  # its merchant still has it

    another, review = approve_another_clip(stage)
    assert f"/photos/{qr}/thumb" in review  # the trainer saw what approving publishes

    assert served(current, qr) == {200}
    assert {"item page", "library grid", "search"} <= set(shown_on(another, qr))


def test_a_photo_replaced_or_made_primary_after_publication_stays_off_the_public_pages(stage):
    current = stage()
    approved = upload(current, "green")
    current = published(lambda: current)
    assert served(current, approved) == {200}
    assert set(shown_on(current, approved)) == {"item page", "library grid", "search"}

    newer = upload(current, "red")
    current.merchant.post(
        f"/catalog/items/{current.item_id}/photos/{newer}/move", data={"action": "primary"}
    )
    assert photo_ids(current)[0] == newer
    assert served(current, newer) == {404}
    assert shown_on(current, newer) == []
    assert set(shown_on(current, approved)) == {"item page", "library grid", "search"}

    current.merchant.post(f"/catalog/items/{current.item_id}/photos/{approved}/delete")
    assert photo_ids(current) == [newer]  # replaced: the approved picture is gone
    assert served(current, approved) == served(current, newer) == {404}
    page = current.visitor.get(f"/library/items/{current.item_id}").text
    assert "/photos/" not in page
    assert "冰种翡翠手镯" in page

    approve_another_clip(stage)
    assert served(current, newer) == {200}
    assert "item page" in shown_on(current, newer)


def item_search(browser, query: str) -> str:
    return browser.get("/search", query_string={"q": query, "kind": "item"}).text


def test_public_search_matches_the_aliases_as_approved_never_newer_ones(stage):
    current = stage()
    edit_item(current, aliases="老坑玻璃种")
    current = published(lambda: current)
    item_page = f"/library/items/{current.item_id}"
    assert item_page in item_search(current.visitor, "玻璃种")

    edit_item(current, aliases="老坑玻璃种\n加微信特价镯")
    assert item_page not in item_search(current.visitor, "特价镯")
    assert "特价镯" not in item_search(current.visitor, "玻璃种")
    assert item_page in item_search(current.visitor, "玻璃种")  # the approved alias still finds it
    assert "特价镯" in item_search(current.merchant, "特价镯")  # the merchant finds their own

    _, review = approve_another_clip(stage)
    assert "老坑玻璃种 / 加微信特价镯" in review  # the trainer saw the aliases approving publishes
    assert item_page in item_search(current.visitor, "特价镯")


def test_the_public_category_is_the_approved_one(stage):
    current = stage()
    with current.app.app_context():  # two of the base's categories (seeded)
        jade, nephrite = db.session.scalars(select(Category).order_by(Category.id).limit(2))
        jade_id, nephrite_id = jade.id, nephrite.id
        jade_name, nephrite_name = jade.name_zh, nephrite.name_zh
    edit_item(current, category_id=str(jade_id))
    current = published(lambda: current)
    edit_item(current, category_id=str(nephrite_id))

    page = current.visitor.get(f"/library/items/{current.item_id}").text
    assert f"<dd>{jade_name}</dd>" in page
    assert nephrite_name not in page
    grid = current.visitor.get("/library/").text
    assert f'value="{jade_id}"' in grid
    assert f'value="{nephrite_id}"' not in grid
    clip = f"/library/clips/{current.clip_id}"
    assert clip in current.visitor.get("/library/", query_string={"category": jade_id}).text
    assert clip not in current.visitor.get("/library/", query_string={"category": nephrite_id}).text


def run_migration_0031(app) -> None:
    """Run migration 0031's upgrade on the test database."""
    spec = importlib.util.spec_from_file_location("migration_0031", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with app.app_context(), db.engine.begin() as connection:
        context = MigrationContext.configure(connection)
        with Operations.context(context):
            module.upgrade()


def test_a_version_made_before_photos_were_kept_shows_the_photos_it_was_made_with(stage):
    current = stage()
    older = upload(current, "green")
    current = published(lambda: current)
    newer = upload(current, "red")
    with current.app.app_context():  # as versions were before 0031: no photos, aliases, category
        for version in db.session.scalars(select(ClipVersion)):
            version.item_facts = [
                {k: v for k, v in facts.items() if k not in ("photos", "aliases", "category_id")}
                for facts in version.item_facts
            ]
        db.session.commit()
    assert served(current, older) == {404}  # without the snapshot no photo is public

    run_migration_0031(current.app)

    assert served(current, older) == {200}
    assert served(current, newer) == {404}
    assert "item page" in shown_on(current, older)
    assert shown_on(current, newer) == []


def test_an_alias_holding_a_banned_term_is_flagged_on_the_version(stage):
    """Public search shows and matches a version's aliases: the compliance check reads them."""
    current = stage()
    edit_item(current, aliases="老坑玻璃种\n加微信特价镯")
    for name in HAPPY_PATH[:3]:
        ACTIONS[name](current)
    review = current.trainer.get(f"/review/clips/{current.clip_id}").text
    assert "(item aliases (public search))" in review
    with current.app.app_context():
        flagged = publishing.flagged_hits(current.clip())
        assert ("alias", "加微信") in {(f.hit.source, f.hit.term) for f in flagged if f.is_open}
