"""The clip workshop and editor on a phone (390 px): after picking sentences the player is still
on screen and the selection bar (summary and the create or save button) is under the finger.

The same pages at 1366 px keep player and transcript side by side. Screenshots of both widths
go to docs/screenshots (the user guide shows them).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from media.clips import services
from media.clips.discovery import refresh_mentions
from media.recordings.models import Recording
from media.recordings.services import source_path
from portal.auth.models import Role, User
from portal.catalog.models import Item
from portal.extensions import db
from tests.browser.test_clip_workshop import _sign_in
from tests.support.axe import assert_accessible
from tests.support.browser import PHONE, open_page
from tests.support.clipdata import add_transcript
from tests.support.mediagen import make_test_video

pytestmark = pytest.mark.browser

WIDE = {"width": 1366, "height": 900}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
NAMES = ["冰种翡翠手镯", "糯冰飘花吊坠", "和田玉平安扣", "南红玛瑙手串", "淡水珍珠项链"]
SAID = [
    "哈喽哈喽, 家人们晚上好",
    "今天给大家带来几款新货",
    "先看这只冰种翡翠手镯, 种水非常好",
    "圈口 56, 带 NGTC 证书",
    "直播间价格 1280 元",
    "然后我们再看糯冰飘花吊坠",
    "飘花很自然, 戴着很显气质",
    "这款和田玉平安扣是籽料",
    "寓意平平安安, 送长辈很合适",
    "南红玛瑙手串颜色很正",
]


def _stream(org_id: int) -> int:
    """A 2-minute recording with a real (silent) video, 30 sentences and 15 catalog items."""
    db.session.add_all(
        Item(org_id=org_id, sku=f"P-{n}", name=NAMES[n] if n < len(NAMES) else f"翡翠戒指 {n}号")
        for n in range(15)
    )
    recording = Recording(
        org_id=org_id, title="周五晚场", stored_name="friday.mp4", duration_s=120.0,
        width=360, height=640,
    )  # fmt: skip
    db.session.add(recording)
    db.session.commit()
    make_test_video(source_path(recording), seconds=120.0, size="360x640")
    texts = [SAID[n % len(SAID)] for n in range(30)]
    add_transcript(
        recording.id, org_id, [(n * 4000, n * 4000 + 3600, t) for n, t in enumerate(texts)]
    )
    refresh_mentions(recording)
    return recording.id


@pytest.fixture
def stream(app, make_user, merchant_org) -> tuple[User, int, int]:
    """The merchant, the recording and a clip of its sentences 2–6."""
    merchant = make_user(Role.MERCHANT, merchant_org)
    with app.app_context():
        recording_id = _stream(merchant_org.id)
        recording = db.session.get(Recording, recording_id)
        actor = db.session.get(User, merchant.id)
        item = db.session.query(Item).filter_by(org_id=merchant_org.id, sku="P-0").one()
        clip = services.create_clip(
            recording, actor, first_sentence=2, last_sentence=6, item_ids=[item.id],
            title="冰种翡翠手镯 · 1280元 · 圈口56",
        )  # fmt: skip
        return merchant, recording_id, clip.id


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
