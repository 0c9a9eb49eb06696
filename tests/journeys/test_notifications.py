"""A trainer asks for changes to a submitted clip; the digest mail for the merchant is logged;
the merchant sees the bell's count, opens the notifications and follows the link to the clip.

The digest is sent as the worker's sweeper sends it (``send_due_digests``), in the test thread.
"""

from __future__ import annotations

import logging

import pytest

from portal.database import utcnow
from portal.notifications.digest import send_due_digests
from tests.journeys.conftest import VIEWS
from tests.support.clipdata import add_clip_with_media

pytestmark = pytest.mark.browser

TITLE = "冰种手镯光感讲解"
MESSAGE = "第二句字幕有错字，请改好后重新渲染提交"


@pytest.fixture
def clip_in_review(app, demo) -> int:
    """A clip of 翠玉坊 waiting for review, with a real (tiny) rendered version."""
    org_id = demo.org_ids["cuiyufang"]
    item_id = next(iter(demo.item_ids.values()))
    return add_clip_with_media(
        app, org_id, [item_id], title=TITLE, texts=("这只手镯种水很好", "灯下看起来很通透")
    )


def _trainer_asks_for_changes(trainer, demo, clip_id: int) -> None:
    page = trainer.sign_in(demo.emails["trainer"], demo.password)
    trainer.goto(f"/review/clips/{clip_id}")
    page.check("input[name=decision][value=changes]")
    page.fill("#message", MESSAGE)
    page.click("#decision button[type=submit]")
    page.wait_for_url(f"{trainer.base_url}/review/")


@pytest.mark.parametrize(("viewport", "locale"), VIEWS)
def test_merchant_is_notified_of_requested_changes_by_bell_list_and_mail(
    app, visit, demo, clip_in_review, caplog, viewport, locale
):
    _trainer_asks_for_changes(
        visit("notifications-trainer", viewport, locale), demo, clip_in_review
    )

    with caplog.at_level(logging.INFO, logger="beltcast.mail"), app.app_context():
        send_due_digests(utcnow())  # the worker's sweeper does this every round
    [mail] = [r.getMessage() for r in caplog.records if demo.emails["merchant"] in r.getMessage()]
    assert TITLE in mail
    assert f"/media/clips/{clip_in_review}" in mail

    merchant = visit("notifications", viewport, locale)
    page = merchant.sign_in(demo.emails["merchant"], demo.password)
    bell = page.locator("header a.bell")
    assert bell.is_visible()  # on a phone too: beside the menu button, not inside the drawer
    assert bell.locator(".bell-count").inner_text() == "1"
    merchant.check("bell", full_page=False)

    bell.click()
    page.wait_for_url(f"{merchant.base_url}/notifications/")
    item = page.locator(".notification.unread")
    assert item.count() == 1
    assert TITLE in item.inner_text()
    merchant.check("list")

    item.locator("a").click()
    page.wait_for_url(f"{merchant.base_url}/media/clips/{clip_in_review}")
    assert MESSAGE in page.inner_text("main")
    assert page.locator("header a.bell .bell-count").count() == 0
