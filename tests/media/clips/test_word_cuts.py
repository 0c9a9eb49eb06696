"""Word-level cuts over HTTP, and the clip's text built from the words it keeps.

Deleting a word (or a filler) from the middle of a line takes it out of everything the clip
shows or publishes: the version's burned subtitles and WebVTT lines, its spoken transcript,
the key-fact choices, the compliance check and the JSON API (which lists the kept ranges).
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from media.clips.kept_text import kept_text
from media.clips.models import Clip, ClipCue, ClipVersion
from media.clips.rendering import version_file
from media.transcripts.models import Transcript, Word
from portal.compliance.services import check_clip
from portal.extensions import db
from tests.media.clips.helpers import one, rows, sentences
from tests.media.clips.test_cutting import cut, kept
from tests.media.clips.test_editor import HTMX, _vtt_cues, errors_of, make_clip, run_jobs

SETTINGS = {"profile": "original", "burn_subtitles": "y", "poster_at_s": "0"}


@pytest.fixture
def browser(client_as, merchant):
    """The merchant's signed-in browser."""
    return client_as(merchant)


@pytest.fixture
def clip_id(browser, recording_id, items) -> int:
    """A clip of sentences 1–3 linked to the bangle."""
    return make_clip(browser, recording_id, 1, 3, [items["bangle"].id])


def words_of(app, recording_id: int, position: int) -> list[Word]:
    with app.app_context():
        transcript = db.session.scalar(
            select(Transcript.id).where(Transcript.recording_id == recording_id)
        )
        statement = select(Word).where(
            Word.transcript_id == transcript, Word.sentence_position == position
        )
        found = list(db.session.scalars(statement.order_by(Word.start_ms)))
        db.session.expunge_all()
        return found


def without(text: str, word: Word) -> str:
    """An English sentence's text without one of its words (and the space before it)."""
    return text.replace(f" {word.text}", "", 1)


def hits(app, clip_id: int) -> list:
    """What the editor's compliance check finds in the clip."""
    with app.app_context():
        return check_clip(db.session.get(Clip, clip_id))


def test_kept_text_drops_cut_words_and_keeps_edits_elsewhere():
    words = [(0, 400, "嗯，"), (400, 900, "这只"), (900, 1500, "手镯"), (1500, 2000, "很透。")]
    cut_filler = [(400, 2000)]
    assert kept_text("嗯，这只手镯很透。", words, cut_filler) == "这只手镯很透。"
    assert kept_text("嗯，这只翡翠手镯很透。", words, cut_filler) == "这只翡翠手镯很透。"
    assert kept_text("嗯，这只手镯很透。", words, [(0, 2000)]) == "嗯，这只手镯很透。"
    assert kept_text("嗯，这只手镯很透。", words, [(0, 400), (900, 2000)]) == "嗯，手镯很透。"
    assert kept_text("嗯，这只手镯很透。", words, [(3000, 4000)]) == ""
    english = [(0, 300, "So,"), (300, 500, "um,"), (500, 900, "look"), (900, 1200, "here.")]
    assert kept_text("So, um, look here.", english, [(0, 300), (500, 1200)]) == "So, look here."


def test_merchant_deletes_a_word_and_it_leaves_subtitles_api_and_check(
    app, browser, clip_id, recording_id
):
    second, cue = words_of(app, recording_id, 2)[1], rows(app, ClipCue)[1]
    sentence = sentences(app, recording_id)[2].text
    edited = sentence.replace(f" {second.text}", " 加微信", 1)
    browser.post(f"/media/clips/{clip_id}/cues/{cue.id}", data={"text": edited})
    assert [hit.term for hit in hits(app, clip_id)] == ["加微信"]

    # The selection's times need not be exact: the server snaps to the words.
    response = cut(browser, clip_id, HTMX, action="cut_words",
                   start_ms=second.start_ms + 10, end_ms=second.end_ms - 10)  # fmt: skip

    assert response.status_code == 200
    assert "Words cut." in response.text
    assert response.text.count("data-ct-range=") == 2  # the timeline comes along (oob)
    assert f"<del>{second.text.strip()}</del>" in response.text
    first_ms, last_ms = kept(app, clip_id)[0][0], kept(app, clip_id)[-1][1]
    assert kept(app, clip_id) == [(first_ms, second.start_ms), (second.end_ms, last_ms)]
    assert hits(app, clip_id) == []
    expected = without(sentence, second)
    api = browser.get(f"/api/clips/{clip_id}.json").get_json()
    assert api["ranges"] == [
        {"start": first_ms / 1000, "end": second.start_ms / 1000},
        {"start": second.end_ms / 1000, "end": last_ms / 1000},
    ]
    assert api["subtitles"][1]["text"] == expected
    assert api["duration"] == pytest.approx(sum(b - a for a, b in kept(app, clip_id)) / 1000)

    browser.post(f"/media/clips/{clip_id}/render", data=SETTINGS)
    version = one(app, ClipVersion)
    assert version.cues[1]["text"] == expected
    assert all(second.text.strip() not in line["text"] for line in version.spoken[1:2])

    undone = cut(browser, clip_id, HTMX, action="undo")
    assert "Last cut undone." in undone.text
    assert len(kept(app, clip_id)) == 1


def test_filler_words_leave_the_rendered_subtitles_and_the_key_facts(
    app, browser, clip_id, recording_id
):
    second = words_of(app, recording_id, 1)[1]
    with app.app_context():  # the speaker said "um" (the recogniser's word, renamed)
        db.session.get(Word, second.id).text = "um"
        db.session.commit()
    expected = without(sentences(app, recording_id)[1].text, second)
    first_line = rows(app, ClipCue, order_by=ClipCue.start_ms)[0]
    browser.post(f"/media/clips/{clip_id}/key-facts", data={"cue_ids": [first_line.id]})

    done = cut(browser, clip_id, HTMX, action="fillers")
    assert "1 filler words cut." in done.text
    editor = browser.get(f"/media/clips/{clip_id}").text
    assert expected in editor  # the key-fact choice reads the kept words
    browser.post(f"/media/clips/{clip_id}/render", data=SETTINGS)
    run_jobs(app)

    version = one(app, ClipVersion)
    assert version.is_ready
    assert version.cues[0]["text"] == expected
    assert version.key_facts == [expected]  # picked before the cut: the card follows it
    with app.app_context():
        vtt = version_file(version, "vtt").read_text()
    assert _vtt_cues(vtt)[0][2] == expected


def test_merchant_keeps_only_a_run_of_words_then_puts_one_back(app, browser, clip_id, recording_id):
    first, third = words_of(app, recording_id, 1), words_of(app, recording_id, 3)
    whole = kept(app, clip_id)

    cut(browser, clip_id, HTMX, action="cut_words", start_ms=third[1].start_ms,
        end_ms=third[1].end_ms)  # fmt: skip
    response = cut(browser, clip_id, HTMX, action="keep_words", start_ms=first[2].start_ms,
                   end_ms=third[-1].end_ms)  # fmt: skip

    assert "Only the selected words are kept." in response.text or response.headers["HX-Redirect"]
    assert kept(app, clip_id) == [
        (first[2].start_ms, third[1].start_ms), (third[1].end_ms, whole[0][1])
    ]  # fmt: skip

    back = cut(browser, clip_id, HTMX, action="restore_words", start_ms=third[1].start_ms,
               end_ms=third[1].end_ms)  # fmt: skip
    assert "Words put back." in back.text
    assert kept(app, clip_id) == [(first[2].start_ms, whole[0][1])]


def test_bad_word_selections_show_errors_in_place(app, browser, clip_id, recording_id):
    before = kept(app, clip_id)
    first = words_of(app, recording_id, 1)
    for data, message in [
        ({"action": "cut_words", "start_ms": 5}, "Select one or more words first."),
        ({"action": "cut_words", "start_ms": 0, "end_ms": 10}, "Select one or more words of "
                                                               "the clip."),
        ({"action": "keep_words", "start_ms": first[0].start_ms, "end_ms": first[1].end_ms},
         "A clip must last at least 3 seconds."),
    ]:  # fmt: skip
        response = cut(browser, clip_id, HTMX, **data)
        assert response.status_code == 200
        assert message in errors_of(response.text), data
    assert kept(app, clip_id) == before


def test_operator_exports_the_recordings_clips_with_their_ranges(
    app, runner, browser, clip_id, recording_id
):
    api = browser.get(f"/api/clips/{clip_id}.json").get_json()

    result = runner.invoke(args=["clips", "export", str(recording_id), "--clips"])

    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["clips"] == [api]
    assert api["ranges"] == [{"start": api["start"], "end": api["end"]}]


def test_a_sentence_cut_from_the_clip_is_no_longer_found_in_it(app, browser, clip_id, recording_id):
    middle = sentences(app, recording_id)[2].text
    others = " ".join(s.text for s in sentences(app, recording_id)[1:4:2]).lower()
    word = next(w for w in middle.lower().strip(".").split() if len(w) > 4 and w not in others)

    def clip_found() -> bool:
        page = browser.get("/search", query_string={"q": word}).text
        return f"/media/clips/{clip_id}" in page

    assert clip_found()
    cut(browser, clip_id, HTMX, action="sentence", position=2)
    assert not clip_found()
