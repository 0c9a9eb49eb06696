"""A merchant on a phone: sign in, add an item, find it, switch to English."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from portal.auth.models import Role
from tests.conftest import TEST_PASSWORD
from tests.support.pages import click_menu_link

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots")


def _has_no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def _shoot(page, tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    SHOTS.mkdir(exist_ok=True)
    shutil.copy(path, SHOTS / path.name)
    return path


def test_merchant_on_phone_adds_item_finds_it_and_switches_to_english(
    live_server, page, make_user, merchant_org, make_item, tmp_path
):
    merchant = make_user(Role.MERCHANT, merchant_org, name="陈老板")
    make_item(merchant_org, sku="CY-001", name="糯种飘花手镯", aliases=["飘花镯"])

    page.goto(f"{live_server}/auth/login")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    page.fill("#email", merchant.email)
    page.fill("#password", TEST_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server}/")
    page.click(".menu-toggle")  # the phone's menu drawer holds the account links
    assert "陈老板" in page.inner_text("header .account-nav")

    click_menu_link(page, "/catalog/")
    page.click("a[href='/catalog/items/new']")
    page.fill("#sku", "CY-200")
    page.fill("#name", "冰种翡翠手镯")
    page.fill("#aliases", "冰种手镯\njadeite bangle")
    page.select_option("#category_id", label="翡翠")
    page.fill("#price", "12800")
    assert _has_no_horizontal_scroll(page)
    _shoot(page, tmp_path, "item-form-zh")
    page.click("#item-form button[type=submit]")
    page.wait_for_url(f"{live_server}/catalog/items/*")
    assert "冰种翡翠手镯" in page.inner_text("h1")
    assert "¥12,800.00" in page.inner_text("#item-detail")

    page.goto(f"{live_server}/catalog/")
    rows = page.locator("#item-list tbody tr")
    assert rows.count() == 2
    assert "CY-200" in page.inner_text("#item-list")
    assert _has_no_horizontal_scroll(page)

    with page.expect_response(lambda r: "/catalog/?" in r.url and "q=" in r.url):
        page.fill("#q", "jadeite")  # htmx swaps the list in place
    page.wait_for_function("() => document.querySelectorAll('#item-list tbody tr').length === 1")
    assert "CY-200" in page.inner_text("#item-list")

    page.select_option("#footer-locale", "en")
    page.click(".language-switch button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.inner_text("main h1") == "Catalog"
    assert page.locator("a[href='/catalog/items/new']").inner_text() == "Add item"
    assert _has_no_horizontal_scroll(page)
    shot = _shoot(page, tmp_path, "catalog-en")
    assert shot.stat().st_size > 10_000

    csp_errors = [e for e in page.console_errors if "Content Security Policy" in e]
    assert csp_errors == []
