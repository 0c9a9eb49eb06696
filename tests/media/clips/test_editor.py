"""The clip workshop over HTTP: the workshop page, making clips, the editor (in and out,
details, subtitles, alias learning), an item's clips, and rendering versions with real ffmpeg."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from sqlalchemy import update

from media.clips.models import (
    Clip,
    ClipCue,
    ClipItem,
    ClipState,
    ClipVersion,
    Mention,
    Suggestion,
)
from media.clips.rendering import version_file
from media.qa.models import RenderQaReport
from media.recordings.models import Recording
from portal.catalog.models import Item
from portal.extensions import db
from portal.jobs.models import Job, JobState
from portal.jobs.runner import run_queued_jobs
from portal.timecodes import format_timecode as clock
from tests.media.clips.helpers import heard_again, one, rows, sentences
from tests.portal.helpers import flashes, is_private

HTMX = {"HX-Request": "true"}
ERRORS = re.compile(r'<p class="error" role="alert">(.*?)</p>', re.DOTALL)


def errors_of(html: str) -> list[str]:
    """Return the field error messages shown on a page or fragment."""
    return [unescape(text.strip()) for text in ERRORS.findall(html)]


def make_clip(browser, recording_id: int, first: int, last: int, item_ids, title="Bangle clip"):
    """Create a clip from a sentence selection, as the workshop form does; return its id."""
    response = browser.post(
        f"/media/recordings/{recording_id}/clips",
        data={"first_sentence": first, "last_sentence": last, "title": title,
              "item_ids": list(item_ids)},
    )  # fmt: skip
    assert response.status_code == 302, response.status_code
    match = re.fullmatch(r"/media/clips/(\d+)", response.location)
    assert match, response.location
    return int(match.group(1))


def run_jobs(app) -> list[int]:
    with app.app_context():
        return run_queued_jobs()


def set_clip_state(app, clip_id: int, state: ClipState) -> None:
    with app.app_context():
        db.session.execute(update(Clip).where(Clip.id == clip_id).values(state=state))
        db.session.commit()


@pytest.fixture
def browser(client_as, merchant):
    """The merchant's signed-in browser."""
    return client_as(merchant)


@pytest.fixture
def bangle_clip(app, browser, recording_id, items) -> int:
    """A clip of sentences 1–2 (about 8.7 s) linked to the bangle."""
    return make_clip(browser, recording_id, 1, 2, [items["bangle"].id])


def test_merchant_sees_items_timeline_and_suggestions_in_workshop(
    app, browser, recording_id, items
):
    html = browser.get(f"/media/recordings/{recording_id}/workshop").text

    lanes = re.findall(
        r'<span class="lane-label">(.*?) <span class="badge">(\d+)</span></span>(.*?)</svg>',
        html, re.DOTALL,
    )  # fmt: skip
    assert [(name, int(count)) for name, count, _marks in lanes] == [
        ("翡翠手镯", len(rows(app, Mention, Mention.item_id == items["bangle"].id))),
        ("淡水珍珠项链", len(rows(app, Mention, Mention.item_id == items["pearl"].id))),
    ]
    for (name, _count, marks), item in zip(lanes, items.values(), strict=True):
        mentions = rows(app, Mention, Mention.item_id == item.id, order_by=Mention.start_ms)
        seeks = re.findall(r'<rect class="mark"[^>]*data-seek="([\d.]+)"', marks)
        assert [float(s) for s in seeks] == [round(m.start_ms / 1000, 2) for m in mentions], name
    suggestions = rows(app, Suggestion, order_by=Suggestion.score.desc())
    for suggestion in suggestions:
        action = f"/media/recordings/{recording_id}/suggestions/{suggestion.id}/clip"
        assert f'action="{action}"' in html
        assert f'data-seek="{suggestion.start_ms / 1000}"' in html
    names = {item.id: item.name for item in items.values()}
    groups = re.findall(
        r'<h3 id="suggestions-\d+-heading">([^<]*) <span class="badge">(\d+)</span>.*?</h3>'
        r"(.*?)</section>", html, re.DOTALL,
    )  # fmt: skip
    assert len(groups) == len(suggestions)  # one suggestion per item: a group each, best first
    for (name, count, cards), suggestion in zip(groups, suggestions, strict=True):
        when = f"{clock(suggestion.start_ms / 1000)}–{clock(suggestion.end_ms / 1000)}"
        assert (name, count) == (names[suggestion.main_item_id], "1")
        assert cards.count('<li class="card suggestion">') == 1
        assert f"<strong>{when}</strong>" in cards
        assert f"{suggestion.mention_count} mentions" in cards
    assert html.count('class="sentence-pick"') == len(sentences(app, recording_id))


def test_merchant_makes_clip_from_suggestion_and_lands_in_editor(app, browser, recording_id, items):
    suggestion = one(app, Suggestion, Suggestion.main_item_id == items["pearl"].id)

    response = browser.post(f"/media/recordings/{recording_id}/suggestions/{suggestion.id}/clip")

    clip = one(app, Clip)
    assert response.status_code == 302
    assert response.location == f"/media/clips/{clip.id}"
    assert (clip.start_ms, clip.end_ms) == (suggestion.start_ms, suggestion.end_ms)
    assert suggestion.title.startswith("淡水珍珠项链")  # the proposed title: name, then facts said
    assert (clip.title, clip.suggestion_id) == (suggestion.title, suggestion.id)
    assert clip.state == "draft"
    assert [link.item_id for link in rows(app, ClipItem)] == [items["pearl"].id]
    cues = rows(app, ClipCue, order_by=ClipCue.start_ms)
    inside = [s for s in sentences(app, recording_id)
              if suggestion.first_sentence <= s.position <= suggestion.last_sentence]  # fmt: skip
    assert [(c.sentence_position, c.text) for c in cues] == [(s.position, s.text) for s in inside]
    editor = browser.get(response.location).text
    assert "<h1>淡水珍珠项链" in editor
    assert all(f'id="cue-{cue.id}"' in editor for cue in cues)


def test_merchant_edits_the_proposed_title_before_making_the_clip(
    app, browser, recording_id, items
):
    suggestion = one(app, Suggestion, Suggestion.main_item_id == items["pearl"].id)
    url = f"/media/recordings/{recording_id}/suggestions/{suggestion.id}/clip"
    workshop = browser.get(f"/media/recordings/{recording_id}/workshop").text
    assert f'name="s{suggestion.id}-title"' in workshop
    assert f'value="{suggestion.title}"' in workshop  # prefilled with the proposal

    too_long = browser.post(url, data={f"s{suggestion.id}-title": "长" * 201})

    assert too_long.status_code == 200
    form = too_long.text.split(f'id="make-{suggestion.id}"', 1)[1].split("</form>", 1)[0]
    assert errors_of(form) == ["Field cannot be longer than 200 characters."]
    assert rows(app, Clip) == []

    made = browser.post(url, data={f"s{suggestion.id}-title": "  珍珠项链 · 周末特价 "})

    assert made.status_code == 302
    assert one(app, Clip).title == "珍珠项链 · 周末特价"


def test_merchant_makes_clip_from_selected_sentences(app, browser, recording_id, items):
    found = sentences(app, recording_id)

    clip_id = make_clip(
        browser, recording_id, 3, 2, [items["pearl"].id, items["bangle"].id], title=" Two "
    )

    clip = one(app, Clip, Clip.id == clip_id)
    assert (clip.start_ms, clip.end_ms) == (found[2].start_ms, found[3].end_ms)
    assert clip.title == "Two"
    links = rows(app, ClipItem, order_by=ClipItem.position)
    assert [link.item_id for link in links] == [items["pearl"].id, items["bangle"].id]
    cues = rows(app, ClipCue, order_by=ClipCue.start_ms)
    assert [(c.start_ms, c.end_ms) for c in cues] == [
        (found[2].start_ms, found[2].end_ms), (found[3].start_ms, found[3].end_ms)
    ]  # fmt: skip
    editor = browser.get(f"/media/clips/{clip_id}").text
    assert f'value="{clock(found[2].start_ms / 1000)}"' in editor
    assert f'value="{clock(found[3].end_ms / 1000)}"' in editor


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"first_sentence": 40, "last_sentence": 50}, "Select at least one sentence."),
        ({"first_sentence": "short", "last_sentence": "short"},
         "A clip must last at least 3 seconds."),
        ({"first_sentence": -1, "last_sentence": 2}, "Select sentences and give the clip a title."),
        ({"first_sentence": "", "last_sentence": ""},
         "Select sentences and give the clip a title."),
        ({"first_sentence": 1, "last_sentence": 2, "title": ""},
         "Select sentences and give the clip a title."),
    ],
)  # fmt: skip
def test_merchant_gets_error_and_no_clip_for_bad_selection(
    app, browser, recording_id, data, message
):
    short = next(s for s in sentences(app, recording_id) if s.end_ms - s.start_ms < 3000)
    data = {key: short.position if value == "short" else value for key, value in data.items()}

    response = browser.post(
        f"/media/recordings/{recording_id}/clips", data={"title": "Clip", **data}
    )

    assert response.status_code == 302
    assert response.location == f"/media/recordings/{recording_id}/workshop"
    assert flashes(browser.get(response.location).text) == [message]
    assert rows(app, Clip) == []


def test_merchant_cannot_link_another_organisations_item_to_a_new_clip(
    app, browser, recording_id, make_item, make_org
):
    foreign = make_item(make_org("elsewhere"), "X-1", name="别家的手镯")

    response = browser.post(
        f"/media/recordings/{recording_id}/clips",
        data={"first_sentence": 1, "last_sentence": 2, "title": "Clip", "item_ids": [foreign.id]},
    )

    assert flashes(browser.get(response.location).text) == ["Choose items from your own catalog."]
    assert rows(app, Clip) == []


def test_merchant_sets_in_and_out_and_subtitles_follow(app, browser, bangle_clip, recording_id):
    found = sentences(app, recording_id)
    first_cue = rows(app, ClipCue, order_by=ClipCue.start_ms)[0]
    browser.post(f"/media/clips/{bangle_clip}/cues/{first_cue.id}",
                 data={"text": "Our first piece: a jadeite bangle."})  # fmt: skip

    response = browser.post(
        f"/media/clips/{bangle_clip}/range", data={"start_s": "0:05.0", "end_s": "17.6"}
    )

    assert response.status_code == 302
    assert flashes(browser.get(response.location).text) == ["In and out set."]
    clip = one(app, Clip, Clip.id == bangle_clip)
    assert (clip.start_ms, clip.end_ms) == (5000, 17600)
    cues = rows(app, ClipCue, order_by=ClipCue.start_ms)
    assert [c.sentence_position for c in cues] == [1, 2, 3]
    assert (cues[0].start_ms, cues[0].end_ms) == (5000, found[1].end_ms)
    assert cues[0].text == "Our first piece: a jadeite bangle."  # the edit survives
    assert cues[2].text == found[3].text


@pytest.mark.parametrize(
    ("start_s", "end_s", "message"),
    [
        ("10", "12.5", "A clip must last at least 3 seconds."),
        ("20", "10", "A clip must last at least 3 seconds."),
        ("30", "75", "In and out must lie inside the recording."),
        ("", "10", "This field is required."),
        ("0:10", "1:75", "Write the time as minutes:seconds, e.g. 1:13.2 (or 73.2 seconds)."),
        ("0", "200", "A clip may last at most 3 minutes."),
    ],
)
def test_merchant_gets_error_for_bad_in_and_out(
    app, browser, bangle_clip, recording_id, start_s, end_s, message
):
    if message.endswith("3 minutes."):  # needs a stream longer than three minutes
        with app.app_context():
            db.session.execute(
                update(Recording).where(Recording.id == recording_id).values(duration_s=600.0)
            )
            db.session.commit()
    before = one(app, Clip, Clip.id == bangle_clip)

    response = browser.post(
        f"/media/clips/{bangle_clip}/range", data={"start_s": start_s, "end_s": end_s}
    )

    assert response.status_code == 200
    form = response.text.split('id="range-form"', 1)[1].split("</form>", 1)[0]
    assert errors_of(form) == [message]
    after = one(app, Clip, Clip.id == bangle_clip)
    assert (after.start_ms, after.end_ms) == (before.start_ms, before.end_ms)


def test_merchant_saves_title_description_and_items(app, browser, bangle_clip, items):
    response = browser.post(
        f"/media/clips/{bangle_clip}/details",
        data={"title": "Bangle in the light", "description": "Ice-clear jadeite.",
              "item_ids": [items["pearl"].id, items["bangle"].id]},
    )  # fmt: skip

    assert response.status_code == 302
    editor = browser.get(response.location).text
    assert flashes(editor) == ["Clip saved."]
    assert "<h1>Bangle in the light" in editor
    clip = one(app, Clip, Clip.id == bangle_clip)
    assert (clip.title, clip.description) == ("Bangle in the light", "Ice-clear jadeite.")
    links = rows(app, ClipItem, order_by=ClipItem.position)
    assert [link.item_id for link in links] == [items["pearl"].id, items["bangle"].id]


def test_merchant_must_link_at_least_one_item(app, browser, bangle_clip, items):
    response = browser.post(
        f"/media/clips/{bangle_clip}/details", data={"title": "No items", "description": ""}
    )

    assert response.status_code == 200
    assert "Link the clip to at least one item." in flashes(response.text)
    assert one(app, Clip, Clip.id == bangle_clip).title == "Bangle clip"
    assert [link.item_id for link in rows(app, ClipItem)] == [items["bangle"].id]


def test_merchant_cannot_link_another_organisations_item_to_a_clip(
    app, browser, bangle_clip, items, make_item, make_org
):
    foreign = make_item(make_org("elsewhere"), "X-1", name="别家的手镯")

    response = browser.post(
        f"/media/clips/{bangle_clip}/details",
        data={"title": "Mixed", "item_ids": [items["bangle"].id, foreign.id]},
    )

    assert response.status_code == 200
    details = response.text.split('id="details-heading"', 1)[1]
    assert errors_of(details.split("</fieldset>", 1)[0])  # beside the item checkboxes
    assert one(app, Clip, Clip.id == bangle_clip).title == "Bangle clip"
    assert [link.item_id for link in rows(app, ClipItem)] == [items["bangle"].id]


def test_merchant_edits_and_hides_subtitle_lines_in_place(app, browser, bangle_clip):
    first, second = rows(app, ClipCue, order_by=ClipCue.start_ms)
    url = f"/media/clips/{bangle_clip}/cues/{first.id}"

    editing = browser.get(f"{url}?edit=1", headers=HTMX)
    assert editing.status_code == 200
    assert editing.text.lstrip().startswith(f'<li id="cue-{first.id}"')
    assert "<html" not in editing.text
    assert f">{first.text}</textarea>" in editing.text
    assert f'hx-post="{url}"' in editing.text

    saved = browser.post(url, data={"text": "  A  jadeite bangle from Myanmar. "}, headers=HTMX)
    assert saved.status_code == 200
    assert '<span class="cue-text">A jadeite bangle from Myanmar.</span>' in saved.text
    assert "<textarea" not in saved.text

    hidden = browser.post(
        f"/media/clips/{bangle_clip}/cues/{second.id}",
        data={"text": second.text, "is_hidden": "y"}, headers=HTMX,
    )  # fmt: skip
    assert 'class="cue hidden-cue"' in hidden.text
    assert ">hidden</span>" in hidden.text

    empty = browser.post(url, data={"text": "   "}, headers=HTMX)
    assert empty.status_code == 200
    assert errors_of(empty.text) == ["A subtitle line cannot be empty; hide it instead."]
    assert "<textarea" in empty.text

    first_after, second_after = rows(app, ClipCue, order_by=ClipCue.start_ms)
    assert (first_after.text, first_after.is_hidden) == ("A jadeite bangle from Myanmar.", False)
    assert (second_after.text, second_after.is_hidden) == (second.text, True)
    editor = browser.get(f"/media/clips/{bangle_clip}").text
    assert "A jadeite bangle from Myanmar." in editor


def test_merchant_correcting_a_misheard_name_is_offered_an_alias_added_once(
    app, browser, recording_id, items
):
    sentence, heard = heard_again(app, browser, recording_id)
    clip_id = make_clip(browser, recording_id, sentence.position, sentence.position + 1,
                        [items["bangle"].id])  # fmt: skip
    cue = one(app, ClipCue, ClipCue.sentence_position == sentence.position)
    offer_text = f"“{heard}” was heard for “翡翠手镯”"

    saved = browser.post(
        f"/media/clips/{clip_id}/cues/{cue.id}",
        data={"text": sentence.text.replace(heard, "jadeite bangle")}, headers=HTMX,
    )  # fmt: skip

    assert '<div id="alias-offers" hx-swap-oob="true">' in saved.text
    assert offer_text in unescape(saved.text)
    bangle_id = items["bangle"].id
    back_to_editor = f'action="/media/items/{bangle_id}/aliases?next=/media/clips/{clip_id}"'
    assert back_to_editor in saved.text
    editor = browser.get(f"/media/clips/{clip_id}").text
    assert unescape(editor).count(offer_text) == 1
    assert editor.count('id="alias-offers"') == 1
    assert back_to_editor in editor
    assert f'name="alias" value="{heard}"' in editor

    for _ in range(2):  # the second add changes nothing
        added = browser.post(
            f"/media/items/{bangle_id}/aliases?next=/media/clips/{clip_id}", data={"alias": heard}
        )
        assert added.status_code == 302
        assert added.location == f"/media/clips/{clip_id}"
        assert one(app, Item, Item.id == bangle_id).aliases == ["jadeite bangle", heard]

    editor = browser.get(f"/media/clips/{clip_id}").text
    assert offer_text not in unescape(editor)
    assert f"“{heard}” is now an alias of 翡翠手镯." in flashes(editor)


def test_merchant_learning_an_alias_gets_exact_mentions_after_the_refresh(
    app, browser, recording_id, items
):
    sentence, heard = heard_again(app, browser, recording_id)
    before = one(app, Mention, Mention.sentence_position == sentence.position)
    assert before.kind == "fuzzy"

    browser.post(f"/media/items/{items['bangle'].id}/aliases", data={"alias": heard})
    assert run_jobs(app)

    after = one(app, Mention, Mention.sentence_position == sentence.position)
    assert (after.kind, after.term, after.matched_text) == ("exact", heard, heard)


def test_merchant_sees_an_items_clips_and_suggestions_on_its_page(app, browser, bangle_clip, items):
    bangle = browser.get(f"/media/items/{items['bangle'].id}").text
    pearl = browser.get(f"/media/items/{items['pearl'].id}").text

    def shown(suggestion: Suggestion) -> str:
        when = f"{clock(suggestion.start_ms / 1000)}–{clock(suggestion.end_ms / 1000)}"
        return f'{when}</a> <span class="muted">{suggestion.mention_count} mentions</span>'

    about_bangle = one(app, Suggestion, Suggestion.main_item_id == items["bangle"].id)
    about_pearl = one(app, Suggestion, Suggestion.main_item_id == items["pearl"].id)
    assert "Videos of 翡翠手镯" in bangle
    assert f'<a href="/media/clips/{bangle_clip}">Bangle clip</a>' in bangle
    assert shown(about_bangle) in bangle
    assert shown(about_pearl) not in bangle
    assert "No clips of this item yet." in pearl
    assert shown(about_pearl) in pearl


def _vtt_cues(text: str) -> list[tuple[float, float, str]]:
    def seconds(stamp: str) -> float:
        hours, minutes, rest = stamp.split(":")
        return int(hours) * 3600 + int(minutes) * 60 + float(rest)

    found = re.findall(r"(\d\d:\d\d:\d\d\.\d{3}) --> (\d\d:\d\d:\d\d\.\d{3})\n(.+)", text)
    return [(seconds(a), seconds(b), line) for a, b, line in found]


def test_merchant_renders_versions_and_downloads_every_file(
    app, browser, bangle_clip, recording_id
):
    found = sentences(app, recording_id)
    first, second = rows(app, ClipCue, order_by=ClipCue.start_ms)
    browser.post(f"/media/clips/{bangle_clip}/cues/{first.id}",
                 data={"text": "A jadeite bangle from Myanmar."})  # fmt: skip
    browser.post(f"/media/clips/{bangle_clip}/cues/{second.id}",
                 data={"text": second.text, "is_hidden": "y"})  # fmt: skip

    requested = browser.post(
        f"/media/clips/{bangle_clip}/render",
        data={"profile": "vertical", "fill": "blur", "burn_subtitles": "y", "poster_at_s": "1"},
    )

    assert requested.status_code == 302
    version = one(app, ClipVersion)
    assert (version.number, version.is_ready, version.profile) == (1, False, "vertical")
    job = one(app, Job, Job.kind == "clip.render")
    assert (job.subject_id, job.state) == (version.id, JobState.QUEUED)
    editor = browser.get(f"/media/clips/{bangle_clip}").text
    assert f'hx-get="/media/clips/{bangle_clip}/render-status?polling=1"' in editor

    assert run_jobs(app) == [job.id]

    version = one(app, ClipVersion)
    assert version.is_ready
    assert (version.width, version.height) == (720, 1280)
    clip_s = (found[2].end_ms - found[1].start_ms) / 1000
    assert version.duration_s == pytest.approx(clip_s, abs=0.3)
    assert one(app, Clip, Clip.id == bangle_clip).state == ClipState.READY
    with app.app_context():
        files = [version_file(version, kind) for kind in ("video", "poster", "vtt")]
    assert all(Path(path).stat().st_size > 0 for path in files)
    report = one(app, RenderQaReport)  # checked after the render, listed beside the version
    assert report.stored_stem == version.stored_stem
    assert {f["check"] for f in report.findings} <= {"silence", "word_cut"}  # speech at -16 LUFS
    assert f'id="qa-{version.id}"' in browser.get(f"/media/clips/{bangle_clip}").text
    polled = browser.get(f"/media/clips/{bangle_clip}/render-status?polling=1", headers=HTMX)
    assert polled.headers.get("HX-Refresh") == "true"

    base = f"/media/clips/{bangle_clip}/versions/{version.id}"
    video = browser.get(f"{base}/video", headers={"Range": "bytes=0-1023"})
    assert (video.status_code, video.mimetype) == (206, "video/mp4")
    assert len(video.data) == 1024
    assert video.data[4:8] == b"ftyp"
    poster = browser.get(f"{base}/poster")
    assert (poster.status_code, poster.mimetype) == (200, "image/jpeg")
    assert poster.data[:3] == b"\xff\xd8\xff"
    vtt = browser.get(f"{base}/vtt")
    assert (vtt.status_code, vtt.mimetype) == (200, "text/vtt")
    assert vtt.text.startswith("WEBVTT")
    assert [line for _a, _b, line in _vtt_cues(vtt.text)] == ["A jadeite bangle from Myanmar."]
    start, end, _line = _vtt_cues(vtt.text)[0]
    assert start == pytest.approx(0.0, abs=0.05)
    assert end == pytest.approx((found[1].end_ms - found[1].start_ms) / 1000, abs=0.05)
    download = browser.get(f"{base}/video?download=1")
    assert f"clip-{bangle_clip}-v1.mp4" in download.headers["Content-Disposition"]
    assert is_private(download)

    again = browser.post(
        f"/media/clips/{bangle_clip}/render",
        data={"profile": "original", "fill": "blur", "poster_at_s": "0"},
    )
    assert again.status_code == 302
    assert run_jobs(app)

    first_version, second_version = rows(app, ClipVersion, order_by=ClipVersion.number)
    assert (second_version.number, second_version.is_ready) == (2, True)
    assert (second_version.width, second_version.height) == (160, 120)
    assert browser.get(f"{base}/video").status_code == 200  # version 1 is still served
    editor = browser.get(f"/media/clips/{bangle_clip}").text
    assert "Version 2" in editor
    assert "Version 1" in editor
    assert f"/versions/{first_version.id}/video" in editor


@pytest.mark.parametrize("state", [ClipState.IN_REVIEW, ClipState.APPROVED])
def test_merchant_cannot_edit_a_clip_in_review_or_approved(app, browser, bangle_clip, items, state):
    cue = rows(app, ClipCue, order_by=ClipCue.start_ms)[0]
    set_clip_state(app, bangle_clip, state)
    base = f"/media/clips/{bangle_clip}"

    attempts = {
        "details": browser.post(f"{base}/details",
                                data={"title": "Changed", "item_ids": [items["pearl"].id]}),
        "range": browser.post(f"{base}/range", data={"start_s": "4", "end_s": "10"}),
        "cue": browser.post(f"{base}/cues/{cue.id}", data={"text": "Changed"}, headers=HTMX),
        "render": browser.post(f"{base}/render", data={"profile": "vertical", "fill": "blur"}),
    }  # fmt: skip

    # An approved clip's texts may change (they wait for review), its items never: an error
    # in place; everything else is the 409 page.
    expected = dict.fromkeys(attempts, 409) | {
        "details": 409 if state == ClipState.IN_REVIEW else 200
    }
    assert {name: r.status_code for name, r in attempts.items()} == expected
    if state == ClipState.APPROVED:
        assert "items of an approved clip cannot change" in attempts["details"].text
    clip = one(app, Clip, Clip.id == bangle_clip)
    assert (clip.title, clip.state) == ("Bangle clip", state)
    assert one(app, ClipCue, ClipCue.id == cue.id).text == cue.text
    assert [link.item_id for link in rows(app, ClipItem)] == [items["bangle"].id]
    assert rows(app, ClipVersion) == []
    editor = browser.get(base).text
    fixed = (
        "its range and subtitles are fixed"
        if state == ClipState.APPROVED
        else "cannot be edited now"
    )
    assert fixed in editor
    assert 'class="edit-link"' not in editor
    assert f'action="{base}/render"' not in editor


def test_subtitle_line_saved_with_chinese_punctuation(app, browser, bangle_clip):
    first = rows(app, ClipCue, order_by=ClipCue.start_ms)[0]

    url = f"/media/clips/{bangle_clip}/cues/{first.id}"
    browser.post(url, data={"text": "冰种 手镯, 水头很好!"})

    assert one(app, ClipCue, ClipCue.id == first.id).text == "冰种手镯，水头很好！"
