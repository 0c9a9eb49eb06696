"""With the on-screen keyboard open (the phone's visible height about halves), the player still
fits on the screen, plays, and a trainer's comment is pinned to where it was paused."""

from __future__ import annotations

import pytest

from tests.support.browser import open_page
from tests.support.clipdata import add_clip_with_media
from tests.support.pages import PHONE, sign_in

pytestmark = pytest.mark.browser

KEYBOARD_OPEN = {"width": PHONE["width"], "height": 430}


@pytest.fixture
def vertical_clip(app, demo) -> int:
    """A vertical (9:16) clip of 翠玉坊 waiting for review."""
    return add_clip_with_media(
        app, demo.org_ids["cuiyufang"], [demo.item_ids["CY-001"]], title="冰种手镯看种水",
        texts=("这只手镯种水很好", "对着灯看颜色均匀", "每一件都有证书"), size="360x640",
    )  # fmt: skip


def _player_box(page) -> dict[str, float]:
    return page.evaluate(
        """() => {
            const video = document.querySelector('#player');
            video.scrollIntoView({block: 'nearest'});
            const box = video.getBoundingClientRect();
            return {top: box.top, bottom: box.bottom, height: box.height,
                    visible: window.visualViewport.height};
        }"""
    )


def test_trainer_on_phone_plays_and_comments_with_the_keyboard_open(
    browser, live_server, demo, vertical_clip
):
    page = open_page(browser, PHONE, timeout_ms=15_000, locale="zh-CN")
    try:
        sign_in(page, live_server, demo.emails["trainer"], demo.password)
        page.goto(f"{live_server}/review/clips/{vertical_clip}")
        page.wait_for_function("() => document.querySelector('#player')?.readyState >= 1")
        page.focus("#body")  # the keyboard opens: the visible height about halves
        page.set_viewport_size(KEYBOARD_OPEN)
        page.keyboard.type("这里颜色偏暗")
        box = _player_box(page)
        assert box["height"] <= box["visible"], f"the player is taller than the screen: {box}"
        assert box["top"] >= -1
        assert box["bottom"] <= box["visible"] + 1
        page.evaluate(
            """async () => {
                const video = document.querySelector('#player');
                video.muted = true;
                await video.play();
                await new Promise((done) => setTimeout(done, 1200));
                video.pause();
            }"""
        )
        at = page.evaluate("() => document.querySelector('#player').currentTime")
        assert at > 0.5
        with page.expect_navigation(url=f"**/review/clips/{vertical_clip}*"):
            page.click(".comment-form button[type=submit]")
        stamp = page.locator("#comments .comment .seek").first
        assert float(stamp.get_attribute("data-seek")) == pytest.approx(at, abs=0.3)
        assert page.console_errors == []
    finally:
        page.context.close()
