"""An administrator invites a trainer (who sets a password), edits the compliance terms and
looks at the background jobs."""

from __future__ import annotations

import logging
import re

import pytest

from portal.database import utcnow
from portal.extensions import db
from portal.jobs.models import Job, JobState
from tests.journeys.conftest import VIEWS
from tests.support.pages import click_menu_link

pytestmark = pytest.mark.browser

NEW_TRAINER = {"name": "培训师 赵老师", "email": "zhao@beltcast.example"}
NEW_TERM = ("medical", "包治百病", "不能说能治病；可以说佩戴舒适、寓意好。")


@pytest.fixture
def jobs(app, demo):
    """Jobs as a busy base has them: one transcribing, one waiting, one failed, one done."""
    org = demo.org_ids["cuiyufang"]
    now = utcnow()
    rows = [
        Job(kind="recording.transcribe", subject_type="recording", subject_id=1, org_id=org,
            state=JobState.RUNNING, step="transcribing", progress=42, attempts=1,
            worker_id="web-1:4242", started_at=now, step_started_at=now),
        Job(kind="clip.render", subject_type="clip", subject_id=3, org_id=org),
        Job(kind="clip.render", subject_type="clip", subject_id=2, org_id=org,
            state=JobState.FAILED, step="rendering", attempts=3, started_at=now,
            finished_at=now, error="渲染失败：源文件已被删除。"),
        Job(kind="recording.transcribe", subject_type="recording", subject_id=2, org_id=org,
            state=JobState.SUCCEEDED, step="finding_items", progress=100, attempts=1,
            started_at=now, finished_at=now),
    ]  # fmt: skip
    with app.app_context():
        db.session.add_all(rows)
        db.session.commit()


def _invite_link(caplog: pytest.LogCaptureFixture) -> str:
    for record in caplog.records:
        found = re.search(r"https?://\S+/auth/invite/\S+", record.getMessage())
        if found:
            return found.group(0)
    raise AssertionError("no invitation was mailed")


@pytest.mark.parametrize(("viewport", "locale"), VIEWS)
def test_admin_invites_trainer_edits_terms_and_sees_jobs(
    visit, demo, jobs, caplog, viewport, locale
):
    admin = visit("admin", viewport, locale)
    page = admin.sign_in(demo.emails["admin"], demo.password)
    admin.check("home")

    click_menu_link(page, "/admin/users")
    page.fill("#email", NEW_TRAINER["email"])
    page.fill("#name", NEW_TRAINER["name"])
    page.select_option("#role", "trainer")
    with caplog.at_level(logging.INFO, logger="beltcast.mail"):
        page.click("form[action$='#invite'] button[type=submit]")
        page.wait_for_selector(".flash-success")
    assert NEW_TRAINER["email"] in page.inner_text("main table")
    admin.check("users")

    trainer = visit("admin-invited", viewport, locale)
    page = trainer.page
    page.goto(_invite_link(caplog))
    trainer.check("set-password")
    page.fill("#password", "jade-trainer-2026")
    page.fill("#confirm", "jade-trainer-2026")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{trainer.base_url}/")
    assert NEW_TRAINER["name"] in page.text_content("header .account-nav")  # phone: in the menu
    assert page.locator("header a[href='/review/']").count() == 1

    page = admin.page
    click_menu_link(page, "/admin/compliance/")
    category, term, note = NEW_TERM
    page.select_option("#category", category)
    page.fill("#term", term)
    page.fill("#note", note)
    page.click("#term-form button[type=submit]")
    page.wait_for_selector(f"main td:has-text('{term}')")
    row = page.locator("main tr", has=page.locator("strong", has_text="加微信"))
    row.locator("a").click()
    page.wait_for_url("**/admin/compliance/*")
    admin.check("compliance-edit")
    page.fill("#note", "请引导观众在直播间或店铺内咨询、下单，不要留微信号。")
    page.click("#term-form button[type=submit]")
    page.wait_for_url(re.compile(r"/admin/compliance/\?held=\d+$"))  # with what it holds
    assert "不要留微信号" in page.inner_text("main")
    admin.check("compliance")

    click_menu_link(page, "/admin/jobs/")
    assert page.locator("main table.jobs tbody tr").count() >= 4
    admin.check("jobs")
    with page.expect_navigation():
        page.locator("main tr", has_text="渲染失败").locator("button[type=submit]").click()
    assert "渲染失败" not in page.inner_text("main table.jobs")
