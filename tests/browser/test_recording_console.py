"""The recording page stays free of console errors while its transcription finishes.

Issue #19 saw five "Applying inline style violates … style-src 'self'" messages there. The page
polls its status (htmx swaps), reloads on HX-Refresh when the job ends, and plays the video with
its captions; every console message of the whole visit is kept, and the check is shown to catch
such a violation by adding a style attribute at the end.
"""

from __future__ import annotations

import time

import pytest

from portal.auth.models import Role
from tests.conftest import TEST_PASSWORD
from tests.media.recordings.helpers import ingest, run_jobs
from tests.support.browser import open_page
from tests.support.mediagen import make_english_speech, make_video_with_audio
from tests.support.pages import DESKTOP, sign_in

pytestmark = pytest.mark.browser

CSP_VIOLATION = "violates the following Content Security Policy directive"


def test_merchant_watching_a_transcription_finish_sees_no_csp_violation(
    app, browser, live_server, make_user, merchant_org, tmp_path
) -> None:
    speech = make_english_speech("The jade bangle is on sale today.", tmp_path / "speech.wav")
    video = make_video_with_audio(speech, tmp_path / "stream.mp4")
    recording_id = ingest(app, merchant_org, video, title="周三晚场")
    page = open_page(browser, DESKTOP)
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    sign_in(page, live_server, make_user(Role.MERCHANT, merchant_org).email, TEST_PASSWORD)
    page.goto(f"{live_server}/media/recordings/{recording_id}")
    assert page.locator("#recording-status[hx-trigger]").count() == 1  # it polls
    assert run_jobs(app)
    page.wait_for_selector("ol.transcript li.sentence", timeout=30_000)  # HX-Refresh reloaded
    page.evaluate("() => { const v = document.querySelector('#player'); v.muted = true; v.play() }")
    time.sleep(3)  # the caption track renders its cue
    assert not [text for text in messages if CSP_VIOLATION in text], messages
    assert not page.console_errors

    page.evaluate("() => document.body.insertAdjacentHTML('beforeend', '<i style=\"color:red\">')")
    page.wait_for_timeout(500)
    assert [text for text in messages if CSP_VIOLATION in text]  # the check would see one
    page.context.close()
