"""A merchant on a phone deletes a transcribed recording, confirming in the browser's dialog."""

from __future__ import annotations

import pytest

from media.recordings.models import Recording
from portal.auth.models import Role
from tests.conftest import TEST_PASSWORD
from tests.media.recordings.helpers import count, ingest, recording_files, run_jobs
from tests.support.mediagen import make_english_speech, make_video_with_audio
from tests.support.pages import PHONE, scroll_width, sign_in

pytestmark = pytest.mark.browser


def test_merchant_deletes_a_recording_after_confirming(
    app, live_server, page, make_user, merchant_org, tmp_path
):
    speech = make_english_speech("The jade bangle is on sale today.", tmp_path / "speech.wav")
    recording_id = ingest(
        app, merchant_org, make_video_with_audio(speech, tmp_path / "stream.mp4"), title="周三晚场"
    )
    assert run_jobs(app)
    merchant = make_user(Role.MERCHANT, merchant_org)
    sign_in(page, live_server, merchant.email, TEST_PASSWORD)
    page.goto(f"{live_server}/media/recordings/{recording_id}")
    assert scroll_width(page) <= PHONE["width"]
    button = page.locator("form.delete-recording button")
    assert button.inner_text() == "删除录像"

    dialogs: list[str] = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    button.click()
    assert dialogs == ["删除这个录像及其文字稿？删除后无法恢复。"]
    assert count(app, Recording) == 1  # dismissed: nothing happened

    page.once("dialog", lambda dialog: dialog.accept())
    button.click()
    page.wait_for_url(f"{live_server}/media/recordings/")
    assert "录像“周三晚场”已删除。" in page.inner_text("main")
    assert (count(app, Recording), recording_files(app)) == (0, [])
    assert page.console_errors == []
