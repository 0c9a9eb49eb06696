"""Publishing: compliance flags block it until overridden; who may publish; recalls to review."""

from __future__ import annotations

import re
from html import unescape

import pytest

from media.clips.models import Clip, ClipState
from portal.auth.models import Role
from portal.extensions import db
from portal.library.models import ComplianceOverride
from tests.portal.helpers import count_rows, field_errors, flashes, form_with, in_english

CONTACT_LINE = "喜欢的话加微信聊"


def _state(app, clip_id):
    with app.app_context():
        return db.session.get(Clip, clip_id).state


def _flag_values(html):
    return [unescape(v) for v in re.findall(r'name="flags" value="([^"]*)"', html)]


def test_trainer_cannot_publish_until_a_flag_is_overridden_with_a_reason(
    app, client_as, trainer, merchant_org, make_library_clip
):
    clip_id = make_library_clip(
        merchant_org, state=ClipState.APPROVED, cue_texts=("这款手镯水头很好", CONTACT_LINE)
    )
    browser = in_english(client_as(trainer))

    page = browser.get(f"/review/clips/{clip_id}").text
    button = re.search(r'<button type="submit" class="primary"[^>]*>Publish to the library', page)
    assert " disabled" in button.group(0)
    blockers = page[page.index('id="publish-blockers"') :]
    assert "Publishing is blocked" in blockers[:600]
    assert "加微信" in blockers[:600]

    form = form_with(page, "reason")
    action = form.action.split("#")[0]
    values = _flag_values(page)
    empty = browser.post(action, data={**form.fields, "flags": values, "reason": "  "})
    assert empty.status_code == 200
    assert field_errors(empty.text, "reason") == ["Write why these lines may stay."]
    assert count_rows(app, ComplianceOverride) == 0

    reason = "商家在直播间内回复，不是站外引流"
    saved = browser.post(action, data={**form.fields, "flags": values, "reason": reason})
    assert saved.status_code == 302
    page = browser.get(f"/review/clips/{clip_id}").text
    assert reason in page
    assert 'id="publish-blockers"' not in page
    assert browser.post(f"/review/clips/{clip_id}/publish").status_code == 302
    assert _state(app, clip_id) == ClipState.PUBLISHED
    with app.app_context():
        override = db.session.scalar(db.select(ComplianceOverride))
        assert (override.term, override.reason, override.trainer_id) == (
            "加微信",
            reason,
            trainer.id,
        )


def test_a_publish_post_with_open_flags_comes_back_to_the_review_page_with_the_reason(
    app, client_as, trainer, merchant_org, make_library_clip
):
    """A stale page or a race: the refused publish is a flash message on the review page."""
    clip_id = make_library_clip(merchant_org, state=ClipState.APPROVED, cue_texts=(CONTACT_LINE,))
    browser = in_english(client_as(trainer))

    refused = browser.post(f"/review/clips/{clip_id}/publish")
    assert refused.status_code == 302
    assert refused.location.endswith(f"/review/clips/{clip_id}#publishing")
    page = browser.get(refused.location)
    assert page.status_code == 200
    flash = page.text[page.text.index("flash-error") :][:400]
    assert "Publishing is blocked" in flash
    assert "加微信" in flash
    assert _state(app, clip_id) == ClipState.APPROVED


def test_a_line_changed_after_approval_still_blocks_publishing(
    app, client_as, trainer, merchant_org, make_library_clip
):
    """The check reads the approved version, not the clip's current lines (issue 14 §1)."""
    clip_id = make_library_clip(merchant_org, state=ClipState.APPROVED, cue_texts=(CONTACT_LINE,))
    browser = in_english(client_as(trainer))
    browser.post(f"/review/clips/{clip_id}/publish")
    assert _state(app, clip_id) == ClipState.APPROVED
    with app.app_context():
        db.session.get(Clip, clip_id).cues[0].text = "喜欢的话在直播间下单"
        db.session.commit()

    assert 'name="flags"' in browser.get(f"/review/clips/{clip_id}").text
    browser.post(f"/review/clips/{clip_id}/publish")
    assert _state(app, clip_id) == ClipState.APPROVED


def test_merchant_cannot_publish_unless_the_setting_allows_it(
    app, client_as, merchant, merchant_org, make_library_clip
):
    clip_id = make_library_clip(merchant_org, state=ClipState.APPROVED)
    assert client_as(merchant).post(f"/review/clips/{clip_id}/publish").status_code == 403
    assert _state(app, clip_id) == ClipState.APPROVED


@pytest.mark.parametrize("app_config", [{"MERCHANT_CAN_PUBLISH": True}])
def test_merchant_publishes_and_unpublishes_when_the_setting_allows_it(
    app, client_as, merchant, merchant_org, make_library_clip
):
    clip_id = make_library_clip(merchant_org, state=ClipState.APPROVED)
    browser = client_as(merchant)
    assert browser.post(f"/review/clips/{clip_id}/publish").status_code == 302
    assert _state(app, clip_id) == ClipState.PUBLISHED
    assert browser.post(f"/review/clips/{clip_id}/unpublish").status_code == 302
    assert _state(app, clip_id) == ClipState.APPROVED


@pytest.mark.parametrize("app_config", [{"MERCHANT_CAN_PUBLISH": True}])
def test_other_org_merchant_gets_404_on_review_actions(
    app, client_as, make_org, make_user, merchant_org, make_library_clip
):
    approved = make_library_clip(merchant_org, state=ClipState.APPROVED)
    published = make_library_clip(merchant_org, state=ClipState.PUBLISHED)
    other = client_as(make_user(Role.MERCHANT, make_org("other")))

    assert other.post(f"/review/clips/{approved}/publish").status_code == 404
    assert other.post(f"/review/clips/{published}/unpublish").status_code == 404
    assert other.get(f"/review/clips/{approved}").status_code == 403  # staff page
    assert other.post(f"/review/clips/{approved}/overrides").status_code == 403
    assert (_state(app, approved), _state(app, published)) == ("approved", "published")


def test_trainer_unpublishes_and_nothing_is_deleted(
    app, client_as, trainer, merchant_org, make_library_clip
):
    clip_id = make_library_clip(merchant_org)
    assert client_as(trainer).post(f"/review/clips/{clip_id}/unpublish").status_code == 302
    assert _state(app, clip_id) == ClipState.APPROVED
    assert count_rows(app, Clip) == 1


def test_archiving_an_item_sends_its_published_clip_back_to_review_with_the_reason(
    app, client_as, merchant, trainer, merchant_org, make_item, make_library_clip
):
    item = make_item(merchant_org, name="满绿手镯", sku="JADE-9", cert_lab="NGTC", cert_number="1")
    published = make_library_clip(merchant_org, item=item)
    approved = make_library_clip(merchant_org, item=item, state=ClipState.APPROVED)
    browser = in_english(client_as(merchant))

    assert browser.post(f"/catalog/items/{item.id}/archive").status_code == 302

    assert (_state(app, published), _state(app, approved)) == ("in_review", "in_review")
    reason = "Linked item 满绿手镯 (JADE-9) was archived."
    assert reason in browser.get(f"/media/clips/{published}").text
    assert reason in in_english(client_as(trainer)).get(f"/review/clips/{published}").text
    assert client_as(trainer).get(f"/library/clips/{published}").status_code == 404


def test_changing_a_certificate_sends_the_clip_back_to_review(
    app, client_as, merchant, merchant_org, make_item, make_library_clip
):
    item = make_item(merchant_org, name="冰种手镯", cert_lab="NGTC", cert_number="1")
    clip_id = make_library_clip(merchant_org, item=item)
    browser = in_english(client_as(merchant))
    form = form_with(browser.get(f"/catalog/items/{item.id}/edit").text, "cert_number")

    unchanged = browser.post(form.action or f"/catalog/items/{item.id}/edit", data=form.fields)
    assert unchanged.status_code == 302
    assert _state(app, clip_id) == ClipState.PUBLISHED

    changed = browser.post(
        form.action or f"/catalog/items/{item.id}/edit", data={**form.fields, "cert_number": "2"}
    )
    assert changed.status_code == 302
    assert _state(app, clip_id) == ClipState.IN_REVIEW
    assert "The certificate of linked item 冰种手镯" in browser.get(f"/media/clips/{clip_id}").text


@pytest.mark.parametrize("app_config", [{"MERCHANT_CAN_PUBLISH": True}])
def test_merchant_publish_with_open_flags_comes_back_to_the_editor_with_the_reason(
    app, client_as, merchant, merchant_org, make_library_clip
):
    clip_id = make_library_clip(merchant_org, state=ClipState.APPROVED, cue_texts=(CONTACT_LINE,))
    browser = in_english(client_as(merchant))
    refused = browser.post(f"/review/clips/{clip_id}/publish")
    assert refused.status_code == 302
    assert refused.location.endswith(f"/media/clips/{clip_id}")
    editor = browser.get(refused.location)
    assert editor.status_code == 200
    assert any("Publishing is blocked" in message for message in flashes(editor.text))
    assert _state(app, clip_id) == ClipState.APPROVED
