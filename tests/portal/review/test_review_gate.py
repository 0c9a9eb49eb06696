"""The review gate over any order of actions: the public only ever gets an approved version.

Merchants and trainers act through the pages (the forms they would post, with the version ids
the pages offer); a render's ffmpeg work is replaced by writing files that name their version,
then the render job's own last step (``mark_rendered``) runs. Hypothesis tries sequences of
edit / render / finish / submit / approve / request changes / override / publish / unpublish /
archive / rename the item in the catalog, and after every step whatever a public route serves
must be a version a trainer approved, whose own text passed compliance or was overridden on
that version.
"""

from __future__ import annotations

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from media.clips.models import ClipState, ClipVersion
from media.clips.rendering import version_file
from portal.audit.models import AuditEvent
from portal.catalog.models import Item
from portal.extensions import db
from portal.library import publishing
from tests.portal.review.stage import ACTIONS, CLEAN, HAPPY_PATH, Stage


def _newest_approval(clip_id: int) -> int | None:
    events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == "clip.transition", AuditEvent.object_id == clip_id)
        .order_by(AuditEvent.id.desc())
    )
    return next(
        (e.details.get("version_id") for e in events if e.details["target"] == "approved"), None
    )


def assert_public_is_approved(stage: Stage) -> bool:
    """Whatever the public gets is the approved version, compliant or overridden, items live."""
    video = stage.visitor.get(f"/library/clips/{stage.clip_id}/video")
    page = stage.visitor.get(f"/library/clips/{stage.clip_id}")
    if video.status_code == 404:
        assert page.status_code == 404
        return False
    assert (video.status_code, page.status_code) == (200, 200)
    with stage.app.app_context():
        clip = stage.clip()
        version = db.session.get(ClipVersion, clip.review_version_id)
        assert clip.state == ClipState.PUBLISHED
        assert version.is_ready
        assert video.data == version_file(version, "video").read_bytes()
        vtt = stage.visitor.get(f"/library/clips/{stage.clip_id}/vtt").data
        assert vtt == version_file(version, "vtt").read_bytes()
        assert _newest_approval(clip.id) == version.id
        assert not [f for f in publishing.flagged_hits(clip) if f.is_open]
        assert not db.session.get(Item, stage.item_id).is_archived
        assert version.title in page.text
        assert clip.title == version.title
        assert [c["text"] for c in version.cues] == [c.text for c in clip.cues if not c.is_hidden]
    return True


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    prefix=st.lists(st.sampled_from(sorted(ACTIONS)), max_size=6),
    path=st.lists(st.sampled_from(sorted(ACTIONS)), max_size=10),
)
def test_public_routes_only_ever_serve_an_approved_compliant_version(stage, prefix, path):
    """Any order of actions, with the happy path woven in so sequences do reach the library."""
    current = stage()
    steps = prefix + HAPPY_PATH + path
    for name in steps:
        ACTIONS[name](current)
        if assert_public_is_approved(current):
            event("a version reached the library")


def test_a_banned_render_never_reaches_the_library_and_a_later_render_stays_out(stage):
    """The issue's two ways through: a banned render put back before submitting, and a render
    still running at submission that finishes after the approval."""
    current = stage()
    for name in ["edit_banned", "render", "finish_render", "edit_clean", "submit"]:
        ACTIONS[name](current)
    with current.app.app_context():
        assert current.clip().state == ClipState.READY  # the banned version 1 was refused
    for name in ["render", "finish_render", "edit_banned", "render", "edit_clean", "submit"]:
        ACTIONS[name](current)  # version 3 (banned) is still rendering while 2 is submitted
    for name in ["approve", "override_all", "publish", "finish_render"]:
        ACTIONS[name](current)
    with current.app.app_context():
        clip = current.clip()
        numbers = {v.id: v.number for v in db.session.scalars(select(ClipVersion))}
        assert numbers[clip.review_version_id] == 2
        assert clip.state == ClipState.PUBLISHED
    response = current.visitor.get(f"/library/clips/{current.clip_id}/video")
    assert response.data == f"video of version {clip.review_version_id}".encode()
    vtt = current.visitor.get(f"/library/clips/{current.clip_id}/vtt").text
    assert "jade888" not in vtt
    assert CLEAN in vtt
    assert_public_is_approved(current)
