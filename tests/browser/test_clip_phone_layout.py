"""The clip workshop and editor on a phone (390 px): after picking sentences the player is still
on screen and the selection bar (summary and the create or save button) is under the finger.

The same pages at 1366 px keep player and transcript side by side. Screenshots of both widths
go to docs/screenshots (the user guide shows them).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from portal.auth.models import User
from tests.browser.test_clip_workshop import _sign_in
from tests.support.axe import assert_accessible
from tests.support.browser import PHONE, open_page

pytestmark = pytest.mark.browser

WIDE = {"width": 1366, "height": 900}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _on_screen(page, selector: str) -> bool:
    """Tell whether the element is wholly inside the viewport."""
    box = page.locator(selector).bounding_box()
    size = page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= size["height"]


def _pick(page, list_selector: str, first: int, last: int) -> None:
    """Tap the first sentence, then the last, as a finger does."""
    page.locator(f"{list_selector} [data-pick='{first}']").click()
    page.locator(f"{list_selector} [data-pick='{last}']").click()


def _shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name))


def _workshop(browser, live_server: str, stream: tuple[User, int, int], viewport: dict):
    """Sign the merchant in at ``viewport`` and open the recording's workshop."""
    merchant, recording_id, _clip_id = stream
    page = open_page(browser, viewport, timeout_ms=15_000)
    _sign_in(page, live_server, merchant)
    page.goto(f"{live_server}/media/recordings/{recording_id}/workshop")
    return page


def _summary(page) -> str:
    return page.locator(".selection-bar .selection-summary").inner_text()


def test_phone_keeps_player_and_selection_bar_in_view(live_server, browser, stream):
    page = _workshop(browser, live_server, stream, PHONE)
    _pick(page, "ol.selectable", 10, 15)

    assert _summary(page).startswith("已选 6 个句子")
    assert _on_screen(page, ".selection-bar button[type=submit]")
    assert _on_screen(page, ".selection-bar .selection-summary")
    assert _on_screen(page, "#player")  # sticky: the finger is far below where the page began
    assert page.evaluate("window.scrollY") > 800
    _shoot(page, "clip-workshop-390.png")
    assert_accessible(page)

    page.goto(f"{live_server}/media/clips/{stream[2]}")
    _pick(page, "#clip-sentences", 3, 8)
    assert page.locator("[data-range-start]").input_value() == "0:12.0"
    assert _summary(page).startswith("已选 6 个句子")
    assert _on_screen(page, ".selection-bar button[form=range-form]")
    assert _on_screen(page, "#player")
    _shoot(page, "clip-editor-390.png")
    page.locator(".selection-bar button[form=range-form]").click()
    page.wait_for_selector(".flash-success")
    assert page.locator("[data-range-start]").input_value() == "0:12.0"
    page.context.close()


def test_wide_screen_keeps_player_beside_the_transcript(live_server, browser, stream):
    page = _workshop(browser, live_server, stream, WIDE)
    _pick(page, "ol.selectable", 2, 4)
    player, transcript = page.locator("#player").bounding_box(), page.locator("ol.selectable")
    assert player["x"] + player["width"] <= transcript.bounding_box()["x"]  # side by side
    assert _on_screen(page, ".selection-bar button[type=submit]")
    page.evaluate("window.scrollTo(0, 0)")
    _shoot(page, "clip-workshop-1366.png")

    page.goto(f"{live_server}/media/clips/{stream[2]}")
    _pick(page, "#clip-sentences", 3, 8)
    assert _on_screen(page, ".selection-bar button[form=range-form]")
    page.evaluate("window.scrollTo(0, 0)")
    _shoot(page, "clip-editor-1366.png")
    page.context.close()
