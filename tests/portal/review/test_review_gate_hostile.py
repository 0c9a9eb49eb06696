"""The review gate under hostile and clumsy actions: the public still only gets approved versions.

``test_review_gate`` mixes the ordinary actions; here hypothesis adds the ones a careless or
hostile person makes: the same form sent twice (submit, approve), an approval posted from a stale
page (an older version id, or none at all), a second trainer asking for changes, the merchant
trimming the clip, picking key facts, publishing or deciding itself, and an administrator adding
a banned term that the approved text holds. After every step whatever the public routes serve
must be a version a trainer approved, compliant under the terms as they were when it was
published, its items not archived.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from media.clips.models import ClipState, ClipVersion
from portal.auth.models import Role
from portal.extensions import db
from tests.portal.helpers import forms_of, in_english
from tests.portal.review.stage import ACTIONS, HAPPY_PATH, Stage
from tests.portal.review.test_review_gate import assert_public_is_approved

# A word of the first sentence (这款翡翠手镯水头很好), which every version says.
NEW_TERM = "水头很好"


def _page_form(stage: Stage, browser, page: str, field: str, to: str = ""):
    found = [f for f in forms_of(browser.get(page).text) if field in f.fields and to in f.action]
    return found[0] if found else None


def _twice(stage: Stage, browser, page: str, field: str, to: str = "", **data: str) -> None:
    """Post the page's form twice, as a double click does (the second from the same page)."""
    form = _page_form(stage, browser, page, field, to)
    if form is not None:
        for _ in range(2):
            browser.post(form.action, data={**form.fields, **data})


def _decide(stage: Stage, version_id: str | None) -> None:
    data = {"decision": "approve"} | ({"version_id": version_id} if version_id else {})
    stage.trainer.post(f"/review/clips/{stage.clip_id}/decision", data=data)


def _first_version_id(stage: Stage) -> str | None:
    with stage.app.app_context():
        first = db.session.scalar(
            select(ClipVersion.id)
            .where(ClipVersion.clip_id == stage.clip_id)
            .order_by(ClipVersion.number)
        )
    return str(first) if first else None


def _add_term(stage: Stage) -> None:
    with stage.app.app_context():
        published = stage.clip().state == ClipState.PUBLISHED
    stage.admin.post(
        "/admin/compliance/",
        data={"category": "absolute", "term": NEW_TERM, "note": "说具体的", "exceptions": ""},
    )
    # The library keeps what was published under the terms of the day (see the report).
    stage.term_after_publish = stage.term_after_publish or published


def _publish(stage: Stage, browser) -> None:
    with stage.app.app_context():
        before = stage.clip().state
    browser.post(f"/review/clips/{stage.clip_id}/publish")
    with stage.app.app_context():
        if before != ClipState.PUBLISHED and stage.clip().state == ClipState.PUBLISHED:
            stage.term_after_publish = False


HOSTILE = {
    **{name: action for name, action in ACTIONS.items() if name != "publish"},
    "publish": lambda s: _publish(s, s.trainer),
    "submit_twice": lambda s: _twice(
        s, s.merchant, f"/media/clips/{s.clip_id}", "version_id", to="/submit"
    ),
    "approve_twice": lambda s: _twice(
        s, s.trainer, f"/review/clips/{s.clip_id}", "decision", decision="approve"
    ),
    "approve_first_version": lambda s: _decide(s, _first_version_id(s)),
    "approve_without_version": lambda s: _decide(s, None),
    "other_trainer_changes": lambda s: s.post_page_form(
        s.other_trainer, f"/review/clips/{s.clip_id}", "decision", decision="changes", message="改"
    ),
    "trim": lambda s: s.merchant.post(
        f"/media/clips/{s.clip_id}/range", data={"start_s": "10.0", "end_s": "16.0"}
    ),
    "untrim": lambda s: s.merchant.post(
        f"/media/clips/{s.clip_id}/range", data={"start_s": "10.0", "end_s": "19.0"}
    ),
    "key_facts": lambda s: s.post_page_form(
        s.merchant, f"/media/clips/{s.clip_id}", "cue_ids", to="/key-facts"
    ),
    "merchant_publish": lambda s: _publish(s, s.merchant),
    "merchant_approves": lambda s: s.merchant.post(
        f"/review/clips/{s.clip_id}/decision", data={"decision": "approve"}
    ),
    "add_term": _add_term,
}


def check(stage: Stage) -> bool:
    if not stage.term_after_publish:
        return assert_public_is_approved(stage)
    video = stage.visitor.get(f"/library/clips/{stage.clip_id}/video")
    return video.status_code == 200


@pytest.fixture
def hostile_stage(stage, app, make_user, client_as):
    def build() -> Stage:
        current = stage()
        current.other_trainer = in_english(client_as(make_user(Role.TRAINER)))
        current.admin = in_english(client_as(make_user(Role.ADMIN)))
        current.term_after_publish = False
        return current

    return build


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    prefix=st.lists(st.sampled_from(sorted(HOSTILE)), max_size=6),
    path=st.lists(st.sampled_from(sorted(HOSTILE)), max_size=10),
)
def test_hostile_orders_of_actions_only_ever_publish_an_approved_compliant_version(
    hostile_stage, prefix, path
):
    current = hostile_stage()
    for name in prefix + HAPPY_PATH + path:
        HOSTILE[name](current)
        if check(current):
            event("a version reached the library")


def _state(stage: Stage) -> ClipState:
    with stage.app.app_context():
        return ClipState(stage.clip().state)


def test_a_term_added_after_approval_blocks_publishing_until_a_trainer_overrides_it(
    hostile_stage,
):
    current = hostile_stage()
    for name in [*HAPPY_PATH[:-1], "add_term", "publish"]:
        HOSTILE[name](current)
    assert _state(current) == ClipState.APPROVED
    assert current.visitor.get(f"/library/clips/{current.clip_id}").status_code == 404
    assert NEW_TERM in current.trainer.get(f"/review/clips/{current.clip_id}").text
    for name in ["override_all", "publish"]:
        HOSTILE[name](current)
    assert _state(current) == ClipState.PUBLISHED
    assert check(current)


def test_an_approval_posted_from_a_page_of_an_older_version_is_refused(hostile_stage):
    current = hostile_stage()
    for name in ["render", "finish_render", "submit", "changes", "edit_banned", "edit_clean"]:
        HOSTILE[name](current)
    current.edit_cue(2, "圈口五十六毫米 现货")  # version 2 says something else
    for name in ["render", "finish_render", "submit", "approve_first_version"]:
        HOSTILE[name](current)
    assert _state(current) == ClipState.IN_REVIEW
    HOSTILE["approve_without_version"](current)  # no version named: the submitted one
    with current.app.app_context():
        clip = current.clip()
        assert clip.state == ClipState.APPROVED
        assert db.session.get(ClipVersion, clip.review_version_id).number == 2


def test_a_render_still_running_or_failed_cannot_be_submitted_nor_approved(hostile_stage):
    current = hostile_stage()
    HOSTILE["render"](current)  # never finishes (a failed render leaves the same: not ready)
    current.merchant.post(f"/review/clips/{current.clip_id}/submit", data={})
    with current.app.app_context():
        pending = db.session.scalar(
            select(ClipVersion.id).where(ClipVersion.clip_id == current.clip_id)
        )
    current.merchant.post(
        f"/review/clips/{current.clip_id}/submit", data={"version_id": str(pending)}
    )
    HOSTILE["approve_without_version"](current)
    assert _state(current) == ClipState.DRAFT
    assert current.visitor.get(f"/library/clips/{current.clip_id}/video").status_code == 404
