"""A merchant on a phone adds photos to an item: a bad file is named in place and nothing is
kept, then two photos upload, the second is made primary; screenshots at 390 and 1366 px."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from portal.auth.models import Role
from tests.conftest import TEST_PASSWORD
from tests.portal.helpers import png_bytes
from tests.support.axe import assert_accessible
from tests.support.pages import DESKTOP, save_small_png, screenshot_folder, scroll_width, sign_in

pytestmark = pytest.mark.browser


def _files(tmp_path: Path, **named: bytes) -> list[str]:
    paths = []
    for name, data in named.items():
        path = tmp_path / name.replace("_", ".")
        path.write_bytes(data)
        paths.append(str(path))
    return paths


def _shoot(page, name: str) -> None:
    folder = screenshot_folder()
    if folder is not None:
        save_small_png(page.screenshot(full_page=True), folder / f"{name}.png")


def test_merchant_uploads_orders_and_sees_item_photos_on_a_phone(
    live_server, page, make_user, make_item, merchant_org, tmp_path
):
    item = make_item(merchant_org, "JD-001", name="冰种翡翠手镯", price_cents=128_000)
    sign_in(page, live_server, make_user(Role.MERCHANT, merchant_org).email, TEST_PASSWORD)
    page.goto(f"{live_server}/catalog/items/{item.id}")
    expect(page.locator("#item-photos")).to_contain_text("还没有图片")

    page.set_input_files("#photos", _files(tmp_path, good_png=png_bytes(), notes_jpg=b"text"))
    page.get_by_role("button", name="上传图片").click()
    expect(page.locator("#photo-form .error")).to_have_text("notes.jpg：无法读取该图片文件。")
    expect(page.locator(".photo-tile")).to_have_count(0)

    greens = png_bytes((1200, 900), "green")
    page.set_input_files(
        "#photos", _files(tmp_path, a_png=png_bytes((900, 1200), "red"), b_png=greens)
    )
    page.get_by_role("button", name="上传图片").click()
    tiles = page.locator(".photo-tile")
    expect(tiles).to_have_count(2)
    expect(tiles.first.locator(".photo-primary")).to_have_text("主图")
    second = tiles.nth(1).locator("img").get_attribute("src")
    tiles.nth(1).get_by_role("button", name="设为主图").click()
    expect(tiles.first.locator("img")).to_have_attribute("src", second)
    image = tiles.first.locator("img")
    expect(image).to_have_attribute("alt", "冰种翡翠手镯")
    expect(image).to_have_attribute("loading", "lazy")
    assert scroll_width(page) <= 390
    assert_accessible(page)
    assert page.console_errors == []
    _shoot(page, "item-photos-390")
    page.set_viewport_size(DESKTOP)
    _shoot(page, "item-photos-1366")
