"""What a published clip's public pages say of its items is what the trainer approved.

A version keeps its items' card facts (name, price, certificate) when it is made, and the
trainer approves those. The clip page, its share page (list and description), the JSON feed's
tags, the library's grid, its item filter, the public item page (heading, page title, photo's
alt text, price, certificate) and public search results showed the catalog's latest instead: a
merchant renaming the item after publication (加微信…, 全网最低价) or changing its price put that
on them unreviewed; the item's description, never part of a version, is not shown publicly.
The merchant's own catalog keeps showing the item as it is now.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.portal.review.stage import edit_item, published

RENAMED = "加微信翡翠手镯 全网最低价"
DESCRIBED = "加微信 jade888 全网最低价，假一赔十"


def public_texts(current) -> dict[str, str]:
    visitor, clip_id = current.visitor, current.clip_id
    feed = json.loads(visitor.get("/library/feed.json").text)
    return {
        "clip page": visitor.get(f"/library/clips/{clip_id}").text,
        "share page": visitor.get(f"/share/{clip_id}").text,
        "feed tags": " ".join(tag for entry in feed["items"] for tag in entry.get("tags", [])),
        "search": visitor.get("/search?q=翡翠手镯讲解").text,
        "library grid and filter": visitor.get("/library/").text,
        "item page": visitor.get(f"/library/items/{current.item_id}").text,
    }


@pytest.mark.parametrize(
    ("change", "shown", "approved"),
    [
        ({"name": RENAMED}, RENAMED, "冰种翡翠手镯"),
        ({"price": "1.50"}, "1.50", None),
        ({"description": DESCRIBED}, DESCRIBED, None),
    ],
    ids=["name", "price", "description"],
)
def test_a_catalog_edit_after_publication_stays_off_the_public_pages(
    stage, change, shown, approved
):
    current = published(stage)
    before = public_texts(current)
    edit_item(current, **change)
    for page, text in public_texts(current).items():
        assert shown not in text, page
        if approved:
            assert (approved in text) == (approved in before[page]), page
    assert shown in current.merchant.get(f"/catalog/items/{current.item_id}").text


def text_of(html: str) -> str:
    """A page's text as read (search highlights split a name into marked parts)."""
    return re.sub(r"<[^>]+>", "", html)


def test_public_item_search_names_the_item_as_published(stage):
    """An item search hit: the public finds the item as published; its merchant as it is now."""
    current = published(stage)
    item_page = f"/library/items/{current.item_id}"
    found = current.visitor.get("/search", query_string={"q": "冰种翡翠手镯", "kind": "item"}).text
    assert item_page in found  # found once published
    edit_item(current, name=RENAMED, price="1.50")
    for query in ("冰种翡翠手镯", "翡翠手镯", "加微信翡翠手镯", "JADE-1"):
        html = current.visitor.get("/search", query_string={"q": query, "kind": "item"}).text
        assert RENAMED not in text_of(html), query
        assert "全网最低价" not in html, query
    found = current.visitor.get("/search", query_string={"q": "冰种翡翠手镯", "kind": "item"}).text
    assert item_page in found
    assert "冰种翡翠手镯" in text_of(found)
    own = current.merchant.get("/search", query_string={"q": "翡翠手镯", "kind": "item"}).text
    assert RENAMED in text_of(own)
