"""A merchant on a phone drags edges of a clip's kept ranges on the editor's timeline.

The stream is really transcribed (Whisper): the edges snap to the words it recognised. One edge
is dragged with the mouse, one with a finger (touch events through the DevTools protocol), one
nudged a word with the keyboard; each move is still there after a reload.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import select

from media.clips import cutting
from media.clips.models import Clip
from media.clips.services import create_clip
from media.recordings.models import Recording
from media.transcripts.models import Transcript, Word
from portal.auth.models import Role, User
from portal.extensions import db
from tests.conftest import TEST_PASSWORD
from tests.media.clips.helpers import add_catalog
from tests.media.recordings.helpers import ingest, load_job, run_jobs
from tests.support.axe import assert_accessible
from tests.support.browser import PHONE, open_page
from tests.support.pages import DESKTOP, save_small_png, screenshot_folder, sign_in, wait_for_htmx

pytestmark = pytest.mark.browser

HANDLE = "[data-ct-handle][data-range='{}'][data-edge='{}']"


def _clip_with_a_cut(app, merchant: User, org, recording_id: int) -> int:
    """Sentences 1–3 with sentence 2 cut out: two kept ranges."""
    with app.app_context():
        item_ids = add_catalog(org.id)
        recording = db.session.get(Recording, recording_id)
        actor = db.session.get(User, merchant.id)
        clip = create_clip(
            recording, actor, first_sentence=1, last_sentence=3,
            item_ids=[item_ids["bangle"]], title="手镯透光",
        )  # fmt: skip
        cutting.delete_sentence(clip, recording, actor, 2)
        return clip.id


def _kept(app, clip_id: int) -> list[tuple[int, int]]:
    with app.app_context():
        return db.session.get(Clip, clip_id).kept


def _word_edges(app, recording_id: int) -> tuple[set[int], set[int]]:
    with app.app_context():
        found = db.session.execute(
            select(Word.start_ms, Word.end_ms)
            .join(Transcript, Transcript.id == Word.transcript_id)
            .where(Transcript.recording_id == recording_id)
        ).all()
    return {start for start, _ in found}, {end for _, end in found}


def _centre(page, selector: str) -> tuple[float, float]:
    box = page.locator(selector).bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def _handle_ms(page, range_index: int, edge: str) -> int:
    return int(page.get_attribute(HANDLE.format(range_index, edge), "data-ms"))


def _wait_for_handle_at(page, range_index: int, edge: str, ms: int) -> None:
    """Wait until the (swapped) timeline shows that handle at ``ms``."""
    page.wait_for_function(
        "([sel, ms]) => { const h = document.querySelector(sel);"
        " return h && !document.querySelector('.htmx-request') && h.dataset.ms === String(ms); }",
        arg=[HANDLE.format(range_index, edge), ms],
    )


@contextmanager
def _saving(page) -> Iterator[None]:
    """Wait for the edge the block moves to be posted, and for htmx to swap the answer in."""
    with page.expect_response(lambda answer: answer.url.endswith("/edges")):
        yield
    wait_for_htmx(page)


def _drag_with_mouse(page, selector: str, dx: float) -> None:
    x, y = _centre(page, selector)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx, y, steps=8)
    page.mouse.up()


def _drag_with_finger(page, selector: str, dx: float) -> None:
    x, y = _centre(page, selector)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 1})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, 9):
        point = {"x": x + dx * step / 8, "y": y}
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def _shoot(page, name: str) -> None:
    folder = screenshot_folder()
    if folder is not None:
        page.evaluate("document.getElementById('clip-timeline').scrollIntoView({block: 'center'})")
        save_small_png(page.screenshot(), folder / name)


def test_merchant_drags_range_edges_on_the_timeline_on_a_phone(
    app, live_server, browser, make_user, merchant_org, workshop_video
):
    merchant = make_user(Role.MERCHANT, merchant_org, name="陈老板")
    recording_id = ingest(app, merchant_org, workshop_video)
    assert run_jobs(app)
    assert load_job(app, recording_id).state == "succeeded"
    clip_id = _clip_with_a_cut(app, merchant, merchant_org, recording_id)
    before = _kept(app, clip_id)
    starts, ends = _word_edges(app, recording_id)
    page = open_page(browser, PHONE, timeout_ms=20_000)
    sign_in(page, live_server, merchant.email, TEST_PASSWORD)
    page.goto(f"{live_server}/media/clips/{clip_id}")
    assert page.locator("[data-ct-range]").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # The first range's end, 40 px to the left with the mouse: htmx swaps the timeline.
    with _saving(page):
        _drag_with_mouse(page, HANDLE.format(0, "end"), -40)
    first_end = _kept(app, clip_id)[0][1]
    assert first_end < before[0][1]
    assert first_end in ends
    _wait_for_handle_at(page, 0, "end", first_end)

    # The second range's start, 30 px to the right with a finger.
    with _saving(page):
        _drag_with_finger(page, HANDLE.format(1, "start"), 30)
    second_start = _kept(app, clip_id)[1][0]
    assert second_start > before[1][0]
    assert second_start in starts
    _wait_for_handle_at(page, 1, "start", second_start)

    # The keyboard: the second range's start goes back one word.
    page.focus(HANDLE.format(1, "start"))
    with _saving(page):
        page.keyboard.press("ArrowLeft")
    back = max(t for t in starts if t < second_start)
    _wait_for_handle_at(page, 1, "start", back)
    assert _kept(app, clip_id) == [(before[0][0], first_end), (back, before[1][1])]

    # In, a word later with the keyboard: the page reloads and the handle has the focus again.
    later = min(t for t in starts if before[0][0] < t < first_end - 100)
    page.focus(HANDLE.format(0, "start"))
    with page.expect_navigation():
        page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "sel => document.activeElement === document.querySelector(sel)",
        arg=HANDLE.format(0, "start"),
    )
    assert _kept(app, clip_id)[0] == (later, first_end)

    # A click on the timeline past the clip plays from there; the playhead shows where.
    box = page.locator("[data-ct-track]").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.95, box["y"] + 6)
    page.wait_for_function(
        "() => { const s = document.querySelector('[data-clip-timeline]');"
        " const t = document.querySelector('video[data-player]')?.currentTime * 1000;"
        " const from = +s.dataset.spanStartMs, want = from + 0.95 * (s.dataset.spanEndMs - from);"
        " return Math.abs(t - want) < 500 && !s.querySelector('[data-ct-playhead]').hidden; }"
    )

    page.reload()
    assert _handle_ms(page, 0, "start") == later
    assert _handle_ms(page, 0, "end") == first_end
    assert _handle_ms(page, 1, "start") == back
    assert page.console_errors == []
    assert_accessible(page)  # the handles' touch areas do not cover each other
    _shoot(page, "editor-timeline-390.png")
    page.set_viewport_size(DESKTOP)
    _shoot(page, "editor-timeline-1366.png")
    page.context.close()
