"""The editor's timeline over HTTP: its handles and comment marks, and moving an edge of a kept
range (snapped to a word, with undo; overlaps, the recording's end and foreign clips refused)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from media.clips.models import Clip, ClipState, ClipVersion
from media.clips.timeline import shown_span
from media.transcripts.models import Transcript, Word
from portal.comments.models import Comment
from portal.database import utcnow
from portal.extensions import db
from tests.media.clips.helpers import one, sentences
from tests.media.clips.test_cutting import kept
from tests.media.clips.test_editor import HTMX, errors_of, make_clip, set_clip_state


@pytest.fixture
def browser(client_as, merchant):
    """The merchant's signed-in browser."""
    return client_as(merchant)


@pytest.fixture
def two_ranges(app, browser, recording_id, items) -> int:
    """A clip of sentences 1–3 with sentence 2 cut out: two kept ranges."""
    clip_id = make_clip(browser, recording_id, 1, 3, [items["bangle"].id])
    assert browser.post(f"/media/clips/{clip_id}/cuts", data={"action": "sentence", "position": 2})
    return clip_id


def words(app, recording_id: int) -> list[tuple[int, int]]:
    with app.app_context():
        statement = (
            select(Word.start_ms, Word.end_ms)
            .join(Transcript, Transcript.id == Word.transcript_id)
            .where(Transcript.recording_id == recording_id)
            .order_by(Word.start_ms)
        )
        return [tuple(row) for row in db.session.execute(statement)]


def move(browser, clip_id: int, headers=None, **data):
    return browser.post(f"/media/clips/{clip_id}/edges", data=data, headers=headers or {})


def test_merchant_drags_a_middle_edge_and_it_snaps_to_the_nearest_word_end(
    app, browser, two_ranges, recording_id
):
    before = kept(app, two_ranges)
    found = sentences(app, recording_id)
    said = [w for w in words(app, recording_id) if found[2].start_ms <= w[0] < found[2].end_ms]
    word = said[len(said) // 2]  # a word in the middle of the cut sentence

    response = move(browser, two_ranges, HTMX, range=0, edge="end", at_ms=word[1] - 30)

    assert response.status_code == 200
    assert 'id="clip-timeline"' in response.text
    assert 'id="cuts"' in response.text  # htmx takes "cut by text" from the page as well
    assert errors_of(response.text) == []
    assert kept(app, two_ranges) == [(before[0][0], word[1]), before[1]]
    assert one(app, Clip, Clip.id == two_ranges).range_history[-1] == [list(r) for r in before]

    undone = browser.post(f"/media/clips/{two_ranges}/cuts", data={"action": "undo"}, headers=HTMX)

    assert "Last cut undone." in undone.text
    assert kept(app, two_ranges) == before


def test_moving_in_reloads_the_editor(app, browser, two_ranges, recording_id):
    before = kept(app, two_ranges)
    second_word = words(app, recording_id)[1]

    response = move(browser, two_ranges, HTMX, range=0, edge="start", at_ms=second_word[0] + 20)

    assert response.headers["HX-Refresh"] == "true"  # reloaded where it is
    assert kept(app, two_ranges)[0] == (second_word[0], before[0][1])
    assert one(app, Clip, Clip.id == two_ranges).start_ms == second_word[0]


OVERLAP = "Kept ranges may not overlap or touch."
SHORT = "That would leave the range too short."
OUTSIDE = "Edges must lie inside the recording."


@pytest.mark.parametrize(
    ("range_index", "edge", "at", "message"),
    [
        (0, "end", lambda kept, found: kept[1][0] + 400, OVERLAP),
        (1, "start", lambda kept, found: kept[0][1] - 2000, OVERLAP),
        (1, "start", lambda kept, found: found[4].start_ms, SHORT),
        (1, "end", lambda kept, found: 10_000_000, OUTSIDE),
        (1, "end", lambda kept, found: -5, OUTSIDE),
        (7, "end", lambda kept, found: 1000, "That range is not in the clip."),
    ],
)
def test_an_edge_that_breaks_the_ranges_is_refused_in_place(
    app, browser, two_ranges, recording_id, range_index, edge, at, message
):
    before = kept(app, two_ranges)
    edit = {"range": range_index, "edge": edge, "at_ms": at(before, sentences(app, recording_id))}

    response = move(browser, two_ranges, HTMX, **edit)

    assert response.status_code == 200
    assert errors_of(response.text) == [message]
    assert kept(app, two_ranges) == before


def test_editor_shows_handles_and_the_current_versions_comments(app, browser, two_ranges, merchant):
    before = kept(app, two_ranges)
    with app.app_context():
        clip = db.session.get(Clip, two_ranges)
        version = ClipVersion(
            org_id=clip.org_id, clip_id=clip.id, number=1, created_at=utcnow(),
            profile="vertical", start_ms=clip.start_ms, end_ms=clip.end_ms,
            ranges=[list(r) for r in before], stored_stem="v1", is_ready=True,
        )  # fmt: skip
        db.session.add(version)
        db.session.flush()
        first_len_s = (before[0][1] - before[0][0]) / 1000
        db.session.add(
            Comment(subject_type="Clip", subject_id=clip.id, org_id=clip.org_id,
                    version_id=version.id, at_s=first_len_s + 1.0, body="这里剪掉")
        )  # fmt: skip
        db.session.commit()

    html = browser.get(f"/media/clips/{two_ranges}").text

    assert html.count("data-ct-handle") == 4
    assert 'aria-label="End of kept range 1"' in html
    # 1 s into the version's second range: a second after that range starts in the recording.
    assert f'data-ms="{before[1][0] + 1000}"' in html
    assert "这里剪掉" in html


def test_another_merchants_clip_is_a_404_and_a_visitor_must_sign_in(
    app, client, client_as, other_merchant, two_ranges
):
    before = kept(app, two_ranges)
    data = {"range": 1, "edge": "end", "at_ms": before[1][1] - 500}

    foreign = client_as(other_merchant).post(f"/media/clips/{two_ranges}/edges", data=data)
    anonymous = client.post(f"/media/clips/{two_ranges}/edges", data=data)

    assert foreign.status_code == 404
    assert anonymous.status_code == 302
    assert "/auth/login" in anonymous.location
    assert kept(app, two_ranges) == before


def test_a_clip_in_review_shows_its_timeline_without_handles_and_refuses_a_move(
    app, browser, two_ranges
):
    before = kept(app, two_ranges)
    set_clip_state(app, two_ranges, ClipState.IN_REVIEW)

    html = browser.get(f"/media/clips/{two_ranges}").text
    response = move(browser, two_ranges, HTMX, range=1, edge="end", at_ms=before[1][1] - 500)

    assert 'id="clip-timeline"' in html
    assert html.count("data-ct-range=") == 2
    assert "data-ct-handle" not in html
    assert response.status_code == 409
    assert kept(app, two_ranges) == before


@pytest.mark.parametrize(
    ("duration_ms", "expected"),
    [
        (600_000, (5_000, 25_000)),  # a margin either side, inside the recording
        (21_000, (5_000, 21_000)),  # the recording's end cuts the margin
        (12_000, (5_000, 20_000)),  # probed shorter than the clip: the clip is still shown whole
        (0, (5_000, 25_000)),  # length unknown
    ],
)
def test_the_timeline_shows_the_whole_clip_and_a_margin_the_recording_has(duration_ms, expected):
    clip = SimpleNamespace(start_ms=10_000, end_ms=20_000)
    assert shown_span(clip, duration_ms) == expected
