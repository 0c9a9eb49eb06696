"""A trainer reviews a merchant's clip at a desktop, the merchant reads the feedback, the clip is
resubmitted, the trainer overrides a compliance flag, approves and publishes, and the clip shows
in the public library (desktop and phone).

The clip's version carries a real rendered MP4 (ffmpeg test pattern), poster and WebVTT.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from media.clips.models import Clip, ClipState
from portal.auth.models import Role
from portal.catalog.models import Category
from portal.extensions import db
from tests.conftest import TEST_PASSWORD
from tests.support.browser import PHONE, open_page
from tests.support.clipdata import add_clip_with_media
from tests.support.pages import sign_in
from tests.support.player import seek_paused

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 768}
SHOTS = Path("/tmp/shots")
TITLE = "满绿手镯种水讲解"
CONTACT_LINE = "喜欢的话加微信聊"
COMMENT = "这里画面有点暗，下一版提亮一点"
MESSAGE = "请把加微信那句改掉，直播间内下单即可"
OVERRIDE = "商家在直播间内口播回复，不是站外引流"


def _clip_with_media(app, org, item) -> int:
    """A clip in review with one rendered version whose files really exist."""
    texts = ("这款满绿手镯种水很好", "有 NGTC 证书", CONTACT_LINE)
    return add_clip_with_media(
        app, org.id, [item.id], title=TITLE, texts=texts, description="讲解种水和颜色"
    )


def _sign_in(browser, live_server, user, viewport=DESKTOP):
    page = open_page(browser, viewport, timeout_ms=15_000)
    return sign_in(page, live_server, user.email, TEST_PASSWORD)


def _shoot(page, tmp_path: Path, name: str, *, keep: bool = False) -> Path:
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    if keep:
        SHOTS.mkdir(exist_ok=True)
        shutil.copy(path, SHOTS / f"review-publish-{path.name}")
    return path


def _current_time(page) -> float:
    return page.evaluate("document.querySelector('#player').currentTime")


def _trainer_comments_and_requests_changes(page, live_server, clip_id, tmp_path):
    page.goto(f"{live_server}/review/")
    page.click(f"a[href='/review/clips/{clip_id}']")
    page.wait_for_url(f"{live_server}/review/clips/{clip_id}")
    assert "加微信" in page.inner_text("#compliance-hits")
    seek_paused(page, 1.0)
    page.fill("#body", COMMENT)
    page.click(".comment-form button[type=submit]")
    page.wait_for_url(f"{live_server}/review/clips/{clip_id}*")
    time_button = page.locator("#comments .comment .seek").first
    assert time_button.is_visible()
    assert time_button.inner_text() == "0:01.0"
    assert float(time_button.get_attribute("data-seek")) == pytest.approx(1.0, abs=0.05)
    assert COMMENT in page.inner_text("#comments")
    page.wait_for_function("() => document.querySelector('#player')?.readyState >= 1")
    page.evaluate("document.querySelector('#player').currentTime = 3.0")
    time_button.click()
    page.evaluate("document.querySelector('#player').pause()")
    assert _current_time(page) == pytest.approx(1.0, abs=0.5)
    _shoot(page, tmp_path, "trainer-review", keep=True)

    page.check("input[name=decision][value=changes]")
    page.fill("#message", MESSAGE)
    page.click("#decision button[type=submit]")
    page.wait_for_url(f"{live_server}/review/")


def _trainer_overrides_approves_and_publishes(page, live_server, clip_id, tmp_path):
    page.goto(f"{live_server}/review/clips/{clip_id}")
    # The certificate line is satisfied (the item has one); only the contact line has a form.
    flags = page.locator("#compliance-hits input[name=flags]")
    assert flags.count() == 1
    flags.check()
    page.fill("#compliance-hits textarea[name=reason]", OVERRIDE)
    page.click("#compliance-hits .override-form button[type=submit]")
    page.wait_for_url(f"{live_server}/review/clips/{clip_id}*")
    page.click("#compliance-hits .resolved-flags summary")
    assert OVERRIDE in page.inner_text("#compliance-hits")
    page.check("input[name=decision][value=approve]")
    page.click("#decision button[type=submit]")
    page.wait_for_url(f"{live_server}/review/approved")
    page.goto(f"{live_server}/review/clips/{clip_id}")
    page.click("#publishing button.primary")
    page.wait_for_url(f"{live_server}/review/clips/{clip_id}*")
    assert page.locator(f"#publishing a[href='/library/clips/{clip_id}']").is_visible()
    _shoot(page, tmp_path, "trainer-published")


def test_trainer_reviews_merchant_fixes_trainer_overrides_approves_and_publishes(
    app, live_server, browser, make_user, merchant_org, make_item, tmp_path
):
    with app.app_context():
        jade = db.session.scalar(db.select(Category).filter_by(name_zh="翡翠")).id
    item = make_item(
        merchant_org, sku="JADE-88", name="满绿翡翠手镯", cert_lab="NGTC", cert_number="N-88",
        cert_grade="A货", price_cents=1_280_000, category_id=jade,
    )  # fmt: skip
    clip_id = _clip_with_media(app, merchant_org, item)
    trainer = make_user(Role.TRAINER, name="王老师")
    merchant = make_user(Role.MERCHANT, merchant_org, name="陈老板")

    trainer_page = _sign_in(browser, live_server, trainer)
    _trainer_comments_and_requests_changes(trainer_page, live_server, clip_id, tmp_path)

    merchant_page = _sign_in(browser, live_server, merchant)
    merchant_page.goto(f"{live_server}/media/clips/{clip_id}")
    assert COMMENT in merchant_page.inner_text("#comments")
    assert MESSAGE in merchant_page.inner_text("main")
    _shoot(merchant_page, tmp_path, "merchant-feedback", keep=True)

    with app.app_context():  # as if re-rendered and submitted again
        db.session.get(Clip, clip_id).state = ClipState.IN_REVIEW
        db.session.commit()

    _trainer_overrides_approves_and_publishes(trainer_page, live_server, clip_id, tmp_path)
    with app.app_context():
        assert db.session.get(Clip, clip_id).state == ClipState.PUBLISHED

    trainer_page.goto(f"{live_server}/library/")
    assert TITLE in trainer_page.inner_text("main")
    _shoot(trainer_page, tmp_path, "library-desktop", keep=True)
    trainer_page.goto(f"{live_server}/library/items/{item.id}")
    assert trainer_page.locator(f"a[href='/library/clips/{clip_id}']").count() >= 1
    feed = trainer_page.request.get(f"{live_server}/library/feed.json").json()
    assert [entry["title"] for entry in feed["items"]] == [TITLE]

    phone = browser.new_context(viewport=PHONE).new_page()
    phone.goto(f"{live_server}/library/")
    assert TITLE in phone.inner_text("main")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _shoot(phone, tmp_path, "library-phone", keep=True)

    for page in (trainer_page, merchant_page, phone):
        assert [e for e in getattr(page, "console_errors", []) if "Content Security" in e] == []
        page.context.close()
