"""The workshop of a four-hour stream in a browser (issue 16): suggestions per item, "more"
opens one item's group in place, and the transcript loads its pieces as the merchant scrolls."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from portal.auth.models import Role
from tests.browser.test_clip_workshop import DESKTOP, _sign_in
from tests.media.clips.test_long_workshop import SHOWN, add_long_stream
from tests.support.axe import assert_accessible
from tests.support.browser import PHONE, open_page

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_merchant_opens_more_suggestions_of_an_item_in_a_long_stream(
    app, live_server, browser, make_user, merchant_org, tmp_path, viewport
):
    merchant = make_user(Role.MERCHANT, merchant_org)
    with app.app_context():
        recording_id = add_long_stream(merchant_org.id)
    page = open_page(browser, viewport, timeout_ms=15_000)
    _sign_in(page, live_server, merchant)

    page.goto(f"{live_server}/media/recordings/{recording_id}/workshop")
    group = page.locator(".suggestion-group").first
    assert group.locator("li.suggestion").count() == SHOWN
    more = group.locator("a.more-suggestions")
    hidden = int(re.search(r"\d+", more.inner_text()).group())  # "还有 N 条建议"
    more.click()  # htmx swaps the group for all its suggestions
    page.wait_for_function(
        "() => document.querySelectorAll('.suggestion-group')[0]"
        f".querySelectorAll('li.suggestion').length === {SHOWN + hidden}"
    )
    assert page.url.endswith("/workshop")  # stayed on the page
    assert group.locator("a.more-suggestions").count() == 0

    pending = page.locator("ol.selectable li.piece-pending").count()
    page.locator("ol.selectable li.piece-pending").first.scroll_into_view_if_needed()
    page.wait_for_function(
        f"() => document.querySelectorAll('ol.selectable li.piece-pending').length < {pending}"
    )
    path = tmp_path / f"long-workshop-{viewport['width']}.png"
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(path), full_page=False)
    assert_accessible(page)
    SHOTS.mkdir(exist_ok=True)
    shutil.copy(path, SHOTS / path.name)
    # The rows-only recording has no video file: its 404 is the one error allowed.
    assert [e for e in page.console_errors if "404 (NOT FOUND)" not in e] == []
    page.context.close()
