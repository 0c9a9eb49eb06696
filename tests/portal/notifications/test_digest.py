"""Mail digests: unread notifications in one mail per period, in the reader's language."""

from __future__ import annotations

from datetime import timedelta

from media.clips.models import Clip, ClipState
from media.clips.states import transition
from portal.auth.models import User
from portal.database import utcnow
from portal.extensions import db
from portal.notifications.digest import send_due_digests
from portal.notifications.models import Digest, Notification, NotificationSetting
from tests.portal.helpers import capture_mail, count_rows


def _mails(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "beltcast.mail"]


def _request_changes(app, people, make_clip, title: str = "冰种手镯讲解") -> int:
    clip_id = make_clip(ClipState.IN_REVIEW, title)
    with app.app_context():
        trainer = db.session.get(User, people.trainer.id)
        transition(db.session.get(Clip, clip_id), ClipState.CHANGES_REQUESTED, trainer)
    return clip_id


def _send(app, now=None) -> list[int]:
    with app.app_context():
        return send_due_digests(now or utcnow())


def _set(app, user, digest: Digest) -> None:
    with app.app_context():
        db.session.add(NotificationSetting(user_id=user.id, digest=digest))
        db.session.commit()


def test_digest_mails_each_person_once_with_links_in_their_language(app, caplog, people, make_clip):
    capture_mail(caplog)
    clip_id = _request_changes(app, people, make_clip)
    with app.app_context():
        db.session.get(User, people.colleague.id).locale = "en"
        db.session.commit()

    assert sorted(_send(app)) == sorted([people.merchant.id, people.colleague.id])

    mails = _mails(caplog)
    assert len(mails) == 2
    [chinese] = [m for m in mails if people.merchant.email in m]
    assert "Beltcast 上有 1 条通知等您处理" in chinese
    assert "培训师要求修改短视频“冰种手镯讲解”。" in chinese
    assert f"{app.config['BASE_URL']}/media/clips/{clip_id}" in chinese
    [english] = [m for m in mails if people.colleague.email in m]
    assert "1 notification waiting on Beltcast" in english
    assert "A trainer asked for changes" in english
    assert count_rows(app, Notification, Notification.mailed_at.is_(None)) == 0


def test_hourly_digest_waits_an_hour_then_gathers_what_came_meanwhile(
    app, caplog, people, make_clip
):
    capture_mail(caplog)
    _set(app, people.colleague, Digest.NONE)
    start = utcnow()
    _request_changes(app, people, make_clip, "第一条")
    assert _send(app, start) == [people.merchant.id]
    _request_changes(app, people, make_clip, "第二条")
    _request_changes(app, people, make_clip, "第三条")

    assert _send(app, start + timedelta(minutes=30)) == []
    assert _send(app, start + timedelta(minutes=61)) == [people.merchant.id]

    last = _mails(caplog)[-1]
    assert "Beltcast 上有 2 条通知等您处理" in last
    assert "第二条" in last
    assert "第三条" in last
    assert "第一条" not in last


def test_daily_digest_waits_a_day_and_none_never_mails(app, caplog, people, make_clip):
    capture_mail(caplog)
    _set(app, people.merchant, Digest.DAILY)
    _set(app, people.colleague, Digest.NONE)
    start = utcnow()
    _request_changes(app, people, make_clip, "第一条")
    assert _send(app, start) == [people.merchant.id]
    _request_changes(app, people, make_clip, "第二条")

    assert _send(app, start + timedelta(hours=23)) == []
    assert _send(app, start + timedelta(hours=25)) == [people.merchant.id]
    assert all(people.colleague.email not in mail for mail in _mails(caplog))


def test_notifications_read_in_the_portal_are_not_mailed(app, caplog, client_as, people, make_clip):
    capture_mail(caplog)
    _request_changes(app, people, make_clip)
    client_as(people.merchant).post("/notifications/read-all")

    assert _send(app) == [people.colleague.id]
    assert all(people.merchant.email not in mail for mail in _mails(caplog))


def test_send_digests_command_mails_what_is_due(app, runner, caplog, people, make_clip):
    capture_mail(caplog)
    _request_changes(app, people, make_clip)

    result = runner.invoke(args=["beltcast", "send-digests"])

    assert result.exit_code == 0, result.output
    assert "2 digest(s) sent" in result.output
    assert len(_mails(caplog)) == 2


def test_worker_sweeper_sends_due_digests(app, caplog, people, make_clip):
    from portal.jobs.worker import sweep_once

    capture_mail(caplog)
    _request_changes(app, people, make_clip)
    with app.app_context():
        assert sweep_once()

    assert len(_mails(caplog)) == 2
