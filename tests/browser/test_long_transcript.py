"""A merchant reads a 4-hour transcript in pieces: scrolls until the next piece loads, jumps to a
time, finds a word, corrects a sentence far down; the highlight follows the player into a piece
not loaded yet. On a desktop and on a phone.

The recording's rows are built directly (3,600 sentences, one every 4 s); its video is a real
4-hour MP4 of a still colour (tiny: 96x54 at 1 frame a second, no sound), so the player seeks.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from media.recordings.models import Recording
from media.recordings.services import source_path
from media.transcripts.models import Sentence
from portal.auth.models import Role
from portal.extensions import db
from tests.conftest import TEST_PASSWORD
from tests.support.axe import assert_accessible
from tests.support.browser import open_page
from tests.support.long_transcript import FOUR_HOURS_S, add_long_recording, sentence_ids
from tests.support.mediagen import run_ffmpeg
from tests.support.pages import scroll_width, sign_in

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SHOTS = Path("/tmp/shots")
FAR = 3300  # the sentence at 3:40:00
FAR_TEXT = "这条南红玛瑙手串只剩最后三条，喜欢的抓紧。"


@pytest.fixture(scope="module")
def four_hour_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("long-video") / "long.mp4"
    run_ffmpeg(
        "-f", "lavfi", "-i", f"color=c=0x2e7d5b:s=96x54:r=1:d={FOUR_HOURS_S}",
        "-c:v", "libx264", "-preset", "ultrafast", "-g", "60", "-pix_fmt", "yuv420p", str(out),
    )  # fmt: skip
    return out


@pytest.fixture
def recording(app, merchant_org, four_hour_video) -> dict[str, object]:
    """The 4-hour recording (its file in place) and its sentence ids in time order."""
    with app.app_context():
        recording_id = add_long_recording(merchant_org.id, texts={FAR: FAR_TEXT})
        path = source_path(db.session.get(Recording, recording_id))
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(four_hour_video, path)
        return {"id": recording_id, "sentences": sentence_ids(recording_id)}


def wait_for_htmx(page) -> None:
    """Wait until no htmx request is in flight (a selector: the page's CSP forbids eval)."""
    page.wait_for_selector(".htmx-request", state="detached")


def _shoot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), caret="initial", animations="allow")


def _player_time(page) -> float:
    return page.evaluate("document.querySelector('#player').currentTime")


def _visible_in_transcript(page, selector: str) -> bool:
    """Tell whether the element is inside the transcript's visible box and the window."""
    return page.evaluate(
        """(selector) => {
            const box = document.querySelector(selector).getBoundingClientRect();
            const list = document.querySelector('#transcript').getBoundingClientRect();
            const top = Math.max(list.top, 0), bottom = Math.min(list.bottom, innerHeight);
            return box.bottom > top && box.top < bottom;
        }""",
        selector,
    )


def test_merchant_scrolls_jumps_finds_and_corrects_a_four_hour_transcript(
    app, live_server, browser, make_user, merchant_org, recording
):
    merchant = make_user(Role.MERCHANT, merchant_org)
    ids = recording["sentences"]
    page = open_page(browser, DESKTOP, timeout_ms=15_000)
    sign_in(page, live_server, merchant.email, TEST_PASSWORD)
    page.goto(f"{live_server}/media/recordings/{recording['id']}")
    assert page.locator("#transcript .sentence").count() == 150  # 0:00–10:00
    assert page.locator("#transcript .piece-pending").count() == 46
    _shoot(page, "long-transcript-desktop")

    # Scrolling (the wheel over the transcript) past what is there loads the next piece.
    page.hover(f"#sentence-{ids[10]}")
    for _ in range(40):
        page.mouse.wheel(0, 400)
        if page.locator(f"#sentence-{ids[150]}").count():
            break
    page.wait_for_selector(f"#sentence-{ids[150]}")  # 10:00–15:00
    wait_for_htmx(page)
    assert page.locator("#transcript .sentence").count() >= 225

    # A keyboard user reaching a piece's link: it loads as it comes into view, and the focus
    # moves to its first time button (not lost with the link).
    link = page.locator("#transcript .piece-pending a").last
    piece_id = link.evaluate("a => a.closest('.piece').id")
    link.focus()
    page.wait_for_selector(f"#{piece_id} .sentence button.seek:focus")

    # Jump to a time: the player seeks, its piece loads and shows the sentence.
    page.fill("#transcript-at", "2:00:00")
    page.press("#transcript-at", "Enter")
    page.wait_for_selector(f"#sentence-{ids[1800]}.found")
    assert abs(_player_time(page) - 7200) < 1
    wait_for_htmx(page)  # the pieces beside it, seen on the way, load too
    assert _visible_in_transcript(page, f"#sentence-{ids[1800]}")
    _shoot(page, "long-transcript-jumped")

    # A time beyond the end is refused in place.
    page.fill("#transcript-at", "4:10:00")
    page.press("#transcript-at", "Enter")
    page.wait_for_selector("#transcript-jump .error")
    assert "这个录像只有 4:00:00 长。" in page.inner_text("#transcript-jump .error")

    # The player moved into a piece not loaded yet: it loads and the highlight follows.
    page.evaluate("document.querySelector('#player').currentTime = 10001")
    page.wait_for_selector(f"#sentence-{ids[2500]}.current")

    # Find a word: the hit lists its time; choosing it opens that piece, shows it, seeks.
    page.fill("#transcript-q", "南红")
    page.press("#transcript-q", "Enter")
    hit = page.locator("ol.find-hits a")
    hit.first.wait_for()
    assert hit.count() == 1
    assert "3:40:00" in hit.inner_text()
    assert "1 句包含“南红”。" in page.inner_text("#transcript-find")
    hit.click()
    far = f"#sentence-{ids[FAR]}"
    page.wait_for_selector(f"{far}.found")
    assert abs(_player_time(page) - 13200) < 1
    wait_for_htmx(page)
    assert _visible_in_transcript(page, far)
    _shoot(page, "long-transcript-found")

    # Correct that sentence, far down the transcript.
    page.click(f"{far} a.edit-link")
    page.fill(f"{far} textarea", "这条南红玛瑙手串只剩最后两条。")
    page.click(f"{far} button[type=submit]")
    page.wait_for_selector(f"{far} .badge")
    assert page.inner_text(f"{far} .sentence-text") == "这条南红玛瑙手串只剩最后两条。"
    with app.app_context():
        edited = db.session.get(Sentence, ids[FAR]).edited_text
    assert edited == "这条南红玛瑙手串只剩最后两条。"

    errors = list(page.console_errors)
    assert_accessible(page)
    assert errors == []
    page.context.close()


def test_merchant_on_a_phone_jumps_and_finds_in_a_long_transcript(
    app, live_server, browser, make_user, merchant_org, recording
):
    merchant = make_user(Role.MERCHANT, merchant_org)
    ids = recording["sentences"]
    page = open_page(browser, PHONE, timeout_ms=15_000)
    sign_in(page, live_server, merchant.email, TEST_PASSWORD)
    page.goto(f"{live_server}/media/recordings/{recording['id']}")
    assert scroll_width(page) <= PHONE["width"]

    page.locator("#transcript-at").scroll_into_view_if_needed()
    _shoot(page, "long-transcript-phone")
    page.fill("#transcript-at", "1:00:00")
    page.click("#transcript-jump button[type=submit]")
    page.wait_for_selector(f"#sentence-{ids[900]}.found")
    assert _visible_in_transcript(page, f"#sentence-{ids[900]}")

    page.fill("#transcript-q", "")
    page.click("#transcript-find button[type=submit]")
    page.wait_for_selector("#transcript-find .error")
    assert "请填写要查找的字词。" in page.inner_text("#transcript-find")
    page.fill("#transcript-q", "玛瑙")
    page.click("#transcript-find button[type=submit]")
    page.locator("ol.find-hits a").first.wait_for()
    page.locator("#transcript-find .find-results").scroll_into_view_if_needed()
    _shoot(page, "long-transcript-phone-found")
    page.locator("ol.find-hits a").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(f"#sentence-{ids[FAR]}.found")
    assert _visible_in_transcript(page, f"#sentence-{ids[FAR]}")
    assert scroll_width(page) <= PHONE["width"]
    _shoot(page, "long-transcript-phone-hit")
    assert page.console_errors == []
    page.context.close()
