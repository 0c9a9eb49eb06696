"""The library's clip page and the publish kit name the live account that streamed the clip."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from media.clips.models import Clip, ClipState, ClipVersion
from media.clips.rendering import live_account_facts
from media.recordings.models import Recording
from portal.auth.models import OrgRole, Role
from portal.extensions import db
from portal.team.models import LiveAccount, Platform
from tests.portal.helpers import in_english


@pytest.fixture
def streamed_clip(app, merchant_org, make_library_clip, write_media) -> int:
    """A published clip whose recording was streamed on 翠玉's Douyin account."""
    clip_id = make_library_clip(merchant_org)
    write_media(clip_id)
    with app.app_context():
        account = LiveAccount(
            org_id=merchant_org.id,
            platform=Platform.DOUYIN,
            name="翠玉珠宝官方",
            studio="2号直播间",
        )
        db.session.add(account)
        db.session.flush()
        recording = db.session.get(Recording, db.session.get(Clip, clip_id).recording_id)
        recording.live_account_id = account.id
        # As if said before rendering: the version keeps the account the clip page names.
        clip = db.session.get(Clip, clip_id)
        db.session.get(ClipVersion, clip.review_version_id).live_account = live_account_facts(clip)
        db.session.commit()
    return clip_id


def test_library_clip_page_names_the_account_without_its_studio(client, streamed_clip):
    page = in_english(client).get(f"/library/clips/{streamed_clip}").text

    assert "Live account: <bdi>Douyin · 翠玉珠宝官方</bdi>" in page
    assert "2号直播间" not in page


def test_publish_kit_card_names_the_account(client_as, merchant, streamed_clip):
    response = client_as(merchant).get(f"/media/clips/{streamed_clip}/kit.zip")

    card = json.loads(zipfile.ZipFile(io.BytesIO(response.data)).read("card.json"))
    assert card["live_account"] == {
        "platform": "抖音",
        "name": "翠玉珠宝官方",
        "studio": "2号直播间",
    }


def test_clip_editor_says_the_account_and_who_made_and_changed_the_clip(
    app, client_as, merchant, make_user, merchant_org, make_library_clip
):
    clip_id = make_library_clip(merchant_org, state=ClipState.DRAFT)
    colleague = make_user(Role.MERCHANT, merchant_org, org_role=OrgRole.STAFF, name="小李")
    with app.app_context():
        clip = db.session.get(Clip, clip_id)
        clip.created_by_id = merchant.id
        cue_id = clip.cues[0].id
        db.session.commit()

    saved = client_as(colleague).post(
        f"/media/clips/{clip_id}/cues/{cue_id}", data={"text": "这款翡翠手镯种水很好"}
    )
    page = in_english(client_as(merchant)).get(f"/media/clips/{clip_id}").text

    assert saved.status_code in (200, 302)
    assert f"Made by {merchant.name}" in page
    assert "last changed by 小李" in page
    assert "Live account: not said" in " ".join(page.split())
