from sqlalchemy import select

from media.clips.models import Clip, ClipState
from portal.audit.models import AuditEvent
from portal.auth.models import Role
from portal.comments.models import Comment
from portal.extensions import db
from portal.organisations.models import OrgStatus


def _state(app, clip_id):
    with app.app_context():
        return db.session.get(Clip, clip_id).state


def test_merchant_submits_a_rendered_clip_for_review(
    app, client_as, merchant, merchant_org, make_clip
):
    clip_id = make_clip(merchant_org)
    response = client_as(merchant).post(f"/review/clips/{clip_id}/submit")
    assert response.status_code == 302
    assert _state(app, clip_id) == ClipState.IN_REVIEW
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "clip.transition"))
        assert event.details["source"] == "ready"
        assert event.details["target"] == "in_review"


def test_merchant_cannot_submit_a_clip_twice(app, client_as, merchant, merchant_org, make_clip):
    clip_id = make_clip(merchant_org, state=ClipState.IN_REVIEW)
    response = client_as(merchant).post(f"/review/clips/{clip_id}/submit")
    assert response.status_code == 409
    assert _state(app, clip_id) == ClipState.IN_REVIEW


def test_pending_merchant_cannot_submit(app, client_as, make_org, make_user, make_clip):
    org = make_org(status=OrgStatus.PENDING)
    clip_id = make_clip(org)
    response = client_as(make_user(Role.MERCHANT, org)).post(f"/review/clips/{clip_id}/submit")
    assert response.status_code == 409
    assert _state(app, clip_id) == ClipState.READY


def test_trainer_sees_the_queue_and_approves(app, client_as, trainer, merchant_org, make_clip):
    clip_id = make_clip(merchant_org, state=ClipState.IN_REVIEW)
    browser = client_as(trainer)
    queue = browser.get("/review/?lang=en")
    assert "翡翠手镯讲解" in queue.text
    page = browser.get(f"/review/clips/{clip_id}?lang=en")
    assert page.status_code == 200
    assert "NGTC" in page.text
    response = browser.post(f"/review/clips/{clip_id}/decision", data={"decision": "approve"})
    assert response.status_code == 302
    assert _state(app, clip_id) == ClipState.APPROVED


def test_trainer_must_say_why_when_requesting_changes(
    app, client_as, trainer, merchant, merchant_org, make_clip
):
    clip_id = make_clip(merchant_org, state=ClipState.IN_REVIEW)
    browser = client_as(trainer)
    empty = browser.post(
        f"/review/clips/{clip_id}/decision?lang=en", data={"decision": "changes", "message": " "}
    )
    assert empty.status_code == 200
    assert "Tell the merchant what to change." in empty.text
    assert _state(app, clip_id) == ClipState.IN_REVIEW
    browser.post(
        f"/review/clips/{clip_id}/decision",
        data={"decision": "changes", "message": "第二句字幕有错字"},
    )
    assert _state(app, clip_id) == ClipState.CHANGES_REQUESTED
    editor = client_as(merchant).get(f"/media/clips/{clip_id}")
    assert "第二句字幕有错字" in editor.text


def test_merchant_cannot_approve_its_own_clip(app, client_as, merchant, merchant_org, make_clip):
    clip_id = make_clip(merchant_org, state=ClipState.IN_REVIEW)
    response = client_as(merchant).post(
        f"/review/clips/{clip_id}/decision", data={"decision": "approve"}
    )
    assert response.status_code == 403
    assert _state(app, clip_id) == ClipState.IN_REVIEW


def test_decision_on_a_clip_not_in_review_is_a_conflict(
    app, client_as, trainer, merchant_org, make_clip
):
    clip_id = make_clip(merchant_org, state=ClipState.READY)
    response = client_as(trainer).post(
        f"/review/clips/{clip_id}/decision", data={"decision": "approve"}
    )
    assert response.status_code == 409
    assert _state(app, clip_id) == ClipState.READY


def test_trainer_pins_a_comment_to_a_time_and_merchant_replies(
    app, client_as, trainer, merchant, merchant_org, make_clip
):
    clip_id = make_clip(merchant_org, state=ClipState.IN_REVIEW, versions=2)
    client_as(trainer).post(
        f"/review/clips/{clip_id}/comments",
        data={"body": "这里光线太暗", "at_s": "12.5", "version_id": ""},
    )
    with app.app_context():
        comment = db.session.scalar(select(Comment))
        assert (comment.body, comment.at_s, comment.subject_id) == ("这里光线太暗", 12.5, clip_id)
        comment_id = comment.id
    page = client_as(merchant).get(f"/media/clips/{clip_id}")
    assert 'data-seek="12.5"' in page.text
    assert "这里光线太暗" in page.text
    client_as(merchant).post(
        f"/review/clips/{clip_id}/comments", data={"body": "已补光", "parent_id": str(comment_id)}
    )
    client_as(trainer).post(
        f"/review/clips/{clip_id}/comments/{comment_id}/resolve", data={"resolved": "1"}
    )
    with app.app_context():
        reply = db.session.scalar(select(Comment).where(Comment.parent_id == comment_id))
        assert reply.body == "已补光"
        assert reply.at_s == 12.5
        assert db.session.get(Comment, comment_id).is_resolved


def test_other_merchant_cannot_see_or_comment_on_a_clip(
    app, client_as, make_org, make_user, merchant_org, make_clip
):
    clip_id = make_clip(merchant_org, state=ClipState.IN_REVIEW)
    stranger = client_as(make_user(Role.MERCHANT, make_org()))
    assert stranger.post(f"/review/clips/{clip_id}/comments", data={"body": "x"}).status_code == 404
    assert stranger.post(f"/review/clips/{clip_id}/submit").status_code == 404
    assert stranger.get(f"/review/clips/{clip_id}").status_code == 403
    with app.app_context():
        assert db.session.scalar(select(Comment)) is None


def test_reviewer_sees_subtitle_changes_between_versions(
    app, client_as, trainer, merchant_org, make_clip
):
    clip_id = make_clip(merchant_org, state=ClipState.IN_REVIEW, versions=2)
    page = client_as(trainer).get(f"/review/clips/{clip_id}?lang=en")
    assert "<del>这款翡翠手镯水头很好 v1</del>" in page.text
    assert "<ins>这款翡翠手镯水头很好</ins>" in page.text
