"""A merchant types in the header box, opens a spoken moment, and the player starts there."""

from __future__ import annotations

from pathlib import Path

import pytest

from media.recordings.models import Recording
from media.recordings.services import source_path
from portal.auth.models import Role
from portal.extensions import db
from tests.conftest import TEST_PASSWORD
from tests.support.browser import open_page
from tests.support.mediagen import make_test_video
from tests.support.pages import sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def _sign_in(browser, live_server, user, viewport):
    page = open_page(browser, viewport, timeout_ms=15_000)
    return sign_in(page, live_server, user.email, TEST_PASSWORD)


@pytest.fixture
def spoken(app, make_user, merchant_org, make_recording):
    """A merchant and a 20 s recording whose transcript says 翡翠手镯 at 12.4 s."""
    merchant = make_user(Role.MERCHANT, merchant_org)
    recording_id = make_recording(
        merchant_org.id,
        [(2.0, "欢迎来到直播间"), (12.4, "这只冰种翡翠手镯水头很好"), (16.0, "我们再看下一件")],
    )
    with app.app_context():
        target = source_path(db.session.get(Recording, recording_id))
    make_test_video(Path(target), seconds=20.0, size="320x240")
    return merchant, recording_id


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_merchant_types_in_header_and_opens_moment_at_its_second(
    browser, live_server, spoken, viewport, tmp_path
):
    merchant, recording_id = spoken
    page = _sign_in(browser, live_server, merchant, viewport)

    page.fill("#site-search", "feicui")
    moment = page.locator("#search-quick .search-hit-sentence a.search-hit-main")
    moment.wait_for()
    assert "翡翠" in moment.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    page.screenshot(path=str(tmp_path / "quick.png"))
    moment.click()

    page.wait_for_url(f"{live_server}/media/recordings/{recording_id}?t=12")
    page.wait_for_function("() => document.querySelector('#player')?.readyState >= 1")
    page.wait_for_function(
        "() => Math.abs(document.querySelector('#player')?.currentTime - 12) < 0.5"
    )
    assert abs(page.evaluate("document.querySelector('#player').currentTime") - 12) < 0.5
    assert [e for e in page.console_errors if "Content Security Policy" in e] == []
    page.context.close()


def test_merchant_presses_enter_for_the_full_results_page(browser, live_server, spoken, tmp_path):
    merchant, _recording_id = spoken
    page = _sign_in(browser, live_server, merchant, PHONE)

    page.fill("#site-search", "手鐲")
    page.press("#site-search", "Enter")

    page.wait_for_url(f"{live_server}/search?q=*")
    assert "这只冰种翡翠手镯水头很好" in page.inner_text("#search-results")
    page.fill("#q", "直播间")
    page.locator("#search-results").get_by_text("欢迎来到直播间").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.click(".search-filters summary")
    page.screenshot(path=str(tmp_path / "results.png"), full_page=True)
    page.context.close()
