"""Search results show an item's primary photo, served from where its viewer may see it."""

from __future__ import annotations

import re

from media.clips.models import ClipState
from portal.auth.models import Role
from portal.catalog.models import ItemPhoto
from tests.portal.helpers import fetch, png_bytes, upload_photos


def test_item_hits_show_the_primary_photo_to_the_merchant_and_in_public(
    app, client, client_as, merchant_org, make_item, make_user, index_items, make_clip
):
    item = make_item(merchant_org, name="冰种翡翠手镯")
    merchant = client_as(make_user(Role.MERCHANT, merchant_org))
    upload_photos(merchant, item.id, (png_bytes((600, 300)), "a.png"))
    photo = fetch(app, ItemPhoto, ItemPhoto.item_id == item.id)
    index_items(merchant_org)

    own = merchant.get("/search?q=冰种翡翠手镯").text
    hidden = client.get("/search?q=冰种翡翠手镯").text
    make_clip(merchant_org, item.id, state=ClipState.PUBLISHED)
    public = client.get("/search?q=冰种翡翠手镯").text

    thumb = r'<img src="{}" alt="冰种翡翠手镯" class="item-thumb-small" loading="lazy"'
    own_src = f"/catalog/items/{item.id}/photos/{photo.id}/thumb"
    public_src = f"/library/items/{item.id}/photos/{photo.id}/thumb"
    assert re.search(thumb.format(re.escape(own_src)) + r'[^>]*width="400" height="200"', own)
    assert f"/photos/{photo.id}/" not in hidden
    assert re.search(thumb.format(re.escape(public_src)), public)
