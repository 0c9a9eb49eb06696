"""The bell, the list page, opening and marking read, the digest setting; each person's own."""

from __future__ import annotations

from datetime import timedelta

import pytest

from media.clips.models import Clip, ClipState
from media.clips.states import transition
from portal.auth.models import User
from portal.database import utcnow
from portal.extensions import db
from portal.notifications.models import Digest, Notification, NotificationSetting
from portal.notifications.services import PAGE_SIZE
from tests.portal.helpers import count_rows, fetch, in_english


def _changes_requested(app, people, make_clip, title="冰种手镯讲解") -> int:
    clip_id = make_clip(ClipState.IN_REVIEW, title)
    with app.app_context():
        trainer = db.session.get(User, people.trainer.id)
        transition(db.session.get(Clip, clip_id), ClipState.CHANGES_REQUESTED, trainer)
    return clip_id


def _notification_id(app, user) -> int:
    return fetch(app, Notification, Notification.user_id == user.id).id


def test_merchant_sees_bell_count_and_the_notification_in_chinese(
    app, client_as, people, make_clip
):
    _changes_requested(app, people, make_clip)
    page = client_as(people.merchant).get("/").text

    assert '<span class="bell-count">1</span>' in page
    listing = client_as(people.merchant).get("/notifications/").text
    assert "培训师要求修改短视频“冰种手镯讲解”。" in listing
    assert "未读" in listing


def test_merchant_opens_notification_marked_read_and_led_to_the_clip(
    app, client_as, people, make_clip
):
    clip_id = _changes_requested(app, people, make_clip)
    browser = in_english(client_as(people.merchant))
    notification_id = _notification_id(app, people.merchant)

    listing = browser.get("/notifications/").text
    assert "A trainer asked for changes to the clip “冰种手镯讲解”." in listing
    opened = browser.get(f"/notifications/{notification_id}")

    assert opened.status_code == 302
    assert opened.headers["Location"] == f"/media/clips/{clip_id}"
    assert fetch(app, Notification, Notification.id == notification_id).read_at is not None
    assert 'class="bell-count"' not in browser.get("/notifications/").text


def test_trainer_notification_leads_to_the_review_page(app, client_as, people, make_clip):
    clip_id = make_clip(ClipState.READY)
    with app.app_context():
        merchant = db.session.get(User, people.merchant.id)
        transition(db.session.get(Clip, clip_id), ClipState.IN_REVIEW, merchant)

    opened = client_as(people.trainer).get(
        f"/notifications/{_notification_id(app, people.trainer)}"
    )

    assert opened.headers["Location"] == f"/review/clips/{clip_id}"


def test_user_marks_one_then_all_read(app, client_as, people, make_clip):
    _changes_requested(app, people, make_clip, "第一条")
    _changes_requested(app, people, make_clip, "第二条")
    browser = client_as(people.merchant)
    first = _notification_id(app, people.merchant)

    assert browser.post(f"/notifications/{first}/read").status_code == 302
    assert '<span class="bell-count">1</span>' in browser.get("/notifications/").text
    assert browser.post("/notifications/read-all").status_code == 302

    unread = Notification.user_id == people.merchant.id, Notification.read_at.is_(None)
    assert count_rows(app, Notification, *unread) == 0
    assert count_rows(app, Notification, Notification.read_at.is_(None)) == 2  # the colleague's


@pytest.mark.parametrize(("method", "path"), [("GET", ""), ("POST", "/read")])
def test_another_persons_notification_answers_404_and_stays_unread(
    app, client_as, people, make_clip, method, path
):
    _changes_requested(app, people, make_clip)
    theirs = _notification_id(app, people.colleague)

    for someone in (people.merchant, people.outsider, people.admin):
        answer = client_as(someone).open(f"/notifications/{theirs}{path}", method=method)
        assert answer.status_code == 404
    assert fetch(app, Notification, Notification.id == theirs).read_at is None


def test_mark_all_read_leaves_other_peoples_notifications_unread(app, client_as, people, make_clip):
    _changes_requested(app, people, make_clip)

    client_as(people.outsider).post("/notifications/read-all")
    client_as(people.merchant).post("/notifications/read-all")

    assert fetch(app, Notification, Notification.user_id == people.colleague.id).read_at is None


def test_list_is_newest_first_and_paginated(app, client_as, people):
    now = utcnow()
    with app.app_context():
        db.session.add_all(
            Notification(
                user_id=people.merchant.id,
                kind="clip.approved",
                object_type="clip",
                object_id=n,
                params={"title": f"片段{n:02d}"},
                created_at=now + timedelta(minutes=n),
            )
            for n in range(PAGE_SIZE + 3)
        )
        db.session.commit()
    browser = client_as(people.merchant)

    first = browser.get("/notifications/").text
    second = browser.get("/notifications/?page=2").text

    newest = f"片段{PAGE_SIZE + 2:02d}"
    assert first.index(newest) < first.index(f"片段{PAGE_SIZE + 1:02d}")
    assert "片段00" not in first
    assert "片段00" in second
    assert 'class="pagination"' in first


def test_empty_list_says_nothing_waits(client_as, people):
    page = in_english(client_as(people.streamer)).get("/notifications/").text

    assert "Nothing waits for you." in page
    assert 'class="bell-count"' not in page


def test_user_chooses_daily_digest_and_a_bad_choice_shows_an_error_in_place(app, client_as, people):
    browser = in_english(client_as(people.streamer))

    bad = browser.post("/notifications/settings", data={"digest": "weekly"})
    assert bad.status_code == 200
    assert "Not a valid choice" in bad.text
    assert count_rows(app, NotificationSetting) == 0
    assert browser.post("/notifications/settings", data={"digest": "daily"}).status_code == 302
    setting = fetch(app, NotificationSetting, NotificationSetting.user_id == people.streamer.id)
    assert setting.digest == Digest.DAILY
    assert '<option selected value="daily">' in browser.get("/notifications/").text
