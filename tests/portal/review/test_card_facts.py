"""After publication the knowledge card and the post text change only through review.

Key facts, title and description are a version's own text: edited after approval, they wait on
the clip until submitted (test_pending_changes.py). The card's item facts (name, certificate,
price) and the post's hashtags (category, name) come from the catalog, so each version keeps
them as they were: a catalog edit after approval leaves the published card, post and compliance
check as approved, and the next submission makes a new version carrying the new facts. Before
submitting, the item's name is drawn in the picture too (product card, highlighted names), so a
catalog edit asks for a render first.
"""

from __future__ import annotations

import io
import json
import zipfile

from media.clips.models import Clip, ClipState
from portal.extensions import db
from portal.library import publishing
from tests.portal.review.stage import ACTIONS, edit_item, published


def _kit(stage):
    response = stage.merchant.get(f"/media/clips/{stage.clip_id}/kit.zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    return json.loads(archive.read("card.json")), archive.read("post.txt").decode()


def test_a_catalog_edit_after_publication_leaves_the_published_card_and_post_as_approved(stage):
    current = published(stage)
    card, post = _kit(current)
    assert card["name"] == "冰种翡翠手镯"
    edit_item(current, name="加微信翡翠手镯", price="99")

    assert _kit(current) == (card, post)
    assert "加微信" not in post
    with current.app.app_context():
        clip = current.clip()
        assert clip.state == ClipState.PUBLISHED
        assert not [f for f in publishing.flagged_hits(clip) if f.is_open]
    video = current.visitor.get(f"/library/clips/{current.clip_id}/video")
    assert video.status_code == 200


def test_a_catalog_edit_before_submitting_is_rendered_into_a_new_version(stage):
    current = stage()
    for name in ["render", "finish_render"]:
        ACTIONS[name](current)
    edit_item(current, name="加微信翡翠手镯")
    editor = current.merchant.get(f"/media/clips/{current.clip_id}").text
    assert "render again, then submit" in editor  # the name is drawn (product card, highlights)
    for name in ["render", "finish_render", "submit"]:
        ACTIONS[name](current)
    page = current.trainer.get(f"/review/clips/{current.clip_id}").text
    assert "Submitted: version 2." in page
    assert "Card and hashtags" in page  # the change since version 1
    assert "加微信" in page[page.index('id="compliance-hits"') :]
    with current.app.app_context():
        clip = db.session.get(Clip, current.clip_id)
        flagged = {f.hit.source for f in publishing.flagged_hits(clip) if f.hit.term == "加微信"}
        assert {"post", "card"} <= flagged
