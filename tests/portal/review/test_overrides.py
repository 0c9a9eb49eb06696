"""The review page's compliance check: each flag listed once, several overridden with one reason,
resolved flags folded away, and publishing that never ends on a bare 409 page."""

from __future__ import annotations

import re
from html import unescape

from sqlalchemy import func, select

from media.clips.models import Clip, ClipState
from portal.audit.models import AuditEvent
from portal.extensions import db
from portal.library.models import ComplianceOverride
from tests.portal.helpers import flashes, forms_of
from tests.portal.review.stage import ACTIONS, HAPPY_PATH, flag_values, override_flags

SPOKEN_TERMS = {"全网最低", "最低价", "加微信"}


def _counts(stage):
    with stage.app.app_context():
        overrides = db.session.scalar(select(func.count(ComplianceOverride.id)))
        audited = db.session.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.action == "clip.compliance_override")
        )
        return overrides, audited


def _flag_errors(html):
    """The errors shown in the compliance check, above the reason field."""
    section = html[html.index('id="compliance-hits"') :]
    section = section[: section.find('<div class="field')]
    return [unescape(e) for e in re.findall(r'<p class="error" role="alert">(.*?)</p>', section)]


def _submitted(stage):
    for name in ["render", "finish_render", "submit"]:
        ACTIONS[name](stage)
    return stage.trainer.get(f"/review/clips/{stage.clip_id}").text


def _state(stage):
    with stage.app.app_context():
        return stage.clip().state


def test_trainer_overrides_several_flags_with_one_reason_each_audited(stage):
    current = stage()
    page = _submitted(current)
    assert page.count('id="compliance-hits"') == 1  # listed once, not again under publishing
    values = flag_values(page)
    assert {value.rsplit(":", 1)[1] for value in values} == SPOKEN_TERMS
    assert page.count("<mark>") == len(values)

    saved = override_flags(current, reason="主播口播的是直播间活动，已核实", pick=slice(0, 2))
    assert saved.status_code == 302
    assert saved.location.endswith("#compliance-hits")
    assert _counts(current) == (2, 2)
    page = current.trainer.get(f"/review/clips/{current.clip_id}").text
    assert len(flag_values(page)) == 1
    resolved = page[page.index('class="resolved-flags"') :]
    assert "Resolved flags (2)" in resolved
    assert resolved.count("主播口播的是直播间活动，已核实") == 2


def test_override_errors_are_shown_in_place_and_nothing_is_written(stage):
    current = stage()
    page = _submitted(current)
    [form] = [f for f in forms_of(page) if "/overrides" in f.action]
    action = form.action.split("#")[0]

    none_ticked = current.trainer.post(action, data={**form.fields, "reason": "已核实"})
    assert none_ticked.status_code == 200
    assert _flag_errors(none_ticked.text) == ["Tick at least one flag."]
    no_reason = current.trainer.post(action, data={**form.fields, "flags": flag_values(page)})
    assert no_reason.status_code == 200
    assert "Write why these lines may stay." in no_reason.text
    assert no_reason.text.count(" checked") >= len(flag_values(page))  # ticks kept
    assert _counts(current) == (0, 0)


def test_a_double_submitted_override_writes_each_flag_once(stage):
    current = stage()
    page = _submitted(current)
    [form] = [f for f in forms_of(page) if "/overrides" in f.action]
    data = {**form.fields, "flags": flag_values(page), "reason": "已核实"}
    first = current.trainer.post(form.action.split("#")[0], data=data)
    second = current.trainer.post(form.action.split("#")[0], data=data)
    assert first.status_code == 302
    assert second.status_code == 200
    [error] = _flag_errors(second.text)
    assert error.startswith("No longer open")
    assert _counts(current) == (3, 3)


def test_an_override_posted_from_a_page_of_an_older_submission_is_refused(stage):
    current = stage()
    ACTIONS["own_hook"](current)  # so the title edit below is text only
    page = _submitted(current)
    [form] = [f for f in forms_of(page) if "/overrides" in f.action]
    ACTIONS["changes"](current)
    current.details("翡翠手镯的种水")
    ACTIONS["submit"](current)  # a text-only version 2 meanwhile
    with current.app.app_context():
        assert current.clip().review_version_id != int(form.fields["version_id"])
    stale = current.trainer.post(
        form.action.split("#")[0],
        data={**form.fields, "flags": flag_values(page), "reason": "已核实"},
    )
    assert stale.status_code == 200
    assert _flag_errors(stale.text) == [
        "The merchant submitted another version meanwhile. Reload the page."
    ]
    assert _counts(current) == (0, 0)


def test_publish_button_is_disabled_with_the_reason_while_flags_are_open(stage):
    current = stage()
    for name in ["render", "finish_render", "submit", "approve"]:
        ACTIONS[name](current)
    page = current.trainer.get(f"/review/clips/{current.clip_id}").text
    publishing = unescape(page[page.index('id="publishing"') :])
    assert re.search(r'class="primary" disabled aria-describedby="publish-blockers"', publishing)
    assert "3 compliance flag(s) need a trainer's override first" in publishing
    assert 'href="#compliance-hits"' in publishing

    refused = current.trainer.post(f"/review/clips/{current.clip_id}/publish")
    assert refused.status_code == 302
    shown = current.trainer.get(refused.location)
    assert any("Publishing is blocked" in message for message in flashes(shown.text))
    assert _state(current) == ClipState.APPROVED

    override_flags(current)
    page = current.trainer.get(f"/review/clips/{current.clip_id}").text
    assert 'id="publish-blockers"' not in page
    assert current.trainer.post(f"/review/clips/{current.clip_id}/publish").status_code == 302
    assert _state(current) == ClipState.PUBLISHED


def test_an_override_then_an_edit_opens_the_flags_again_and_publishing_is_refused(stage):
    """Hostile order: override, send back, the merchant changes the text, approve, publish."""
    current = stage()
    ACTIONS["own_hook"](current)  # the banned title is then text only, on the same files
    _submitted(current)
    override_flags(current)
    for name in ["changes", "title_banned", "submit", "approve"]:
        ACTIONS[name](current)
    page = current.trainer.get(f"/review/clips/{current.clip_id}").text
    assert len(flag_values(page)) == 6  # the spoken three open again, and the title's three
    assert 'class="resolved-flags"' not in page
    refused = current.trainer.post(f"/review/clips/{current.clip_id}/publish")
    assert refused.status_code == 302
    assert _state(current) == ClipState.APPROVED
    assert current.visitor.get(f"/library/clips/{current.clip_id}").status_code == 404


def test_a_second_publish_post_after_publishing_lands_on_the_review_page(stage):
    current = stage()
    for name in HAPPY_PATH:
        ACTIONS[name](current)
    assert _state(current) == ClipState.PUBLISHED
    again = current.trainer.post(f"/review/clips/{current.clip_id}/publish")
    assert again.status_code == 302
    page = current.trainer.get(again.location)
    assert page.status_code == 200
    assert flashes(page.text)
    with current.app.app_context():
        assert db.session.get(Clip, current.clip_id).state == ClipState.PUBLISHED
