"""A merchant sets the organisation's subtitle template and logo, then styles a clip in the
editor: the preview over the player follows the template, hook line and card switch as they
change, before anything is rendered.

The stream is really transcribed (Whisper). Screenshots go to ``BELTCAST_SCREENSHOTS`` when set.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import update

from media.clips.services import create_clip
from media.recordings.models import Recording
from portal.auth.models import Role, User
from portal.catalog import photos
from portal.catalog.models import Item
from portal.extensions import db
from tests.conftest import TEST_PASSWORD
from tests.media.clips.helpers import add_catalog
from tests.media.recordings.helpers import ingest, run_jobs
from tests.support.browser import PHONE, open_page
from tests.support.pages import save_small_png, screenshot_folder, sign_in

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 900}


def _shoot(page, name: str, *, full_page: bool = True) -> None:
    folder = screenshot_folder()
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        save_small_png(
            page.screenshot(full_page=full_page, caret="initial"), folder / f"{name}.png"
        )


def _jpeg(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (400, 400), colour).save(out, format="JPEG")
    return out.getvalue()


def _styled_clip(app, merchant: User, org, recording_id: int) -> int:
    """A clip about the bangle, which has a price, a certificate and a photo."""
    with app.app_context():
        item_ids = add_catalog(org.id)
        db.session.execute(
            update(Item)
            .where(Item.id == item_ids["bangle"])
            .values(price_cents=1280000, cert_lab="NGTC", cert_number="A2024-0188")
        )
        actor = db.session.get(User, merchant.id)
        bangle = db.session.get(Item, item_ids["bangle"])
        photos.add_photos(bangle, actor, [("bangle.jpg", _jpeg((40, 150, 90)))])
        recording = db.session.get(Recording, recording_id)
        clip = create_clip(
            recording, actor, first_sentence=1, last_sentence=3,
            item_ids=[item_ids["bangle"]], title="冰种翡翠手镯透光",
        )  # fmt: skip
        return clip.id


def test_merchant_sets_template_and_logo_and_previews_a_clips_style(
    app, live_server, browser, make_user, merchant_org, workshop_video, tmp_path: Path
):
    merchant = make_user(Role.MERCHANT, merchant_org, name="陈老板")
    recording_id = ingest(app, merchant_org, workshop_video)
    assert run_jobs(app)
    clip_id = _styled_clip(app, merchant, merchant_org, recording_id)
    logo = tmp_path / "logo.png"
    Image.new("RGBA", (300, 120), (190, 30, 40, 255)).save(logo)

    page = open_page(browser, PHONE, timeout_ms=15_000)
    sign_in(page, live_server, merchant.email, TEST_PASSWORD)

    page.goto(f"{live_server}/media/style")
    page.set_input_files("#logo", str(logo))
    page.click("form[enctype] button[type=submit]")
    expect(page.locator(".style-logo-current img")).to_be_visible()
    page.check("input[name=template][value=bold]")
    page.click("form:has(input[name=template]) button[type=submit]")
    expect(page.locator("input[name=template][value=bold]")).to_be_checked()
    expect(page.locator("img.style-logo")).to_have_count(3)
    _shoot(page, "style-settings-390")
    page.set_viewport_size(DESKTOP)
    _shoot(page, "style-settings-1366")

    page.goto(f"{live_server}/media/clips/{clip_id}")
    overlay = page.locator(".style-stage [data-style-overlay]")
    expect(overlay).to_have_attribute("data-template", "bold")  # the organisation's
    page.wait_for_function(
        "() => document.querySelector('.style-stage [data-style-overlay]')?.style.width > ''"
    )  # laid over the picture once the video's size is known
    expect(overlay.locator(".style-card strong")).to_have_text("翡翠手镯")
    page.check("#clip-style input[name=template][value=big]")
    expect(overlay).to_have_attribute("data-template", "big")
    expect(overlay).to_have_attribute("data-position", "centre")
    page.fill("#hook_text", "今天只看这一只")
    expect(overlay.locator("[data-style-hook]")).to_have_text("今天只看这一只")
    page.locator(".style-stage").scroll_into_view_if_needed()
    _shoot(page, "style-editor-preview-1366", full_page=False)

    page.click("#clip-style button[type=submit]")  # htmx swaps the section
    expect(page.locator("#clip-style")).to_contain_text("样式已保存")
    page.uncheck("#show_card")
    expect(overlay.locator(".style-card")).to_be_hidden()
    page.check("#show_card")
    page.set_viewport_size(PHONE)
    page.evaluate("window.scrollTo(0, 0)")
    _shoot(page, "style-editor-preview-390", full_page=False)
    assert page.console_errors == [], "\n".join(page.console_errors)
    page.context.close()
