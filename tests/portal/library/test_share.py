"""The share page: a real description for chats, link and embed code to copy, a QR code.

HTTP checks of what the page says, then a phone in Chromium copying the link and the embed code
(share.js, no inline script) and seeing a poster wider than 240 px.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import update

from media.clips.models import Clip
from portal.extensions import db
from tests.support.browser import PHONE, open_page

SHOTS = Path("/tmp/shots")


def _meta(html: str, name: str) -> str:
    found = re.search(rf'<meta (?:property|name)="{name}" content="([^"]*)"', html)
    return found.group(1) if found else ""


def _no_description(app, clip_id: int) -> None:
    with app.app_context():
        db.session.execute(update(Clip).where(Clip.id == clip_id).values(description=""))
        db.session.commit()


def test_shared_clip_without_a_description_is_described_by_shop_items_and_length(
    app, client, merchant_org, make_item, make_library_clip
) -> None:
    item = make_item(merchant_org, name="糯冰手镯", cert_lab="NGTC", cert_number="N-1")
    clip_id = make_library_clip(merchant_org, item=item, title="糯冰讲解")
    _no_description(app, clip_id)
    html = client.get(f"/share/{clip_id}").text
    description = _meta(html, "og:description")
    assert description != "糯冰讲解"
    assert merchant_org.name in description
    assert "糯冰手镯" in description
    assert "0:30" in description
    assert _meta(html, "description") == description
    english = client.get(f"/share/{clip_id}?lang=en").text
    assert _meta(english, "og:description") == f"A 0:30 clip by {merchant_org.name} about 糯冰手镯."


def test_share_page_offers_copy_buttons_and_a_qr_code_of_its_address(
    client, merchant_org, make_library_clip
) -> None:
    clip_id = make_library_clip(merchant_org)
    html = client.get(f"/share/{clip_id}").text
    assert _meta(html, "og:description") == "讲解种水"  # the merchant's own words first
    assert 'data-copy="share-link"' in html
    assert 'data-copy="embed-code"' in html
    assert '<script src="/library/static/share.js" defer></script>' in html
    assert "<svg" in html
    assert "本页二维码" in html
    assert "<script>" not in html  # strict CSP: nothing inline
    assert " style=" not in html


def test_embed_player_names_its_icon_so_browsers_do_not_ask_for_a_missing_one(
    client, merchant_org, make_library_clip
) -> None:
    clip_id = make_library_clip(merchant_org)
    html = client.get(f"/embed/{clip_id}").text
    icon = re.search(r'<link rel="icon" href="([^"]+)"', html).group(1)
    assert client.get(icon).status_code == 200


@pytest.mark.browser
def test_phone_visitor_copies_the_link_and_the_embed_code(
    app, browser, live_server, merchant_org, make_library_clip, write_media
) -> None:
    clip_id = make_library_clip(merchant_org)
    write_media(clip_id)
    page = open_page(browser, PHONE)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page.goto(f"{live_server}/share/{clip_id}")
    assert page.locator(".share-poster img").bounding_box()["width"] > 240
    assert page.locator(".share-qr svg").is_visible()
    page.click("button[data-copy='share-link']")
    page.locator(".copy-status", has_text="链接已复制").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == f"{live_server}/share/{clip_id}"
    assert page.inner_text(".copy-status") == "链接已复制。"
    page.click("button[data-copy='embed-code']")
    page.locator(".copy-status", has_text="嵌入代码已复制").wait_for()
    assert page.evaluate("navigator.clipboard.readText()").startswith(
        f'<iframe src="{live_server}/embed/{clip_id}"'
    )
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "share-phone.png"), full_page=True)
    assert not page.console_errors
    page.context.close()
