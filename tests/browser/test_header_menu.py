"""The header menu on a phone and a desktop, for every kind of user.

On a phone the menu is a drawer behind a "Menu" button (a <details>, so it opens without
JavaScript): closed it takes one line, open it shows every entry, and each entry can be clicked.
On a desktop every entry shows at once, the search box keeps its width and its placeholder fits.
Screenshots go to /tmp/shots/header-<role>-<viewport>.png.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from portal.auth.models import Role
from tests.conftest import TEST_PASSWORD
from tests.support.browser import open_page
from tests.support.pages import DESKTOP, PHONE, scroll_width, sign_in

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots")
ROLES = [Role.MERCHANT, Role.TRAINER, Role.ADMIN, Role.STREAMER]


def _user(role, make_user, merchant_org):
    return make_user(role, merchant_org if role == Role.MERCHANT else None)


def _menu_links(page):
    return page.locator(".main-nav a")


@pytest.mark.parametrize("role", ROLES, ids=str)
def test_phone_user_opens_the_menu_and_reaches_every_entry(
    browser, live_server, make_user, merchant_org, role
) -> None:
    user = _user(role, make_user, merchant_org)
    page = open_page(browser, PHONE)
    sign_in(page, live_server, user.email, TEST_PASSWORD)
    toggle = page.locator(".menu-toggle")
    assert toggle.is_visible()
    assert not _menu_links(page).first.is_visible()  # closed: one line, no hidden row
    header_closed = page.locator(".site-header").bounding_box()["height"]
    assert header_closed < 170
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"header-{role}-phone.png"))
    toggle.click()
    links = _menu_links(page)
    count = links.count()
    assert count >= 4
    for index in range(count):
        box = links.nth(index).bounding_box()
        assert links.nth(index).is_visible()
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= PHONE["width"]
        assert box["height"] >= 40  # a thumb-sized target
    assert scroll_width(page) <= PHONE["width"]
    page.screenshot(path=str(SHOTS / f"header-{role}-phone-open.png"), full_page=True)
    last = links.nth(count - 1)
    target = last.get_attribute("href")
    last.click()
    page.wait_for_url(f"{live_server}{target}")
    assert not page.console_errors
    page.context.close()


@pytest.mark.parametrize("role", ROLES, ids=str)
def test_desktop_user_sees_every_entry_and_a_full_search_box(
    browser, live_server, make_user, merchant_org, role
) -> None:
    user = _user(role, make_user, merchant_org)
    page = open_page(browser, DESKTOP)
    sign_in(page, live_server, user.email, TEST_PASSWORD)
    assert not page.locator(".menu-toggle").is_visible()
    links = _menu_links(page)
    for index in range(links.count()):
        assert links.nth(index).is_visible()
    search = page.locator("#site-search")
    assert search.bounding_box()["width"] >= 280
    clipped = search.evaluate(
        """input => {
            const probe = document.createElement('span');
            const style = getComputedStyle(input);
            probe.style.font = style.font;
            probe.style.position = 'absolute';
            probe.style.whiteSpace = 'pre';
            probe.textContent = input.placeholder;
            document.body.append(probe);
            const needed = probe.getBoundingClientRect().width
              + parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
            probe.remove();
            return needed > input.clientWidth;
        }"""
    )
    assert not clipped, "the search placeholder is cut off"
    assert scroll_width(page) <= DESKTOP["width"]
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"header-{role}-desktop.png"))
    page.context.close()
