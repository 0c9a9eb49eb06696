"""The review page of an approved clip with several compliance flags, at 390 px and 1366 px.

Each flag is listed once; the publish button is disabled with the reason beside it; a trainer
ticks two flags and overrides them with one reason; resolved flags, resolved comments and the
decision history are folded away, so the page stays short.
"""

from __future__ import annotations

import pytest

from media.clips.models import Clip
from portal.auth.models import Role
from portal.comments import services as comments
from portal.extensions import db
from tests.conftest import TEST_PASSWORD
from tests.support.clipdata import add_clip_with_media
from tests.support.pages import Visit

pytestmark = pytest.mark.browser

LINES = (
    "这款满绿手镯种水很好",
    "全网最低价，今天下单",
    "喜欢的话加微信聊",
    "戴着能治病，国家级工艺",
    "有 NGTC 证书",
)
REASON = "口播说的是直播间活动价，已核实"


def _clip(app, org, item, trainer) -> int:
    clip_id = add_clip_with_media(
        app, org.id, [item.id], title="满绿手镯种水讲解", texts=LINES, state="approved"
    )
    with app.app_context():
        clip = db.session.get(Clip, clip_id)
        for n, body in enumerate(("画面有点暗", "第二句要改", "结尾太快")):
            comment = comments.add_comment(
                clip, trainer, body=body, at_s=float(n), version_id=clip.review_version_id
            )
            if n < 2:
                comments.set_resolved(comment, trainer, True)
    return clip_id


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_trainer_overrides_two_flags_at_once_and_the_page_reads_well(
    app, live_server, browser, make_user, merchant_org, make_item, viewport
):
    item = make_item(merchant_org, sku="JADE-7", name="满绿翡翠手镯", cert_lab="NGTC",
                     cert_number="N-7")  # fmt: skip
    trainer = make_user(Role.TRAINER, name="王老师")
    clip_id = _clip(app, merchant_org, item, trainer)
    visit = Visit(browser, live_server, "trainer-review-flags", viewport)
    visit.sign_in(trainer.email, TEST_PASSWORD)
    page = visit.goto(f"/review/clips/{clip_id}")

    flags = page.locator("#compliance-hits input[name=flags]")
    opened = flags.count()
    assert opened >= 4
    assert page.locator(".compliance-hits").count() == 1
    button = page.locator("#publishing button.primary")
    assert button.is_disabled()
    assert "加微信" in page.inner_text("#publish-blockers")
    assert page.locator(".resolved-comments").get_attribute("open") is None
    visit.check("blocked")

    flags.nth(0).check()
    flags.nth(1).check()
    page.fill("#compliance-hits textarea[name=reason]", REASON)
    with page.expect_navigation(url=f"**/review/clips/{clip_id}*"):
        page.click("#compliance-hits .override-form button[type=submit]")
    assert page.locator("#compliance-hits input[name=flags]").count() == opened - 2
    assert REASON not in page.inner_text("#compliance-hits")  # folded away
    page.click("#compliance-hits .resolved-flags summary")
    assert page.inner_text("#compliance-hits").count(REASON) == 2
    assert page.locator("#publishing button.primary").is_disabled()
    height = page.evaluate("document.documentElement.scrollHeight")
    print(f"review page {viewport}: {height} px tall with {opened} flags")
    visit.check("overridden")
    visit.close()
