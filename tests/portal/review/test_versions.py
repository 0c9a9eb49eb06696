"""A decision is about one version: what submitting sends, what the trainer checks and sees."""

from __future__ import annotations

import re

from sqlalchemy import select

from media.clips.models import Clip, ClipState, ClipVersion
from portal.extensions import db
from portal.jobs.models import Job
from portal.library import publishing
from portal.review.services import text_changes
from tests.portal.helpers import count_rows, forms_of
from tests.portal.review.stage import ACTIONS, BANNED_SUBTITLE, SPOKEN_BANNED, finish_render
from tests.portal.review.test_published_item_photos import upload
from tests.portal.review.test_published_live_account import add_account, say_account


def _versions(stage):
    with stage.app.app_context():
        return list(
            db.session.scalars(
                select(ClipVersion)
                .where(ClipVersion.clip_id == stage.clip_id)
                .order_by(ClipVersion.number)
            )
        )


def _rendered(stage):
    stage.merchant.post(
        f"/media/clips/{stage.clip_id}/render",
        data={"profile": "vertical", "fill": "blur", "burn_subtitles": "y", "poster_at_s": "0"},
    )
    finish_render(stage)


def _submit(stage, version_id=None):
    editor = stage.merchant.get(f"/media/clips/{stage.clip_id}").text
    found = [f for f in forms_of(editor) if "version_id" in f.fields and "/submit" in f.action]
    fields = {**found[0].fields, **({"version_id": str(version_id)} if version_id else {})}
    return stage.merchant.post(found[0].action, data=fields)


def _state(stage):
    with stage.app.app_context():
        clip = db.session.get(Clip, stage.clip_id)
        return clip.state, clip.review_version_id


def test_a_render_with_unchanged_settings_reuses_the_files_at_once(app, stage):
    current = stage()
    _rendered(current)
    jobs = count_rows(app, Job)
    _rendered(current)
    first, second = _versions(current)
    assert (second.is_ready, second.stored_stem) == (True, first.stored_stem)
    assert count_rows(app, Job) == jobs


def test_a_title_changed_after_the_render_is_submitted_in_a_new_version_of_the_same_files(stage):
    current = stage()
    ACTIONS["own_hook"](current)  # the title is not drawn in the picture
    _rendered(current)
    current.details("翡翠手镯的种水")
    assert _submit(current).status_code == 302
    first, second = _versions(current)
    assert (second.title, first.title) == ("翡翠手镯的种水", "翡翠手镯讲解")
    assert second.stored_stem == first.stored_stem
    assert _state(current) == (ClipState.IN_REVIEW, second.id)


def test_a_title_drawn_as_the_hook_line_must_be_rendered_before_submitting(stage):
    current = stage()
    _rendered(current)  # the hook line is the title by default
    current.details("翡翠手镯的种水")
    editor = current.merchant.get(f"/media/clips/{current.clip_id}").text
    assert "render again, then submit" in editor
    assert "Submit version" not in editor
    response = current.merchant.post(  # the server refuses it too, not only the page
        f"/review/clips/{current.clip_id}/submit", data={"version_id": _versions(current)[0].id}
    )
    assert response.status_code == 409
    assert "render again, then submit" in response.text
    assert _state(current) == (ClipState.READY, None)
    _rendered(current)
    assert _submit(current).status_code == 302
    first, second = _versions(current)
    assert second.style["hook"] == "翡翠手镯的种水"
    assert second.stored_stem != first.stored_stem
    assert _state(current) == (ClipState.IN_REVIEW, second.id)


def test_subtitles_changed_after_the_render_must_be_rendered_before_submitting(stage):
    current = stage()
    _rendered(current)
    current.edit_cue(0, "这款手镯种水很好")
    editor = current.merchant.get(f"/media/clips/{current.clip_id}").text
    assert "render again, then submit" in editor
    assert "Submit version" not in editor
    response = current.merchant.post(
        f"/review/clips/{current.clip_id}/submit", data={"version_id": _versions(current)[0].id}
    )
    assert response.status_code == 409
    assert "render again, then submit" in response.text
    assert _state(current) == (ClipState.READY, None)


def test_a_decision_on_another_version_than_the_submitted_one_is_refused(stage):
    current = stage()
    _rendered(current)
    _submit(current)
    (version,) = _versions(current)
    response = current.trainer.post(
        f"/review/clips/{current.clip_id}/decision",
        data={"decision": "approve", "version_id": str(version.id + 1000)},
    )
    assert "submitted another version meanwhile" in response.text
    assert _state(current)[0] == ClipState.IN_REVIEW


def test_the_trainer_sees_which_version_is_submitted_and_the_diff_to_the_approved_one(stage):
    current = stage()
    _rendered(current)
    for name in ["submit", "approve"]:
        ACTIONS[name](current)
    editor = current.merchant.get(f"/media/clips/{current.clip_id}").text
    assert "Version 1 is approved and waits to be published." in editor
    ACTIONS["archive_item"](current)  # the system sends it back to review
    ACTIONS["restore_item"](current)
    ACTIONS["changes"](current)
    current.edit_cue(1, SPOKEN_BANNED, hidden=True)
    current.details("翡翠手镯的种水")
    _rendered(current)
    _submit(current)
    page = current.trainer.get(f"/review/clips/{current.clip_id}").text
    assert "Submitted: version 2." in page
    assert "Changes since version 1 (approved)" in page
    assert "<del>翡翠手镯讲解</del> <ins>翡翠手镯的种水</ins>" in page
    assert "subtitle hidden, still spoken" in page
    assert "Your decision is about version 2." in page


def _hits(stage):
    with stage.app.app_context():
        clip = db.session.get(Clip, stage.clip_id)
        return [(f.hit.source, f.hit.note, f.hit.term) for f in publishing.flagged_hits(clip)]


def test_a_hidden_subtitle_keeps_the_flag_of_what_is_still_said(stage):
    current = stage()
    current.edit_cue(1, SPOKEN_BANNED, hidden=True)
    _rendered(current)
    _submit(current)
    assert ("spoken", "hidden", "加微信") in _hits(current)
    page = current.trainer.get(f"/review/clips/{current.clip_id}").text
    assert "spoken, subtitle hidden" in page
    assert 'name="flags"' in page  # an override form: publishing stays blocked until then


def test_a_subtitle_reworded_away_from_what_is_said_keeps_the_spoken_flag(stage):
    current = stage()
    current.edit_cue(1, "现在下单有优惠")
    _rendered(current)
    _submit(current)
    assert ("spoken", "unshown", "加微信") in _hits(current)
    assert not [h for h in _hits(current) if h[0] == "subtitle"]


def test_words_shown_and_said_are_flagged_once_as_a_subtitle(stage):
    current = stage()
    _rendered(current)
    _submit(current)
    sources = [source for source, _, term in _hits(current) if term == "加微信"]
    assert sources == ["subtitle"]


def test_title_description_and_key_facts_are_checked(stage):
    current = stage()
    current.merchant.post(
        f"/media/clips/{current.clip_id}/details",
        data={"title": "顶级手镯", "description": "能治病", "item_ids": [current.item_id]},
    )
    current.edit_cue(0, BANNED_SUBTITLE)
    with current.app.app_context():
        cue_id = db.session.get(Clip, current.clip_id).cues[0].id
    current.merchant.post(f"/media/clips/{current.clip_id}/key-facts", data={"cue_ids": [cue_id]})
    _rendered(current)
    _submit(current)
    hits = _hits(current)
    assert ("title", "", "顶级") in hits
    assert ("description", "", "治病") in hits
    assert ("key_fact", "", "加微信") in hits


def test_an_override_belongs_to_its_version(stage):
    """A flag let stand on version 1 is open again on version 2 (a new decision)."""
    current = stage()
    _rendered(current)
    for name in ["submit", "override_all", "changes"]:
        ACTIONS[name](current)
    assert not _hits_open(current)
    current.edit_cue(2, "圈口五十七毫米")
    _rendered(current)
    _submit(current)
    assert _hits_open(current)


def _hits_open(stage):
    with stage.app.app_context():
        clip = db.session.get(Clip, stage.clip_id)
        return [f.hit.term for f in publishing.flagged_hits(clip) if f.is_open]


def _kept(aliases: list[str], photo_ids: list[int]) -> ClipVersion:
    """A version of one item (id 1, 冰种手镯) that kept these aliases and photos."""
    facts = {"name": "冰种手镯", "aliases": aliases, "photos": [{"id": n} for n in photo_ids]}
    return ClipVersion(title="t", description="", key_facts=[], item_ids=[1], item_facts=[facts])


def test_changes_name_only_the_aliases_and_photos_added_or_dropped_by_item(app):
    old = _kept(["冰种镯子", "冰镯"], [1, 2])
    new = _kept(["冰种镯子", "冰镯", "加微信特价镯"], [2, 4, 5])

    with app.app_context():
        changes = [(change.old, change.new) for change in text_changes(old, new)]

    # A trainer on a phone reads the one alias added, not both whole lists struck and re-added.
    assert changes == [("", "冰种手镯：加微信特价镯"), ("冰种手镯：#1", "冰种手镯：#4 #5")]


def test_changes_name_the_live_account_the_version_keeps_instead(stage):
    """The library's clip page names the account the approved version kept: a new one shows."""
    current = stage()
    say_account(current, add_account(current, "翠玉珠宝官方"))
    _rendered(current)
    say_account(current, add_account(current, "翠玉特卖"))
    _rendered(current)  # the same picture: version 2 at once, keeping the other account
    _submit(current)

    page = current.trainer.get(f"/review/clips/{current.clip_id}").text
    chinese = current.trainer.get(f"/review/clips/{current.clip_id}?lang=zh-CN").text

    assert "Changes since version 1" in page
    assert "Live account: <del>Douyin · 翠玉珠宝官方</del> <ins>Douyin · 翠玉特卖</ins>" in page
    assert "直播账号： <del>抖音 · 翠玉珠宝官方</del> <ins>抖音 · 翠玉特卖</ins>" in chinese


def _thumbnail_marks(page: str) -> dict[str, str]:
    """Each kept photo's number (``#4``) and what its thumbnail reads besides the number."""
    links = re.findall(r'<a class="kept-photo".*?</a>', page, flags=re.S)
    marks = {}
    for link in links:
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", link)).split()
        marks[text[0]] = " ".join(text[1:])
    return marks


def test_a_photo_new_since_the_compared_version_is_marked_new_on_its_thumbnail(stage):
    current = stage()
    kept = upload(current, "green")
    _rendered(current)
    added = upload(current, "red")  # a WeChat QR code, say
    _rendered(current)
    _submit(current)

    page = current.trainer.get(f"/review/clips/{current.clip_id}").text
    first = current.trainer.get(
        f"/review/clips/{current.clip_id}", query_string={"version": _versions(current)[0].id}
    ).text
    chinese = current.trainer.get(f"/review/clips/{current.clip_id}?lang=zh-CN").text

    # Visible text on the thumbnail (a screen reader reads it in the link): not colour alone.
    assert _thumbnail_marks(page) == {f"#{kept}": "", f"#{added}": "new"}
    assert _thumbnail_marks(chinese)[f"#{added}"] == "新增"
    assert _thumbnail_marks(first) == {f"#{kept}": ""}  # nothing before version 1 to compare
