"""Cut by text over HTTP: delete a sentence from the middle, filler words, undo; and one real
render of a clip with a middle sentence cut (duration and subtitles follow the kept ranges)."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from media.clips.models import Clip, ClipRange, ClipVersion
from media.clips.rendering import version_file
from media.transcripts.models import Transcript, Word
from portal.extensions import db
from portal.review.services import subtitle_diff
from tests.media.clips.helpers import one, rows, sentences
from tests.media.clips.test_editor import HTMX, _vtt_cues, errors_of, make_clip, run_jobs
from tests.portal.helpers import flashes


@pytest.fixture
def browser(client_as, merchant):
    """The merchant's signed-in browser."""
    return client_as(merchant)


@pytest.fixture
def three_sentences(app, browser, recording_id, items) -> int:
    """A clip of sentences 1–3 linked to the bangle."""
    return make_clip(browser, recording_id, 1, 3, [items["bangle"].id])


def kept(app, clip_id: int) -> list[tuple[int, int]]:
    found = rows(app, ClipRange, ClipRange.clip_id == clip_id, order_by=ClipRange.position)
    return [(r.start_ms, r.end_ms) for r in found]


def cut(browser, clip_id: int, headers=None, **data):
    return browser.post(f"/media/clips/{clip_id}/cuts", data=data, headers=headers or {})


def test_merchant_deletes_a_middle_sentence_and_undoes_it(
    app, browser, three_sentences, recording_id
):
    found = sentences(app, recording_id)
    whole = kept(app, three_sentences)
    assert whole == [(found[1].start_ms, found[3].end_ms)]

    response = cut(browser, three_sentences, action="sentence", position=2)

    assert response.status_code == 302
    assert response.location.endswith(f"/media/clips/{three_sentences}#cuts-heading")
    page = browser.get(response.location).text
    assert "Sentence cut." in flashes(page)
    assert f"<del>{found[2].text}</del>" in page
    assert kept(app, three_sentences) == [  # the sentence and the pause after it
        (found[1].start_ms, found[2].start_ms), (found[3].start_ms, found[3].end_ms)
    ]  # fmt: skip

    undone = cut(browser, three_sentences, HTMX, action="undo")

    assert undone.status_code == 200
    assert "Last cut undone." in undone.text
    assert "<del>" not in undone.text
    assert kept(app, three_sentences) == whole
    assert one(app, Clip, Clip.id == three_sentences).range_history == []
    nothing = cut(browser, three_sentences, HTMX, action="undo")
    assert errors_of(nothing.text) == ["There is nothing to undo."]


def test_cutting_the_first_sentence_moves_in_and_reloads_the_page(
    app, browser, three_sentences, recording_id
):
    found = sentences(app, recording_id)

    response = cut(browser, three_sentences, HTMX, action="sentence", position=1)

    assert response.headers["HX-Redirect"] == f"/media/clips/{three_sentences}#cuts-heading"
    assert one(app, Clip, Clip.id == three_sentences).start_ms == found[2].start_ms
    assert "Sentence cut." in flashes(browser.get(f"/media/clips/{three_sentences}").text)


def test_merchant_cuts_filler_words_one_or_all(app, browser, three_sentences, recording_id):
    found = sentences(app, recording_id)
    with app.app_context():  # the speaker said "um" twice (the recogniser's words, renamed)
        transcript_id = db.session.scalar(
            select(Transcript.id).where(Transcript.recording_id == recording_id)
        )
        words = list(db.session.scalars(
            select(Word).where(Word.transcript_id == transcript_id,
                               Word.sentence_position.in_([1, 3])).order_by(Word.start_ms)
        ))  # fmt: skip
        ums = [words[1], words[-2]]
        db.session.execute(update(Word).where(Word.id.in_([w.id for w in ums])).values(text=" um"))
        db.session.commit()
        ums = [(w.start_ms, w.end_ms) for w in ums]

    editor = browser.get(f"/media/clips/{three_sentences}").text
    assert "Remove all filler words (2)" in editor

    one_filler = cut(browser, three_sentences, HTMX, action="filler", start_ms=ums[0][0])
    assert "Filler word cut." in one_filler.text
    assert "Remove all filler words (1)" in one_filler.text
    assert kept(app, three_sentences) == [(found[1].start_ms, ums[0][0]),
                                          (ums[0][1], found[3].end_ms)]  # fmt: skip

    rest = cut(browser, three_sentences, HTMX, action="fillers")
    assert "1 filler words cut." in rest.text
    assert "Remove all filler words" not in rest.text
    assert len(kept(app, three_sentences)) == 3

    missing = cut(browser, three_sentences, HTMX, action="filler", start_ms=ums[0][0])
    assert errors_of(missing.text) == ["That filler word is not in the clip."]
    cut(browser, three_sentences, action="undo")
    cut(browser, three_sentences, action="undo")
    assert kept(app, three_sentences) == [(found[1].start_ms, found[3].end_ms)]


def test_bad_cuts_show_errors_in_place_and_change_nothing(app, browser, three_sentences):
    before = kept(app, three_sentences)
    for data, message in [
        ({"action": "sentence"}, "Fill this in for this cut."),
        ({"action": "sentence", "position": 40}, "That sentence is not in the clip."),
        ({"action": "pauses", "longer_than_s": "0.1"}, "Number must be between 0.5 and 10."),
        ({"action": "explode"}, "Invalid value, must be one of: sentence, filler, fillers, "
                                "pauses, undo, cut_words, keep_words, restore_words."),
    ]:  # fmt: skip
        response = cut(browser, three_sentences, **data)
        assert response.status_code == 200
        assert message in errors_of(response.text), data
    assert kept(app, three_sentences) == before


def test_render_joins_the_kept_ranges_without_the_cut_sentence(
    app, browser, three_sentences, recording_id
):
    found = sentences(app, recording_id)
    cut(browser, three_sentences, action="sentence", position=2)

    settings = {"profile": "original", "burn_subtitles": "y", "poster_at_s": "0"}
    browser.post(f"/media/clips/{three_sentences}/render", data=settings)
    run_jobs(app)

    version = one(app, ClipVersion)
    assert version.is_ready
    ranges = kept(app, three_sentences)
    assert version.ranges == [list(r) for r in ranges]
    assert version.duration_s == pytest.approx(sum(b - a for a, b in ranges) / 1000, abs=0.1)
    with app.app_context():
        vtt = version_file(version, "vtt").read_text()
    lines = _vtt_cues(vtt)
    assert [line for _a, _b, line in lines] == [found[1].text, found[3].text]
    joined_at_s = (found[2].start_ms - found[1].start_ms) / 1000  # sentence 3 follows the join
    assert lines[1][0] == pytest.approx(joined_at_s, abs=0.05)
    assert all(found[2].text not in line["text"] for line in version.spoken)


def test_a_version_keeps_its_ranges_and_the_diff_shows_the_cut_sentence(
    app, browser, three_sentences, recording_id
):
    found = sentences(app, recording_id)
    settings = {"profile": "vertical", "burn_subtitles": "y", "poster_at_s": "0"}
    browser.post(f"/media/clips/{three_sentences}/render", data=settings)
    cut(browser, three_sentences, action="sentence", position=2)
    browser.post(f"/media/clips/{three_sentences}/render", data=settings)

    first, second = rows(app, ClipVersion, order_by=ClipVersion.number)
    assert first.ranges == [[found[1].start_ms, found[3].end_ms]]
    assert len(second.ranges) == 2
    assert second.duration_s == 0.0  # not rendered: the jobs are queued
    diff = subtitle_diff(first, second)
    assert [(line.kind, line.old) for line in diff if line.kind != "same"] == [
        ("removed", found[2].text)
    ]
