"""The review gate as people meet it: the library shows exactly the version a trainer approved.

A merchant writes a banned line into a subtitle and renders it (version 1), puts the line back
and is told to render again, renders (version 2), submits; a trainer sees version 2, lets the
spoken price claim stand with a reason, approves and publishes; the merchant's editor says
version 2 is live; a visitor on a phone plays the library clip, and the video and subtitles
served are version 2's files, never version 1's. Renders are real (ffmpeg) and run in the test
thread while the page polls.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from media.clips.models import Clip, ClipState, ClipVersion
from media.clips.rendering import version_file
from media.recordings.models import Recording
from media.recordings.services import source_path
from portal.auth.models import Role
from portal.extensions import db
from tests.conftest import TEST_PASSWORD
from tests.media.recordings.helpers import run_jobs
from tests.support.browser import PHONE, open_page
from tests.support.clipdata import add_clip_rows, add_transcript
from tests.support.mediagen import make_test_video
from tests.support.pages import override_render_checks, sign_in

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
SHOTS = Path("/tmp/shots")
LINES = [
    (0, 2000, "这款翡翠手镯水头很好"),
    (2000, 4000, "今天全网最低价"),
    (4000, 6000, "圈口五十六"),
]
BANNED = "加微信 jade888 最便宜 能治病"


def _shoot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"review-gate-{name}.png"), full_page=True)


def _draft_clip(app, org, item) -> int:
    """A draft clip of a 6-second recording (a real video) with its transcript, no version."""
    with app.app_context():
        clip = add_clip_rows(
            org.id, [item.id], title="翡翠手镯讲解", texts=[text for _, _, text in LINES],
            state=ClipState.DRAFT, span_ms=(0, 6000), cue_every_ms=2000, cue_ms=2000,
            version_cues=(), recording_s=6.0,
        )  # fmt: skip
        add_transcript(clip.recording_id, org.id, LINES)
        source = source_path(db.session.get(Recording, clip.recording_id))
        source.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(make_test_video(source.parent / "made.mp4", seconds=6.0), source)
        return clip.id


def _edit_first_line(page, text: str) -> None:
    cue = page.locator("ol.cues > li").first
    cue_id = cue.get_attribute("id")
    cue.locator("a.edit-link").click()
    page.locator(f"#{cue_id} textarea").fill(text)
    page.click(f"#{cue_id} button[type=submit]")
    page.wait_for_selector(f"#{cue_id} .cue-text")


def _render(app, page) -> None:
    page.check("input[name=profile][value=original]")
    page.click("form.render-form button[type=submit]")
    page.wait_for_selector("#clip-versions[hx-trigger]")
    assert run_jobs(app)
    page.wait_for_selector("#clip-versions:not([hx-trigger])", timeout=30_000)
    page.reload()


def _merchant_renders_twice_and_submits(app, page, base: str, clip_id: int) -> None:
    page.goto(f"{base}/media/clips/{clip_id}?lang=en")
    _edit_first_line(page, BANNED)
    _render(app, page)
    _edit_first_line(page, LINES[0][2])
    page.reload()
    review = page.inner_text("section[aria-labelledby=submit-heading]")
    assert "render again, then submit" in review
    assert page.locator("button:has-text('Submit version')").count() == 0
    _shoot(page, "merchant-must-render-again")
    _render(app, page)
    override_render_checks(page, "口播里的用语请老师审核")  # the checks hear the banned words too
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('Submit version 2 for review')")
    page.wait_for_url(f"{base}/media/clips/{clip_id}*")
    assert "Version 2 is waiting for a trainer's review." in page.inner_text("main")


def _trainer_approves_and_publishes(page, base: str, clip_id: int) -> None:
    page.goto(f"{base}/review/clips/{clip_id}?lang=en")
    assert "Submitted: version 2." in page.inner_text("main")
    assert "jade888" not in page.inner_text(".transcript-column ol.transcript")
    assert "jade888" in page.inner_text(".subtitle-diff")  # what changed since version 1
    flags = page.locator("#compliance-hits input[name=flags]")
    for index in range(flags.count()):  # one reason for every open flag
        flags.nth(index).check()
    page.fill("#compliance-hits textarea[name=reason]", "口播说的是直播间活动价，已核实")
    page.click("#compliance-hits .override-form button[type=submit]")
    page.wait_for_url(f"{base}/review/clips/{clip_id}*")
    _shoot(page, "trainer-version-2")
    page.check("input[name=decision][value=approve]")
    page.click("#decision button[type=submit]")
    page.wait_for_url(f"{base}/review/approved")
    page.goto(f"{base}/review/clips/{clip_id}")
    page.click("#publishing button.primary")
    page.wait_for_url(f"{base}/review/clips/{clip_id}*")


def test_the_library_shows_exactly_the_version_the_trainer_approved(
    app, live_server, browser, make_user, merchant_org, make_item
):
    item = make_item(merchant_org, sku="JADE-5", name="冰种翡翠手镯", cert_lab="NGTC",
                     cert_number="N-5")  # fmt: skip
    clip_id = _draft_clip(app, merchant_org, item)
    merchant = sign_in(
        open_page(browser, DESKTOP, timeout_ms=20_000), live_server,
        make_user(Role.MERCHANT, merchant_org).email, TEST_PASSWORD,
    )  # fmt: skip
    trainer = sign_in(
        open_page(browser, DESKTOP, timeout_ms=20_000), live_server,
        make_user(Role.TRAINER).email, TEST_PASSWORD,
    )  # fmt: skip

    _merchant_renders_twice_and_submits(app, merchant, live_server, clip_id)
    _trainer_approves_and_publishes(trainer, live_server, clip_id)
    merchant.goto(f"{live_server}/media/clips/{clip_id}")
    assert "Version 2 is live in the library." in merchant.inner_text("main")
    _shoot(merchant, "merchant-live")

    with app.app_context():
        clip = db.session.get(Clip, clip_id)
        first, second = db.session.scalars(select(ClipVersion).order_by(ClipVersion.number))
        assert (clip.state, clip.review_version_id) == (ClipState.PUBLISHED, second.id)
        approved_video = version_file(second, "video").read_bytes()
        banned_video = version_file(first, "video").read_bytes()
    phone = browser.new_context(viewport=PHONE).new_page()
    phone.goto(f"{live_server}/library/clips/{clip_id}")
    assert (
        phone.evaluate(
            """async () => { const v = document.querySelector('video'); v.muted = true;
            await v.play(); await new Promise(r => setTimeout(r, 800)); return v.currentTime; }"""
        )
        > 0.2
    )
    _shoot(phone, "visitor-phone")
    served = phone.request.get(f"{live_server}/library/clips/{clip_id}/video").body()
    assert served == approved_video
    assert served != banned_video
    subtitles = phone.request.get(f"{live_server}/library/clips/{clip_id}/vtt").text()
    assert "jade888" not in subtitles
    assert LINES[0][2] in subtitles
    for page in (merchant, trainer):
        page.context.close()
    phone.context.close()
