"""The clip workshop of a four-hour stream (issue 16): small to load, suggestions grouped per item.

The recording's rows are built directly (3,600 sentences, one every 4 s, 24 items each talked
about in a few blocks); mentions and suggestions come from the real discovery code.
"""

from __future__ import annotations

import re
import time

import pytest

from media.clips.discovery import refresh_mentions
from media.recordings.models import Recording
from portal.catalog.models import Item
from portal.extensions import db
from tests.support.clipdata import add_transcript

SENTENCE_MS = 4000
SENTENCES = 3600  # four hours
ITEMS = 24
BLOCK = 50  # sentences an item is talked about at a time (200 s)
SHOWN = 3  # suggestions shown per item before "more"


def _text(n: int, names: list[str]) -> str:
    """Every block is about one item, named in every fourth sentence."""
    block = n // BLOCK
    if n % 4:
        return f"the colour and the carving of this piece, sentence {n:05d}"
    return f"look at this {names[block % len(names)]}, sentence {n:05d}"


def add_long_stream(org_id: int) -> int:
    """A four-hour recording of ``org_id`` about ``ITEMS`` catalog items; its id."""
    names = [f"jade piece number {chr(65 + i)}{chr(65 + i)}" for i in range(ITEMS)]
    db.session.add_all(Item(org_id=org_id, sku=f"L-{i}", name=name) for i, name in enumerate(names))
    recording = Recording(
        org_id=org_id, title="Four hours", stored_name="long.mp4",
        duration_s=SENTENCES * SENTENCE_MS / 1000,
    )  # fmt: skip
    db.session.add(recording)
    db.session.commit()
    add_transcript(
        recording.id, org_id,
        [(n * SENTENCE_MS, n * SENTENCE_MS + 3600, _text(n, names)) for n in range(SENTENCES)],
    )  # fmt: skip
    refresh_mentions(recording)
    return recording.id


@pytest.fixture
def long_stream(app, merchant_org) -> int:
    with app.app_context():
        return add_long_stream(merchant_org.id)


@pytest.fixture
def browser(client_as, merchant):
    """The merchant's signed-in browser."""
    return client_as(merchant)


def part(html: str, start: str, end: str) -> str:
    """The text of ``html`` from ``start`` up to ``end``."""
    first = html.index(start)
    return html[first : html.index(end, first)]


def groups_of(html: str) -> dict[str, tuple[int, int, str]]:
    """Each group's item name: its count badge, cards shown and its "more" link text."""
    found = re.findall(
        r'<h3 id="suggestions-\d+-heading">([^<]*) <span class="badge">(\d+)</span>'
        r"(.*?)</section>", html, re.DOTALL,
    )  # fmt: skip
    return {
        name: (int(count), body.count('class="card suggestion"'),
               " ".join(re.findall(r'class="more-suggestions"[^>]*>([^<]*)<', body)))
        for name, count, body in found
    }  # fmt: skip


def test_workshop_of_four_hour_stream_stays_small_with_suggestions_per_item(
    app, browser, long_stream
):
    url = f"/media/recordings/{long_stream}/workshop"
    browser.get(url)  # warm
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        page = browser.get(url)
        timings.append(time.perf_counter() - started)
    html = page.text
    sizes = {
        "timeline": len(part(html, 'class="timeline"', "</section>").encode()),
        "suggestions": len(part(html, 'id="suggestions"', 'id="select-heading"').encode()),
        "transcript": len(part(html, "data-sentence-select", "</ol>").encode()),
    }
    print(f"workshop {len(page.data)} B, slowest of 5 {max(timings) * 1000:.0f} ms, {sizes}")

    groups = groups_of(html)
    assert len(groups) == ITEMS
    assert all(shown == min(count, SHOWN) for count, shown, _more in groups.values())
    assert all(more == (f"{count - SHOWN} more suggestions" if count > SHOWN else "")
               for count, _shown, more in groups.values())  # fmt: skip
    assert sum(count for count, _shown, _more in groups.values()) > 2 * ITEMS
    assert sizes["timeline"] + sizes["suggestions"] < 150_000  # the rest is the transcript
    folded = part(html, '<details class="more-lanes">', "</details>")
    assert "<summary>16 more items</summary>" in folded
    assert (html.count('<div class="lane">'), folded.count('<div class="lane">')) == (ITEMS, 16)


def test_more_shows_every_suggestion_of_the_item(app, browser, long_stream):
    html = browser.get(f"/media/recordings/{long_stream}/workshop").text
    link = re.search(
        r'<a class="more-suggestions" href="([^"#]+)#(suggestions-\d+)" hx-get="([^"]+)"'
        r' hx-target="#(suggestions-\d+)" hx-swap="outerHTML">', html,
    )  # fmt: skip
    assert link
    url, anchor, hx_url, target = link.groups()
    assert (hx_url, target) == (url, anchor)
    name = re.search(rf'<h3 id="{anchor}-heading">([^<]*) ', html).group(1)

    partial = browser.get(url, headers={"HX-Request": "true"}).text  # htmx: that group alone

    assert partial.lstrip().startswith(f'<section class="suggestion-group" id="{anchor}"')
    count, shown, more = groups_of(partial)[name]
    assert (shown, more) == (count, "")
    assert "<html" not in partial
    page = groups_of(browser.get(url).text)  # without JavaScript: the page, that group open
    assert page[name] == (count, count, "")
    assert all(shown <= SHOWN for other, (_c, shown, _m) in page.items() if other != name)


def test_workshop_transcript_comes_in_selectable_pieces(app, browser, long_stream):
    html = browser.get(f"/media/recordings/{long_stream}/workshop").text
    first_paint = html.count('class="sentence-pick"')
    assert 90 <= first_paint <= 200  # about a hundred sentences, not 3,600
    pending = re.findall(
        r'hx-get="(/media/recordings/\d+/workshop/transcript\?from=(\d+)&amp;to=(\d+))"', html
    )
    assert len(pending) == SENTENCES * SENTENCE_MS // 300_000 - 2  # 5-minute pieces; two open
    url, start, end = pending[-1]
    url = url.replace("&amp;", "&")

    piece = browser.get(url, headers={"HX-Request": "true"}).text

    positions = [int(p) for p in re.findall(r'data-pick="(\d+)"', piece)]
    assert positions == list(
        range(int(start) * 1000 // SENTENCE_MS, int(end) * 1000 // SENTENCE_MS)
    )
    assert "<html" not in piece
    assert 'class="edit-link"' not in piece  # the workshop's sentences are picked, not edited
    plain = browser.get(url)  # without JavaScript: the workshop, opened at the piece
    assert plain.status_code == 302
    assert plain.location == f"/media/recordings/{long_stream}/workshop?t={start}"
    opened = browser.get(plain.location).text
    assert f'data-pick="{positions[0]}"' in opened


def test_another_merchant_gets_404_for_a_workshop_piece(client_as, other_merchant, long_stream):
    url = f"/media/recordings/{long_stream}/workshop/transcript?from=0&to=300"

    assert client_as(other_merchant).get(url, headers={"HX-Request": "true"}).status_code == 404
