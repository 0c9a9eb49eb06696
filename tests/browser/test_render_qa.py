"""The clip page lists a render's QA findings beside the version, on a phone and a desktop.

The merchant opens the findings, overrides them with a reason (an htmx swap) and may then
submit. Screenshots go to /tmp/shots/clip-qa-<viewport>.png.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from media.clips.models import ClipState, ClipVersion
from media.qa.models import RenderQaReport
from portal.database import utcnow
from portal.extensions import db
from tests.conftest import TEST_PASSWORD
from tests.support.browser import open_page
from tests.support.clipdata import add_clip_rows
from tests.support.pages import DESKTOP, PHONE, scroll_width, sign_in

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots")
FINDINGS = [
    {"check": "black", "start_s": 12.4, "end_s": 14.5, "detail": ""},
    {"check": "silence", "start_s": 12.4, "end_s": 14.6, "detail": ""},
    {"check": "loudness", "start_s": None, "end_s": None, "detail": "-21.9/-16.0"},
    {"check": "word_cut", "start_s": 29.6, "end_s": None, "detail": "手镯"},
    {"check": "banned_word", "start_s": 8.0, "end_s": None, "detail": "最便宜"},
]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_merchant_reads_the_findings_and_overrides_them(
    app, browser, live_server, merchant, merchant_org, make_item, viewport
) -> None:
    item = make_item(merchant_org, cert_lab="NGTC", cert_number="N-1")
    with app.app_context():
        clip = add_clip_rows(
            merchant_org.id, [item.id], title="翡翠手镯讲解", texts=["这款翡翠手镯水头很好"],
            state=ClipState.READY, recording_s=600.0,
        )  # fmt: skip
        version = db.session.scalar(select(ClipVersion).where(ClipVersion.clip_id == clip.id))
        db.session.add(
            RenderQaReport(
                org_id=merchant_org.id, stored_stem=version.stored_stem, checked_at=utcnow(),
                findings=FINDINGS,
            )
        )  # fmt: skip
        db.session.commit()
        clip_id, version_id = clip.id, version.id
    page = open_page(browser, viewport)
    sign_in(page, live_server, merchant.email, TEST_PASSWORD)
    page.goto(f"{live_server}/media/clips/{clip_id}#qa-{version_id}")
    report = page.locator(f"#qa-{version_id}")
    report.scroll_into_view_if_needed()
    assert report.locator(".qa-findings li").count() == len(FINDINGS)
    assert "0:12.4–0:14.5" in report.inner_text()
    assert scroll_width(page) <= viewport["width"]
    SHOTS.mkdir(exist_ok=True)
    name = "phone" if viewport == PHONE else "desktop"
    report.locator("summary").click()
    report.locator("textarea").fill("黑屏是转动手镯时的反光，属正常。")
    page.screenshot(path=str(SHOTS / f"clip-qa-{name}.png"), full_page=False)
    report.locator("button[type=submit]").click()
    page.locator(f"#qa-{version_id} .qa-override").wait_for()
    assert page.locator(f"#qa-{version_id} .qa-override").is_visible()
