"""The public item page and the library's item filter name an item as published, not as now.

An item's public name, price and certificate are what the newest published clip's approved
version kept of it (the version a trainer approved); the catalog's latest text, which no trainer
has seen, never shows: a rename after publication (加微信翡翠手镯 全网最低价) stays in the
merchant's catalog. An item without a published clip has no public page.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from media.clips.models import Clip, ClipState
from portal.catalog.models import Item
from portal.extensions import db

RENAMED = "加微信翡翠手镯 全网最低价"


def set_item(app, item_id, **values):
    with app.app_context():
        item = db.session.get(Item, item_id)
        for key, value in values.items():
            setattr(item, key, value)
        db.session.commit()


def age(app, clip_id, days):
    with app.app_context():
        clip = db.session.get(Clip, clip_id)
        clip.updated_at = clip.updated_at - timedelta(days=days)
        db.session.commit()


def public_texts(client, item_id):
    return {
        "item page": client.get(f"/library/items/{item_id}").text,
        "library": client.get("/library/").text,
        "filtered library": client.get(f"/library/?item={item_id}").text,
    }


@pytest.mark.parametrize("newest_first", [True, False], ids=["newer-clip-last", "older-clip-last"])
def test_item_is_named_as_its_newest_published_clip_kept_it(
    app, client, merchant_org, make_item, make_library_clip, newest_first
):
    item = make_item(merchant_org, name="冰种翡翠手镯", price_cents=128_000)
    first = make_library_clip(merchant_org, item=item, title="第一条")
    set_item(app, item.id, name="冰种翡翠手镯 正圈", price_cents=99_000)
    second = make_library_clip(merchant_org, item=item, title="第二条")
    set_item(app, item.id, name=RENAMED, price_cents=150)
    # The newest published clip decides, whichever was made last.
    age(app, second if not newest_first else first, days=1)
    newest_name, newest_price = (
        ("冰种翡翠手镯 正圈", "¥990.00") if newest_first else ("冰种翡翠手镯", "¥1,280.00")
    )

    texts = public_texts(client, item.id)
    for page, text in texts.items():
        assert RENAMED not in text, page
        assert "加微信" not in text, page
        assert newest_name in text, page
    page = texts["item page"]
    assert f"<title>{newest_name} ·" in page
    assert f"<h1>{newest_name}</h1>" in page
    assert newest_price in page
    assert "¥1.50" not in page


def test_item_without_a_published_clip_has_no_public_page(
    app, client, merchant_org, make_item, make_library_clip
):
    item = make_item(merchant_org, name="冰种翡翠手镯")
    make_library_clip(merchant_org, item=item, state=ClipState.IN_REVIEW)
    set_item(app, item.id, name=RENAMED)
    assert client.get(f"/library/items/{item.id}").status_code == 404
    assert RENAMED not in client.get("/library/").text
