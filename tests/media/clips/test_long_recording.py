"""The clip editor on long recordings (issue 16): it loads what it edits, not the whole stream.

The render-status poll runs every 2 s while a render runs: its SQL does not grow with the
recording's transcript. The editor shows the transcript a few minutes either side of the clip
and widens it on request ("more", htmx or a plain link).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from media.clips.models import Clip, ClipRange, ClipState
from portal.extensions import db
from tests.support.clipdata import add_clip_in_long_recording
from tests.support.clipdata import long_sentence_text as sentence_text

HTMX = {"HX-Request": "true"}


def add_long_clip(app, org_id: int, item_id: int, sentence_count: int) -> int:
    """A draft clip in the middle of ``sentence_count`` sentences of 4 s; its id."""
    with app.app_context():
        return add_clip_in_long_recording(org_id, item_id, sentence_count).id


@contextmanager
def counted_queries(app) -> Iterator[list[str]]:
    """Collect the SQL statements the application sends meanwhile."""
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


@pytest.fixture
def browser(client_as, merchant):
    """The merchant's signed-in browser."""
    return client_as(merchant)


def poll_queries(app, browser, clip_id: int) -> int:
    """Start a render of the clip, then count the SQL of one render-status poll."""
    render = {"profile": "vertical", "fill": "blur", "poster_at_s": "1"}
    started = browser.post(f"/media/clips/{clip_id}/render", data=render)
    assert started.status_code == 302
    url = f"/media/clips/{clip_id}/render-status?polling=1"
    browser.get(url, headers=HTMX)  # warm: first-request work is not the poll's
    with counted_queries(app) as statements:
        polled = browser.get(url, headers=HTMX)
    assert polled.status_code == 200
    assert 'hx-trigger="every 2s"' in polled.text  # still rendering: keeps polling
    assert "HX-Refresh" not in polled.headers
    assert "<html" not in polled.text
    assert "sentence number" not in polled.text
    return len(statements)


def test_render_status_poll_queries_do_not_grow_with_the_recording(
    app, browser, merchant_org, items
):
    short = add_long_clip(app, merchant_org.id, items["bangle"].id, 50)
    long = add_long_clip(app, merchant_org.id, items["bangle"].id, 2000)

    short_queries = poll_queries(app, browser, short)
    long_queries = poll_queries(app, browser, long)

    assert long_queries == short_queries
    assert short_queries <= 8


def test_editor_shows_minutes_around_the_clip_and_more_widens_them(
    app, browser, merchant_org, items
):
    clip_id = add_long_clip(app, merchant_org.id, items["bangle"].id, 2000)
    middle = 1000  # the clip's first sentence
    near, farther, far = middle - 25, middle - 50, middle - 150  # 100 s, 200 s, 600 s before

    editor = browser.get(f"/media/clips/{clip_id}").text

    shown = re.findall(r'data-pick="(\d+)"', editor)
    assert len(shown) < 80  # 2 min either side of a 20 s clip, not 2,000 sentences
    assert sentence_text(near) in editor
    assert sentence_text(middle) in editor
    assert sentence_text(farther) not in editor
    more = f"/media/clips/{clip_id}/sentences?around=240"
    assert f'hx-get="{more}"' in editor
    assert 'hx-target="#clip-sentences"' in editor

    wider = browser.get(more, headers=HTMX)

    assert wider.status_code == 200
    assert "<html" not in wider.text
    assert sentence_text(farther) in wider.text
    assert sentence_text(near) in wider.text
    assert sentence_text(far) not in wider.text
    assert 'id="clip-sentences-more" class="more-sentences" hx-swap-oob="true"' in wider.text
    assert f'hx-get="/media/clips/{clip_id}/sentences?around=480"' in wider.text

    page = browser.get(more)  # without JavaScript: the editor with the wider window
    assert page.status_code == 200
    assert "<h1>Middle" in page.text
    assert sentence_text(farther) in page.text


def test_more_is_offered_only_while_the_recording_reaches_beyond_the_window(
    app, browser, merchant_org, items
):
    short = add_long_clip(app, merchant_org.id, items["bangle"].id, 50)  # 200 s: all shown
    editor = browser.get(f"/media/clips/{short}").text
    assert len(re.findall(r'data-pick="(\d+)"', editor)) == 50
    assert f"/media/clips/{short}/sentences" not in editor

    long = add_long_clip(app, merchant_org.id, items["bangle"].id, 2000)
    whole = browser.get(f"/media/clips/{long}/sentences?around=99999999", headers=HTMX).text
    assert len(re.findall(r'data-pick="(\d+)"', whole)) == 2000
    assert "sentences?around=" not in whole


def add_clips(app, clip_id: int, count: int) -> None:
    """Add ``count`` draft clips of two kept ranges each to the recording of ``clip_id``."""
    with app.app_context():
        first = db.session.get(Clip, clip_id)
        for n in range(count):
            start_ms = 10_000 * (n + 1)
            ranges = [
                ClipRange(position=0, start_ms=start_ms, end_ms=start_ms + 2000),
                ClipRange(position=1, start_ms=start_ms + 4000, end_ms=start_ms + 6000),
            ]
            db.session.add(Clip(
                org_id=first.org_id, recording_id=first.recording_id, title=f"Clip {n}",
                start_ms=start_ms, end_ms=start_ms + 6000, state=ClipState.DRAFT, ranges=ranges,
            ))  # fmt: skip
        db.session.commit()


def test_workshop_queries_do_not_grow_with_the_clips(app, browser, merchant_org, items):
    clip_id = add_long_clip(app, merchant_org.id, items["bangle"].id, 100)
    with app.app_context():
        url = f"/media/recordings/{db.session.get(Clip, clip_id).recording_id}/workshop"
    browser.get(url)

    with counted_queries(app) as one_clip:
        assert browser.get(url).status_code == 200
    add_clips(app, clip_id, 5)
    with counted_queries(app) as six_clips:
        page = browser.get(url)

    assert "Clip 4" in page.text
    assert len(six_clips) == len(one_clip)


def set_ranges(app, clip_id: int, count: int) -> None:
    """Keep ``count`` ranges of 3 s of the clip, 2 s apart (its in and out their bounds)."""
    with app.app_context():
        clip = db.session.get(Clip, clip_id)
        starts = [clip.start_ms + 5000 * n for n in range(count)]
        clip.ranges = [
            ClipRange(position=n, start_ms=start, end_ms=start + 3000)
            for n, start in enumerate(starts)
        ]
        clip.start_ms, clip.end_ms = starts[0], starts[-1] + 3000
        db.session.commit()


def editor_queries(app, browser, clip_id: int) -> list[str]:
    """The SQL statements of one editor page (after a first, warming request)."""
    url = f"/media/clips/{clip_id}"
    browser.get(url)
    with counted_queries(app) as statements:
        assert browser.get(url).status_code == 200
    return statements


def reads_of(statements: list[str], table: str) -> int:
    """How many of ``statements`` read the rows of ``table`` (``FROM table WHERE``; not a
    relationship loaded beside them)."""
    return sum(1 for s in statements if re.search(rf"\bFROM {table}\s+WHERE\b", s))


def test_editor_reads_the_transcript_once_however_many_ranges(app, browser, merchant_org, items):
    one = add_long_clip(app, merchant_org.id, items["bangle"].id, 2000)
    four = add_long_clip(app, merchant_org.id, items["bangle"].id, 2000)
    set_ranges(app, four, 4)

    with_one, with_four = editor_queries(app, browser, one), editor_queries(app, browser, four)

    assert len(with_four) == len(with_one)
    assert len(with_one) <= 22
    assert reads_of(with_one, "transcript") == 1
    assert reads_of(with_one, "word") == 1
    assert reads_of(with_one, "sentence") == 1


def test_render_status_poll_stays_at_its_few_queries(app, browser, merchant_org, items):
    clip_id = add_long_clip(app, merchant_org.id, items["bangle"].id, 2000)
    set_ranges(app, clip_id, 4)

    assert poll_queries(app, browser, clip_id) <= 4
