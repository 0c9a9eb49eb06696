"""Another merchant's ids sent in a form's fields (not the address) change nothing of theirs.

``tests/portal/test_tenancy.py`` walks the addresses: another merchant's object in the URL is a
404. These are the ids a form carries: the items of a clip or a stream's list, a goods list
naming another shop's SKU, a comment's parent, a version to submit. Merchant A posts them on
its own clip and recording, with merchant B's ids.
"""

from __future__ import annotations

from sqlalchemy import select

from media.clips.models import Clip, ClipItem, ClipVersion
from media.recordings.models import StreamItem
from portal.comments.models import Comment
from portal.extensions import db
from tests.portal.review.stage import ACTIONS
from tests.support.clipdata import add_clip_rows


def _links(app, clip_id):
    with app.app_context():
        return list(db.session.scalars(select(ClipItem.item_id).where(ClipItem.clip_id == clip_id)))


def test_foreign_ids_in_form_fields_are_refused_or_ignored(
    app, stage, make_org, make_item, make_user, client_as
):
    current = stage()
    org_b = make_org("org-b")
    item_b = make_item(org_b, sku="B-SECRET-9", name="乙店的秘密手镯")
    with app.app_context():
        clip_b = add_clip_rows(
            org_b.id, [item_b.id], title="乙店", texts=["乙店的话"], state="ready"
        )
        clip_b_id, version_b = (
            clip_b.id,
            db.session.scalar(select(ClipVersion.id).where(ClipVersion.clip_id == clip_b.id)),
        )
        recording_a = current.clip().recording_id
    own_links = _links(app, current.clip_id)

    merchant = current.merchant
    merchant.post(
        f"/media/clips/{current.clip_id}/details",
        data={"title": "t", "description": "", "item_ids": [item_b.id]},
    )
    assert _links(app, current.clip_id) == own_links

    merchant.post(f"/media/recordings/{recording_a}/items/add", data={"item_ids": [item_b.id]})
    found = merchant.post(
        f"/media/recordings/{recording_a}/items/import/confirm", data={"text": "1 B-SECRET-9"}
    )
    assert "乙店的秘密手镯" not in found.text
    with app.app_context():
        listed = db.session.scalars(select(StreamItem.item_id)).all()
        assert item_b.id not in listed

    merchant.post(
        f"/media/recordings/{recording_a}/clips",
        data={"first_sentence": 0, "last_sentence": 2, "item_ids": [item_b.id], "title": "x"},
    )
    with app.app_context():
        assert db.session.scalar(select(Clip.id).where(Clip.title == "x")) is None
    # The same forms with A's own item do what they say (the refusals above are about the ids).
    merchant.post(
        f"/media/recordings/{recording_a}/clips",
        data={"first_sentence": 0, "last_sentence": 2, "item_ids": own_links, "title": "y"},
    )
    merchant.post(f"/media/recordings/{recording_a}/items/add", data={"item_ids": own_links})
    with app.app_context():
        assert db.session.scalar(select(Clip.id).where(Clip.title == "y")) is not None
        assert db.session.scalars(select(StreamItem.item_id)).all() == own_links

    ACTIONS["render"](current)
    ACTIONS["finish_render"](current)
    merchant.post(f"/review/clips/{current.clip_id}/submit", data={"version_id": version_b})
    with app.app_context():
        assert current.clip().review_version_id != version_b

    b_browser = client_as(make_user("merchant", org_b))
    b_browser.post(f"/review/clips/{clip_b_id}/comments", data={"body": "乙", "at_s": "0"})
    with app.app_context():
        parent_b = db.session.scalar(select(Comment.id))
    assert parent_b is not None
    merchant.post(
        f"/review/clips/{current.clip_id}/comments",
        data={"body": "回复", "at_s": "0", "parent_id": str(parent_b)},
    )
    merchant.post(
        f"/review/clips/{current.clip_id}/comments",
        data={"body": "挂到别人的版本", "at_s": "0", "version_id": str(version_b)},
    )
    with app.app_context():
        mine = db.session.scalars(select(Comment).where(Comment.subject_id == current.clip_id))
        assert [(c.parent_id, c.version_id) for c in mine] in ([], [(None, None)])
