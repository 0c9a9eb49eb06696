"""Item photos in public: shown (and served) only for items that published clips show."""

from __future__ import annotations

import re

from media.clips.models import ClipState
from portal.auth.models import Role
from portal.catalog.models import ItemPhoto
from tests.portal.helpers import fetch, png_bytes, upload_photos


def _with_photo(app, client_as, org, make_item, make_user):
    item = make_item(org, name="冰种翡翠手镯")
    merchant = client_as(make_user(Role.MERCHANT, org))
    assert upload_photos(merchant, item.id, (png_bytes((800, 600)), "a.png")).status_code == 302
    return item, fetch(app, ItemPhoto, ItemPhoto.item_id == item.id)


def test_visitor_sees_primary_photo_of_a_published_item_on_item_page_and_cards(
    app, client, client_as, merchant_org, make_item, make_user, make_library_clip
):
    item, photo = _with_photo(app, client_as, merchant_org, make_item, make_user)
    make_library_clip(merchant_org, item=item)
    base = f"/library/items/{item.id}/photos/{photo.id}"

    page = client.get(f"/library/items/{item.id}").text
    grid = client.get("/library/").text
    served = client.get(f"{base}/thumb")

    assert re.search(
        rf'<img src="{base}/full" alt="冰种翡翠手镯"[^>]*loading="lazy"[^>]*'
        r'width="800" height="600"',
        page,
    )
    assert f'<img src="{base}/thumb" alt="冰种翡翠手镯"' in grid
    assert (served.status_code, served.mimetype) == (200, "image/jpeg")
    assert served.cache_control.public


def test_photos_of_items_without_published_clips_are_404_in_public(
    app, client, client_as, merchant_org, make_item, make_user, make_library_clip
):
    item, photo = _with_photo(app, client_as, merchant_org, make_item, make_user)
    make_library_clip(merchant_org, state=ClipState.DRAFT, item=item)
    public, _ = _with_photo(app, client_as, merchant_org, make_item, make_user)
    make_library_clip(merchant_org, item=public)

    assert client.get(f"/library/items/{item.id}/photos/{photo.id}/full").status_code == 404
    # a private photo asked for under a public item's address
    assert client.get(f"/library/items/{public.id}/photos/{photo.id}/full").status_code == 404
