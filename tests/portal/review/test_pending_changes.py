"""After publication a text change waits on the clip until the merchant submits it for review.

The public keeps the approved version's frozen texts (library, kit, search) until a trainer
approves the change and it is published again; the clip page says what is live and what waits.
"""

from __future__ import annotations

import io
import zipfile

import pytest

from media.clips.models import ClipState, ClipVersion
from portal.extensions import db
from tests.portal.review.stage import ACTIONS, published

NEW_TITLE = "冰种翡翠手镯水头足"


def _post(current):
    response = current.merchant.get(f"/media/clips/{current.clip_id}/kit.zip")
    return zipfile.ZipFile(io.BytesIO(response.data)).read("post.txt").decode()


def _key_facts(current):
    with current.app.app_context():
        cue_id = current.clip().cues[2].id
    return current.merchant.post(
        f"/media/clips/{current.clip_id}/key-facts", data={"cue_ids": [cue_id]}
    )


def _versions(current):
    with current.app.app_context():
        return db.session.query(ClipVersion).filter_by(clip_id=current.clip_id).count()


@pytest.mark.parametrize("change", ["title", "key_facts"])
def test_a_change_after_publication_waits_and_the_public_keeps_the_approved_text(stage, change):
    current = published(stage)
    post = _post(current)
    if change == "title":
        current.details(NEW_TITLE)
    else:
        _key_facts(current)

    with current.app.app_context():
        assert current.clip().state == ClipState.PUBLISHED
    library = current.visitor.get(f"/library/clips/{current.clip_id}").text
    assert "翡翠手镯讲解" in library
    assert NEW_TITLE not in library
    assert _post(current) == post
    assert NEW_TITLE not in current.visitor.get("/search?q=水头足").text
    editor = current.merchant.get(f"/media/clips/{current.clip_id}").text
    assert "Live: version 1. Waiting: your changes" in editor
    assert "Submit the changes for review" in editor


def test_submitting_the_change_sends_a_new_version_to_review_and_publishing_shows_it(stage):
    current = published(stage)
    current.details(NEW_TITLE)
    _key_facts(current)

    ACTIONS["submit"](current)

    with current.app.app_context():
        clip = current.clip()
        assert clip.state == ClipState.IN_REVIEW
        version = db.session.get(ClipVersion, clip.review_version_id)
        assert (version.number, version.title) == (2, NEW_TITLE)
        assert version.key_facts == ["圈口五十六毫米"]
    assert current.visitor.get(f"/library/clips/{current.clip_id}").status_code == 404
    for name in ["approve", "override_all", "publish"]:
        ACTIONS[name](current)
    assert NEW_TITLE in current.visitor.get(f"/library/clips/{current.clip_id}").text
    assert NEW_TITLE in _post(current)


def test_nothing_to_submit_without_a_change(stage):
    current = published(stage)
    editor = current.merchant.get(f"/media/clips/{current.clip_id}").text
    assert "Submit the changes for review" not in editor
    response = current.merchant.post(f"/review/clips/{current.clip_id}/submit")
    assert response.status_code == 409
    assert _versions(current) == 1
    with current.app.app_context():
        assert current.clip().state == ClipState.PUBLISHED


def test_the_items_of_a_published_clip_cannot_change(stage, make_item, merchant_org):
    current = published(stage)
    other = make_item(merchant_org, sku="JADE-2")
    response = current.merchant.post(
        f"/media/clips/{current.clip_id}/details",
        data={"title": "翡翠手镯讲解", "description": "讲解种水", "item_ids": [other.id]},
    )
    assert "The items of an approved clip cannot change" in response.text
    with current.app.app_context():
        assert [link.item_id for link in current.clip().links] == [current.item_id]
