"""A merchant at a desktop makes a clip in the workshop, corrects a subtitle and renders it.

The stream is really transcribed (Whisper) and rendered (ffmpeg) by ``run_queued_jobs`` in the
test thread, while the page in Chromium polls the live server.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from portal.auth.models import Role
from portal.extensions import db
from portal.jobs.queue import queue_of
from tests.conftest import TEST_PASSWORD
from tests.media.clips.helpers import (
    add_catalog,
    misheard_sentence,
    sentences,
    undo_url_of_heard_otherwise,
)
from tests.media.recordings.helpers import ingest, load_job, run_jobs
from tests.support.axe import assert_accessible
from tests.support.browser import PHONE, open_page
from tests.support.pages import sign_in

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
SHOTS = Path("/tmp/shots")


@pytest.fixture
def desktop(browser):
    """A desktop-sized page that records console errors."""
    page = open_page(browser, DESKTOP, timeout_ms=15_000)
    yield page
    page.context.close()


def _shoot(page, tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    SHOTS.mkdir(exist_ok=True)
    shutil.copy(path, SHOTS / path.name)
    return path


def test_merchant_makes_corrects_and_renders_a_clip_that_plays(
    app, live_server, desktop, make_user, merchant_org, workshop_video, tmp_path
):
    page = desktop
    merchant = make_user(Role.MERCHANT, merchant_org, name="陈老板")
    with app.app_context():
        item_ids = add_catalog(merchant_org.id)
    recording_id = ingest(app, merchant_org, workshop_video)
    assert run_jobs(app)
    assert load_job(app, recording_id).state == "succeeded"

    sign_in(page, live_server, merchant.email, TEST_PASSWORD)
    # Item finding wrote the misheard "jade stone bangle" as the catalog spells it: undo that.
    undo = undo_url_of_heard_otherwise(app, recording_id)
    page.goto(f"{live_server}/media/recordings/{recording_id}")
    page.click(f"form[action='{undo}'] button")
    page.wait_for_selector(f"form[action='{undo}']", state="detached")  # htmx swapped the line
    assert run_jobs(app)  # the mention refresh
    found = sentences(app, recording_id)
    first, heard = misheard_sentence(found)
    second = found[first.position + 1]

    page.goto(f"{live_server}/media/recordings/{recording_id}/workshop")
    assert page.locator(".timeline .lane").count() == 2
    assert page.locator("#suggestions li.suggestion").count() == 2
    play, make = page.locator("#suggestions li.suggestion").first.locator(".actions button").all()
    assert play.bounding_box()["y"] == make.bounding_box()["y"]  # one row of actions
    mark = page.locator(".timeline .lane").nth(1).locator("rect.mark").first
    mark.click()  # an SVG mark of the necklace's lane: play from that mention
    seconds = float(mark.get_attribute("data-seek"))
    page.wait_for_function(
        f"() => Math.abs(document.querySelector('#player')?.currentTime - {seconds}) < 1.5"
    )
    page.evaluate("document.querySelector('#player').pause()")
    page.click(f"[data-pick='{first.position}']")
    page.click(f"[data-pick='{second.position}']", modifiers=["Shift"])
    assert page.locator("ol.selectable li.selected").count() == 2
    assert page.input_value("#first_sentence") == str(first.position)
    assert page.input_value("#last_sentence") == str(second.position)
    assert "2" in page.inner_text("[data-selection-summary]")
    page.fill("#title", "手镯透光")
    page.click("details.clip-items > summary")  # the items list opens on demand
    page.check(f"input[name=item_ids][value='{item_ids['bangle']}']")
    page.evaluate("window.scrollTo(0, 0)")
    _shoot(page, tmp_path, "workshop-selection")
    page.click(".selection-bar button[form=new-clip-form]")
    page.wait_for_url(f"{live_server}/media/clips/*")
    assert "手镯透光" in page.inner_text("main h1")

    cue = page.locator("ol.cues > li").first
    cue_id = cue.get_attribute("id")
    cue.locator("a.edit-link").click()  # htmx swaps the line for its form
    textarea = page.locator(f"#{cue_id} textarea")
    textarea.fill(first.text.replace(heard, "jadeite bangle"))
    page.click(f"#{cue_id} button[type=submit]")
    page.wait_for_selector(f"#{cue_id} .cue-text")
    assert "jadeite bangle" in page.inner_text(f"#{cue_id} .cue-text")
    assert page.locator("#alias-offers form.alias-offer").count() == 1
    assert f"“{heard}”" in page.inner_text("#alias-offers")
    _shoot(page, tmp_path, "editor-corrected")
    clip_url = page.url
    page.click("#alias-offers button[type=submit]")
    page.wait_for_url(clip_url)  # back in the editor, the offer taken
    assert page.locator(".flash-success").count() == 1
    assert page.locator("#alias-offers form.alias-offer").count() == 0

    page.check("input[name=profile][value=vertical]")
    page.click("form.render-form button[type=submit]")
    page.wait_for_selector("#clip-versions[hx-trigger]")  # the page polls the render
    assert run_jobs(app)  # the render job, here, while the page keeps polling
    page.wait_for_selector("video.clip-video", timeout=30_000)  # HX-Refresh reloaded it

    playing = page.evaluate(
        """async () => {
            const video = document.querySelector("video.clip-video");
            video.muted = true;
            await video.play();
            await new Promise((done) => setTimeout(done, 1500));
            return {time: video.currentTime, ready: video.readyState,
                    width: video.videoWidth, height: video.videoHeight};
        }"""
    )
    assert playing["time"] > 0.5
    assert playing["ready"] >= 2
    assert (playing["width"], playing["height"]) == (720, 1280)
    page.evaluate("document.querySelector('video.clip-video').pause()")
    shot = _shoot(page, tmp_path, "editor-rendered")
    assert shot.stat().st_size > 20_000

    csp_errors = [e for e in page.console_errors if "Content Security Policy" in e]
    assert csp_errors == []
    assert page.console_errors == []
    with app.app_context():
        queue_of(app).huey.flush()
        db.session.remove()


def _sign_in(page, live_server: str, user) -> None:
    sign_in(page, live_server, user.email, TEST_PASSWORD)


def _player_near(page, seconds: float) -> None:
    page.wait_for_function(
        f"() => Math.abs(document.querySelector('#player')?.currentTime - {seconds}) < 1.5"
    )


def _middle_of_sentence_at(page, seconds: float) -> float:
    """The middle of the first transcript sentence that ends after ``seconds``."""
    return page.evaluate(
        """(seconds) => {
          const spans = [...document.querySelectorAll('ol.selectable li[data-start]')]
            .map((li) => [parseFloat(li.dataset.start), parseFloat(li.dataset.end)]);
          const [start, end] = spans.find(([, end]) => end > seconds);
          return (start + end) / 2;
        }""",
        seconds,
    )


def _sentence_playing(page) -> str:
    """The position of the highlighted sentence, once the highlight has caught up with the
    paused player (it moves on the player's next timeupdate)."""
    handle = page.wait_for_function(
        """() => {
          const t = document.querySelector('#player')?.currentTime;
          const li = document.querySelector('ol.selectable li.current');
          return li && t >= parseFloat(li.dataset.start) && t < parseFloat(li.dataset.end)
            && li.querySelector('[data-pick]').getAttribute('data-pick');
        }"""
    )
    return handle.json_value()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_merchant_clicks_the_stream_overview_to_play_from_there(
    app, live_server, browser, make_user, merchant_org, workshop_video, tmp_path, viewport
):
    merchant = make_user(Role.MERCHANT, merchant_org)
    with app.app_context():
        add_catalog(merchant_org.id)
    recording_id = ingest(app, merchant_org, workshop_video)
    assert run_jobs(app)
    page = open_page(browser, viewport, timeout_ms=15_000)
    _sign_in(page, live_server, merchant)

    page.goto(f"{live_server}/media/recordings/{recording_id}/workshop")
    strip = page.locator("[data-overview]")
    page.wait_for_function("() => document.querySelector('.overview-thumbs')?.naturalWidth > 0")
    duration = float(strip.get_attribute("data-duration"))
    box = strip.bounding_box()
    lane = page.locator(".timeline svg.lane-marks").first.bounding_box()
    assert (round(box["x"]), round(box["width"])) == (round(lane["x"]), round(lane["width"]))
    page.mouse.click(box["x"] + box["width"] * 0.75, box["y"] + box["height"] / 2)
    _player_near(page, 0.75 * duration)
    page.evaluate("document.querySelector('#player').pause()")
    head = page.locator("[data-overview-playhead]").bounding_box()
    assert abs(head["x"] - (box["x"] + 0.75 * box["width"])) < 0.03 * box["width"]
    assert abs(int(strip.get_attribute("aria-valuenow")) - 0.75 * duration) < 2
    strip.scroll_into_view_if_needed()
    _shoot(page, tmp_path, f"workshop-overview-{viewport['width']}")
    assert_accessible(page)

    strip.focus()
    page.keyboard.press("Home")
    _player_near(page, 0)
    page.keyboard.press("PageUp")  # a tenth of the stream on
    _player_near(page, 0.1 * duration)

    # A clip from the overview: click where the stream was, pick the sentence playing there
    # (the middle of the sentence at 60 %: a click into the pause between two has none playing).
    spoken = _middle_of_sentence_at(page, 0.6 * duration)
    box = strip.bounding_box()  # the page may have scrolled since
    page.mouse.click(box["x"] + box["width"] * spoken / duration, box["y"] + box["height"] / 2)
    _player_near(page, spoken)
    page.evaluate("document.querySelector('#player').pause()")
    position = _sentence_playing(page)
    page.click(f'ol.selectable [data-pick="{position}"]')
    assert page.input_value("#first_sentence") == position
    page.fill("#title", "从概览剪的片段")
    page.click(".selection-bar button[form=new-clip-form]")
    page.wait_for_url(f"{live_server}/media/clips/*")
    assert "从概览剪的片段" in page.inner_text("main h1")
    assert page.console_errors == []
    page.context.close()
