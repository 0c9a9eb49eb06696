"""Everyone finds what waits for them on the home page: the trainer finds a submitted clip,
approves it, lands on the approved list and publishes from it (no dead end); the merchant's home
shows its clips by state and a recording still transcribing. Phone and desktop, zh and en."""

from __future__ import annotations

import pytest
from flask import Flask

from media.clips.models import Clip, ClipState
from media.recordings.models import Recording
from media.recordings.services import TRANSCRIBE_JOB
from portal.extensions import db
from portal.jobs.models import Job, JobState
from tests.journeys.conftest import VIEWS
from tests.support.clipdata import add_clip_with_media

pytestmark = pytest.mark.browser

TITLE = "冰种手镯怎么看水头"


def _stage(app: Flask, demo) -> int:
    """A clip of 翠玉坊 in review, one published, one draft, a recording transcribing."""
    org, item = demo.org_ids["cuiyufang"], demo.item_ids["CY-001"]
    waiting = add_clip_with_media(app, org, [item], title=TITLE, texts=("这款冰种手镯水头很足",))
    add_clip_with_media(
        app, org, [item], title="籽料皮色讲解", texts=("皮色是自然形成的",),
        state=ClipState.PUBLISHED,
    )  # fmt: skip
    with app.app_context():
        recording = Recording(org_id=org, title="周六晚场直播", stored_name="r.mp4")
        db.session.add(recording)
        db.session.flush()
        db.session.add(Job(
            kind=TRANSCRIBE_JOB, subject_type="Recording", subject_id=recording.id, org_id=org,
            state=JobState.RUNNING, step="transcribing", progress=37,
        ))  # fmt: skip
        db.session.commit()
    return waiting


@pytest.mark.parametrize(("viewport", "locale"), VIEWS)
def test_trainer_finds_approves_and_publishes_from_home_merchant_sees_clips_by_state(
    app, visit, demo, viewport, locale
):
    clip_id = _stage(app, demo)

    trainer = visit("trainer", viewport, locale)
    page = trainer.sign_in(demo.emails["trainer"], demo.password)
    assert TITLE in page.inner_text("#home-waiting")
    trainer.check("home")
    page.click(f"#home-waiting a[href='/review/clips/{clip_id}']")
    page.wait_for_url(f"**/review/clips/{clip_id}")
    page.check("input[name=decision][value=approve]")
    page.click("#decision button[type=submit]")
    page.wait_for_url("**/review/approved")
    assert TITLE in page.inner_text("#approved-clips")
    trainer.check("approved")
    page.goto(trainer.base_url + "/")
    assert TITLE in page.inner_text("#home-approved")  # also on the home page
    with page.expect_navigation(url=f"**/review/clips/{clip_id}*"):
        page.click(f"#home-approved form[action='/review/clips/{clip_id}/publish'] button")
    assert page.locator(f"#publishing a[href='/library/clips/{clip_id}']").is_visible()
    with app.app_context():
        assert db.session.get(Clip, clip_id).state == ClipState.PUBLISHED

    merchant = visit("merchant", viewport, locale)
    page = merchant.sign_in(demo.emails["merchant"], demo.password)
    assert TITLE in page.inner_text("#my-clips")
    assert page.locator("#transcribing progress[value='37']").count() == 1
    merchant.check("home")
    page.click("#my-clips a[href='/clips/published']")
    page.wait_for_url("**/clips/published")
    assert TITLE in page.inner_text("main")
    merchant.check("clips-published")
