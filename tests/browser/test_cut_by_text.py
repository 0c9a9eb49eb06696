"""A merchant on a phone cuts a sentence from the middle of a clip by text, then undoes it;
then selects words (taps, then the keyboard) and deletes them.

The stream is really transcribed (Whisper); htmx swaps the "cut by text" section in place.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from media.clips.services import create_clip
from media.recordings.models import Recording
from portal.auth.models import Role, User
from portal.extensions import db
from tests.conftest import TEST_PASSWORD
from tests.media.clips.helpers import add_catalog, sentences
from tests.media.recordings.helpers import ingest, load_job, run_jobs
from tests.support.browser import PHONE, open_page
from tests.support.pages import sign_in

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 900}
SHOTS = Path("/tmp/shots")


def _shoot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _three_sentence_clip(app, merchant: User, org, recording_id: int) -> int:
    with app.app_context():
        item_ids = add_catalog(org.id)
        recording = db.session.get(Recording, recording_id)
        clip = create_clip(
            recording, db.session.get(User, merchant.id), first_sentence=1, last_sentence=3,
            item_ids=[item_ids["bangle"]], title="手镯透光",
        )  # fmt: skip
        return clip.id


def test_merchant_cuts_a_middle_sentence_and_undoes_it_on_a_phone(
    app, live_server, browser, make_user, merchant_org, workshop_video
):
    merchant = make_user(Role.MERCHANT, merchant_org, name="陈老板")
    recording_id = ingest(app, merchant_org, workshop_video)
    assert run_jobs(app)
    assert load_job(app, recording_id).state == "succeeded"
    middle = sentences(app, recording_id)[2]
    clip_id = _three_sentence_clip(app, merchant, merchant_org, recording_id)
    page = open_page(browser, PHONE, timeout_ms=15_000)
    sign_in(page, live_server, merchant.email, TEST_PASSWORD)

    page.goto(f"{live_server}/media/clips/{clip_id}")
    row = page.locator("#cuts ol.cut-lines > li").nth(1)
    assert middle.text in row.inner_text()
    row.locator("button[type=submit]").click()  # htmx swaps the section
    page.wait_for_selector("#cuts ol.cut-lines > li.cut")
    assert middle.text in page.inner_text("#cuts li.cut del")
    assert page.locator("#cuts .kept-range").count() == 2
    page.locator("#cuts").scroll_into_view_if_needed()
    _shoot(page, "editor-cut-phone")
    page.set_viewport_size(DESKTOP)
    _shoot(page, "editor-cut-desktop")

    page.click("#cuts form:has(input[name=action][value=undo]) button")
    page.wait_for_selector("#cuts ol.cut-lines > li.cut", state="detached")
    assert page.locator("#cuts .kept-range").count() == 1
    page.set_viewport_size(PHONE)
    _select_and_delete_words(page)
    page.context.close()


def _select_and_delete_words(page) -> None:
    """Tap a word, then another: the run between is selected; Shift+arrow and Delete cut."""
    words = page.locator("#cuts ol.cut-lines > li").nth(1).locator("[data-word]")
    words.nth(1).click()
    words.nth(3).click()
    expect(page.locator("#cuts [data-word].selected")).to_have_count(3)
    expect(page.locator("[data-word-summary]")).to_contain_text("已选 3 个词")
    expect(page.locator("[data-word-action][value=cut_words]")).to_be_enabled()
    page.locator("[data-word-bar]").scroll_into_view_if_needed()
    _shoot(page, "editor-words-phone")

    words.nth(3).click()  # a new selection of one word, extended by the keyboard
    words.nth(3).focus()
    page.keyboard.press("Shift+ArrowRight")
    expect(page.locator("#cuts [data-word].selected")).to_have_count(2)
    page.keyboard.press("Delete")  # htmx swaps the section
    expect(page.locator("#cuts [data-word].word-cut")).to_have_count(2)
    expect(page.locator("#cuts")).to_contain_text("已删除所选的词。")
    assert page.locator("#cuts .kept-range").count() == 2
