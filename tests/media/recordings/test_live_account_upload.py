"""The upload form says which live account streamed the recording (only the organisation's own)."""

from __future__ import annotations

import re

from media.recordings.models import Recording
from portal.extensions import db
from portal.team.models import LiveAccount, Platform
from tests.media.recordings.helpers import count, load_recording
from tests.portal.helpers import field_errors, in_english
from tests.support.uploads import tus_upload


def _account(app, org_id: int, name: str) -> int:
    with app.app_context():
        account = LiveAccount(org_id=org_id, platform=Platform.KUAISHOU, name=name, studio="1号")
        db.session.add(account)
        db.session.commit()
        return account.id


def test_merchant_adds_a_recording_under_a_live_account_not_another_organisations(
    app, client_as, merchant, merchant_org, make_org, speech_video
):
    ours, theirs = (
        _account(app, merchant_org.id, "翠玉快手号"),
        _account(app, make_org().id, "别家"),
    )
    browser = in_english(client_as(merchant))
    form = {"title": "Friday stream", "language": "en"}
    upload_id = tus_upload(browser, speech_video.read_bytes(), "friday.mp4")
    assert "Kuaishou · 翠玉快手号 (1号)" in browser.get("/media/recordings/").text

    refused = browser.post(
        "/media/recordings/", data=form | {"upload_id": upload_id, "live_account_id": theirs}
    )
    added = browser.post(
        "/media/recordings/", data=form | {"upload_id": upload_id, "live_account_id": ours}
    )

    assert refused.status_code == 200
    assert field_errors(refused.text, "live_account_id") == ["Not a valid choice."]
    assert added.status_code == 302
    recording_id = int(re.fullmatch(r"/media/recordings/(\d+)", added.location).group(1))
    assert load_recording(app, recording_id).live_account_id == ours
    assert count(app, Recording) == 1
