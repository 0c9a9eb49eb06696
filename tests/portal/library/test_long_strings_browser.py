"""User text without spaces never widens a phone page, and a direction override stays inside it.

A merchant names a clip, its shop and an item with 120 letters and no space (a pasted link, a
SKU run together): the library, the clip, the item and the share page stay 390 px wide on a
phone. A name stored with a right-to-left override (from before the input cleaning) is shown
isolated, so the text after it keeps its order.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from portal.auth.models import Role
from portal.extensions import db
from portal.organisations.models import Organisation
from tests.conftest import TEST_PASSWORD
from tests.support.browser import PHONE, open_page
from tests.support.pages import scroll_width, sign_in

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots")
LONG = "Jadeite" * 18  # 126 letters, no space


def _long_names(app, org) -> None:
    with app.app_context():
        db.session.get(Organisation, org.id).name = f"店铺{LONG}"
        db.session.commit()


def test_phone_pages_with_long_unbroken_titles_stay_phone_wide(
    app, browser, live_server, merchant_org, make_item, make_library_clip, write_media
) -> None:
    _long_names(app, merchant_org)
    item = make_item(merchant_org, name=f"手镯{LONG}", cert_lab="NGTC", cert_number="N-1")
    clip_id = make_library_clip(merchant_org, item=item, title=f"讲解{LONG}")
    write_media(clip_id)
    page = open_page(browser, PHONE)
    SHOTS.mkdir(exist_ok=True)
    for name, path in (
        ("library", "/library/"),
        ("clip", f"/library/clips/{clip_id}"),
        ("item", f"/library/items/{item.id}"),
        ("share", f"/share/{clip_id}"),
    ):
        page.goto(f"{live_server}{path}")
        page.screenshot(path=str(SHOTS / f"long-{name}-phone.png"), full_page=True)
        assert scroll_width(page) <= PHONE["width"], f"{path} scrolls sideways"
    page.context.close()


def test_name_with_a_direction_override_leaves_the_header_in_order(
    app, browser, live_server, make_user
) -> None:
    user = make_user(Role.STREAMER, name="Mallory\u202egnp.exe")
    page = open_page(browser, PHONE)
    sign_in(page, live_server, user.email, TEST_PASSWORD)
    page.click(".menu-toggle")
    account = page.locator(".account-nav")
    name_box = account.locator("a").first.bounding_box()
    sign_out_box = account.locator("button").bounding_box()
    assert name_box["x"] + name_box["width"] <= sign_out_box["x"]  # 退出登录 still after the name
    greeting = page.locator("main h1").inner_text()  # the whole line isolated, once
    assert greeting.startswith("\u2068您好")
    assert greeting.count("\u2068") == greeting.count("\u2069") == 1
    page.context.close()
