"""A merchant edits a clip in the middle of a long stream: the editor shows a few minutes around
the clip, "more" widens it in place, and a sentence from the wider part becomes the new in.
On a phone and on a desktop (axe, no sideways scrolling, no console errors).

The recording's rows are built directly (2,000 sentences, one every 4 s: 2 h 13 min); its video
is a tiny MP4 of a still colour as long, so the player loads.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from media.recordings.models import Recording
from media.recordings.services import source_path
from portal.auth.models import Role
from portal.extensions import db
from portal.timecodes import format_timecode
from tests.conftest import TEST_PASSWORD
from tests.support.clipdata import add_clip_in_long_recording
from tests.support.mediagen import run_ffmpeg
from tests.support.pages import Visit, wait_for_htmx

pytestmark = pytest.mark.browser

SENTENCES = 2000
EVERY_S = 4


@pytest.fixture(scope="module")
def long_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("long-video") / "long.mp4"
    run_ffmpeg(
        "-f", "lavfi", "-i", f"color=c=0x2e7d5b:s=96x54:r=1:d={SENTENCES * EVERY_S}",
        "-c:v", "libx264", "-preset", "ultrafast", "-g", "60", "-pix_fmt", "yuv420p", str(out),
    )  # fmt: skip
    return out


@pytest.fixture
def clip_id(app, merchant_org, make_item, long_video) -> int:
    """A draft clip at 1:06:40 of the long recording, its video in place."""
    item = make_item(merchant_org)
    with app.app_context():
        clip = add_clip_in_long_recording(merchant_org.id, item.id, SENTENCES)
        path = source_path(db.session.get(Recording, clip.recording_id))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(long_video.read_bytes())
        return clip.id


def _picks(page) -> list[int]:
    picks = page.eval_on_selector_all(
        "#clip-sentences [data-pick]", "els => els.map(e => e.dataset.pick)"
    )
    return [int(n) for n in picks]


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_merchant_widens_the_editors_transcript_and_picks_an_earlier_in(
    app, live_server, browser, make_user, merchant_org, clip_id, viewport
):
    merchant = make_user(Role.MERCHANT, merchant_org)
    visit = Visit(browser, live_server, "clip-editor-long", viewport=viewport, locale="en")
    visit.sign_in(merchant.email, TEST_PASSWORD)
    page = visit.goto(f"/media/clips/{clip_id}")

    first = _picks(page)
    assert first[0] > 900  # 2 minutes before the clip at sentence 1000, not the whole stream
    assert len(first) < 80
    visit.check("editor")

    page.click("#clip-sentences-more a")
    page.wait_for_selector(f'#clip-sentences [data-pick="{first[0] - 25}"]')  # 100 s earlier
    wait_for_htmx(page)
    wider = _picks(page)
    assert wider[0] < first[0] - 25  # 4 minutes either side now
    assert "8 minutes" in page.inner_text("#clip-sentences-more")
    assert page.locator("#clip-sentences").count() == 1  # widened in place

    earlier = wider[0]
    page.click(f'#clip-sentences [data-pick="{earlier}"]')
    page.click(f'#clip-sentences [data-pick="{earlier + 5}"]', modifiers=["Shift"])
    assert page.input_value("[data-range-start]") == format_timecode(earlier * EVERY_S)
    assert page.locator("#clip-sentences li.selected").count() == 6
    visit.check("editor-more")
    visit.close()
