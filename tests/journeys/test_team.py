"""The owner of a merchant organisation builds the team on a phone (390 px): invites a streamer,
who sets a password from the mailed link; adds the live account the streamer streams on; says
which account streamed a recording and filters the recordings by account; the streamer then
opens that recording (and only that one). The team and live-accounts pages are shot at 390 px
and 1366 px when screenshots are asked for (``make screenshots``).
"""

from __future__ import annotations

import pytest

from media.recordings.models import Recording
from portal.auth.models import OrgRole, Role
from portal.extensions import db
from tests.conftest import TEST_PASSWORD
from tests.portal.helpers import capture_mail, mailed_links
from tests.support.pages import click_menu_link

pytestmark = pytest.mark.browser

STREAMER_EMAIL = "xiaomei@cuiyu.example"
STREAMER_PASSWORD = "xiaomei-pass-9"


@pytest.fixture
def shop(app, make_org, make_user) -> dict[str, int | str]:
    """翠玉's owner and two recordings (rows only: their pages need no file)."""
    org = make_org("cuiyu")
    owner = make_user(Role.MERCHANT, org, org_role=OrgRole.OWNER, name="王老板")
    with app.app_context():
        evening, morning = (
            Recording(org_id=org.id, title=title, stored_name=f"{n}.mp4", created_by_id=owner.id)
            for n, title in enumerate(("周三晚场", "周四早场"))
        )
        db.session.add_all([evening, morning])
        db.session.commit()
        return {"owner": owner.email, "evening": evening.id, "morning": morning.id}


def _invite_streamer(owner, caplog) -> str:
    page = owner.page
    click_menu_link(page, "/team/")
    page.fill("#name", "主播小美")
    page.fill("#email", STREAMER_EMAIL)
    page.select_option("#org_role", "streamer")
    page.get_by_role("button", name="发送邀请").click()
    page.get_by_text(f"邀请已发送至 {STREAMER_EMAIL}。").wait_for()
    row = page.locator(f"tr[data-member='{STREAMER_EMAIL}']")
    assert row.locator("select").input_value() == "streamer"
    assert "已邀请" in row.inner_text()
    owner.check("members")
    [link] = mailed_links(caplog)
    return link


def _accept_invitation(streamer, link: str) -> None:
    streamer.goto(link)
    streamer.page.fill("#password", STREAMER_PASSWORD)
    streamer.page.fill("#confirm", STREAMER_PASSWORD)
    streamer.page.locator("main button[type=submit]").click()
    streamer.page.wait_for_url(f"{streamer.base_url}/")


def _save(page, flash: str) -> None:
    """Press the form's 保存账号 and wait for the page to say ``flash``."""
    page.get_by_role("button", name="保存账号").click()
    page.get_by_text(flash).wait_for()


def _add_live_account(owner) -> None:
    page = owner.page
    page.get_by_role("link", name="直播账号").click()
    page.select_option("#platform", "douyin")
    page.fill("#name", "翠玉珠宝官方")
    page.fill("#studio", "2号直播间")
    page.select_option("#streamer_id", label="主播小美")
    _save(page, "已添加直播账号 翠玉珠宝官方。")
    row = page.locator("tr[data-account='翠玉珠宝官方']").inner_text()
    assert [part for part in ("抖音", "2号直播间", "主播小美") if part not in row] == []
    owner.check("accounts")


def _assign_and_filter(owner, shop) -> None:
    page = owner.page
    owner.goto(f"/media/recordings/{shop['evening']}")
    page.select_option("#live_account_id", label="抖音 · 翠玉珠宝官方 (2号直播间)")
    _save(page, "直播账号已保存。")
    provenance = " ".join(page.locator(".provenance-line").inner_text().split())
    assert provenance == (
        "直播账号： 抖音 · 翠玉珠宝官方 (2号直播间) · 由王老板创建 · 最后由王老板修改"
    )
    owner.check("recording-account")

    click_menu_link(page, "/media/recordings/")
    page.select_option("#account-filter", label="抖音 · 翠玉珠宝官方 (2号直播间)")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**/media/recordings/?account=*")
    listed = page.locator("#recording-list").inner_text()
    assert "周三晚场" in listed
    assert "周四早场" not in listed


def test_owner_invites_a_streamer_adds_their_account_and_files_a_recording_under_it(
    app, visit, shop, caplog
):
    capture_mail(caplog)
    owner = visit("team", "phone")
    owner.sign_in(shop["owner"], TEST_PASSWORD)

    link = _invite_streamer(owner, caplog)
    streamer = visit("team-streamer", "phone")
    _accept_invitation(streamer, link)
    _add_live_account(owner)
    _assign_and_filter(owner, shop)

    click_menu_link(streamer.page, "/media/recordings/")
    listed = streamer.page.locator("#recording-list").inner_text()
    assert "周三晚场" in listed
    assert "周四早场" not in listed
    streamer.page.get_by_role("link", name="周三晚场").click()
    assert streamer.page.get_by_role("button", name="删除录像").count() == 0
    streamer.check("recording")
    other = streamer.page.goto(f"{streamer.base_url}/media/recordings/{shop['morning']}")
    assert other.status == 404

    desktop = visit("team", "desktop")
    desktop.sign_in(shop["owner"], TEST_PASSWORD)
    desktop.goto("/team/")
    desktop.check("members")
    desktop.goto("/team/accounts/")
    desktop.check("accounts")
