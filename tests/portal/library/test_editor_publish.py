"""Publish buttons: the editor's (when the merchant may publish, then a library link) and the
review page's unpublish (only for published clips)."""

from __future__ import annotations

import pytest

from media.clips.models import Clip, ClipState
from portal.extensions import db
from tests.portal.helpers import flashes, forms_of, in_english


def _publish_forms(html, clip_id):
    return [f for f in forms_of(html) if f.action == f"/review/clips/{clip_id}/publish"]


@pytest.mark.parametrize("app_config", [{"MERCHANT_CAN_PUBLISH": True}])
def test_merchant_publishes_from_the_editor_when_the_setting_allows_it(
    app, client_as, merchant, merchant_org, make_library_clip
):
    clip_id = make_library_clip(merchant_org, state=ClipState.APPROVED)
    browser = in_english(client_as(merchant))
    page = browser.get(f"/media/clips/{clip_id}")
    [form] = _publish_forms(page.text, clip_id)
    assert ">Publish</button>" in page.text

    assert browser.post(form.action, data=form.fields).status_code == 302
    with app.app_context():
        assert db.session.get(Clip, clip_id).state == ClipState.PUBLISHED
    published = browser.get(f"/media/clips/{clip_id}").text
    assert not _publish_forms(published, clip_id)
    assert "view in the library" in published
    assert f'href="/library/clips/{clip_id}"' in published


def test_merchant_sees_no_publish_button_when_the_setting_is_off(
    client_as, merchant, merchant_org, make_library_clip
):
    clip_id = make_library_clip(merchant_org, state=ClipState.APPROVED)
    page = in_english(client_as(merchant)).get(f"/media/clips/{clip_id}")
    assert page.status_code == 200
    assert not _publish_forms(page.text, clip_id)
    assert "view in the library" not in page.text


@pytest.mark.parametrize("app_config", [{"MERCHANT_CAN_PUBLISH": True}])
def test_merchant_sees_no_publish_button_before_approval(
    client_as, merchant, merchant_org, make_library_clip
):
    clip_id = make_library_clip(merchant_org, state=ClipState.IN_REVIEW)
    page = in_english(client_as(merchant)).get(f"/media/clips/{clip_id}")
    assert not _publish_forms(page.text, clip_id)


def test_published_clip_links_to_the_library_even_when_merchants_cannot_publish(
    client_as, merchant, merchant_org, make_library_clip
):
    clip_id = make_library_clip(merchant_org, state=ClipState.PUBLISHED)
    page = in_english(client_as(merchant)).get(f"/media/clips/{clip_id}")
    assert "view in the library" in page.text
    assert f'href="/library/clips/{clip_id}"' in page.text


def test_trainer_sees_no_unpublish_button_on_a_clip_in_review_and_cannot_unpublish_it(
    app, client_as, trainer, merchant_org, make_library_clip
):
    clip_id = make_library_clip(merchant_org, state=ClipState.IN_REVIEW)
    browser = in_english(client_as(trainer))
    page = browser.get(f"/review/clips/{clip_id}")
    assert f"/review/clips/{clip_id}/unpublish" not in page.text
    assert "Take out of the library" not in page.text

    refused = browser.post(f"/review/clips/{clip_id}/unpublish")
    assert refused.status_code == 302  # back on the review page, the reason flashed
    assert "Only a published clip can be taken out of the library." in flashes(
        browser.get(refused.location).text
    )
    with app.app_context():
        assert db.session.get(Clip, clip_id).state == ClipState.IN_REVIEW
