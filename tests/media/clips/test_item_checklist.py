"""A clip's items to tick with a catalog of hundreds (issue 15): the clip's items and the
stream's list lead; the rest of the catalog waits folded, unless one of them is ticked."""

from __future__ import annotations

import re

import pytest

from media.recordings.models import Recording
from media.recordings.stream_items import add_items
from portal.extensions import db

CATALOG = 30


@pytest.fixture
def browser(client_as, merchant):
    return client_as(merchant)


@pytest.fixture
def listed(app, make_item, merchant_org, recording_id, items) -> list[int]:
    """Thirty more catalog items; the pearl necklace and two of them on the stream's list."""
    more = [make_item(merchant_org, f"X{n:02d}", name=f"Filler item {n}") for n in range(CATALOG)]
    ids = [items["pearl"].id, more[7].id, more[3].id]
    with app.app_context():
        add_items(db.session.get(Recording, recording_id), None, ids)
    return ids


def bangle_clip(browser, recording_id: int, bangle_id: int) -> str:
    """Make a clip of the first two sentences about the bangle; return its editor's URL."""
    response = browser.post(
        f"/media/recordings/{recording_id}/clips",
        data={"first_sentence": 0, "last_sentence": 1, "item_ids": [bangle_id], "title": "Bangle"},
    )
    return response.headers["Location"]


def ticks(html: str, form: str) -> tuple[list[int], list[int], bool]:
    """The item ids shown, the ids folded away, and whether the fold is open, in the form that
    starts with ``form``."""
    section = html[html.index(form) :].partition("</form>")[0]
    head, _, fold = section.partition('<details class="more-items"')
    fold = fold.partition("</details>")[0]
    return _boxes(head), _boxes(fold), fold.startswith(" open")


def _boxes(html: str) -> list[int]:
    return [int(v) for v in re.findall(r'<input[^>]*name="item_ids"[^>]*value="(\d+)"', html)]


def test_editor_shows_the_clips_and_the_streams_items_and_folds_the_rest(
    browser, recording_id, items, listed
):
    clip_url = bangle_clip(browser, recording_id, items["bangle"].id)
    editor = browser.get(clip_url).get_data(as_text=True)

    shown, folded, is_open = ticks(editor, f'action="{clip_url}/details"')
    assert shown == [items["bangle"].id, *listed]
    assert len(folded) == CATALOG - 2  # of the 32 items: the bangle and the list are shown
    assert not is_open
    assert "28 more catalog items</summary>" in editor


def test_workshop_shows_the_streams_items_first(browser, recording_id, listed):
    page = browser.get(f"/media/recordings/{recording_id}/workshop").get_data(as_text=True)

    shown, folded, is_open = ticks(page, '<form id="new-clip-form"')
    assert shown == listed
    assert len(folded) == CATALOG - 1
    assert not is_open


def test_a_folded_item_ticked_in_a_form_sent_back_opens_the_fold(
    browser, recording_id, items, listed
):
    clip_url = bangle_clip(browser, recording_id, items["bangle"].id)
    details = f'action="{clip_url}/details"'
    shown, folded, _ = ticks(browser.get(clip_url).get_data(as_text=True), details)
    ticked = [items["bangle"].id, folded[0]]

    page = browser.post(f"{clip_url}/details", data={"title": "", "item_ids": ticked})

    html = page.get_data(as_text=True)
    again, folded_again, is_open = ticks(html, details)
    assert (again, folded_again) == (shown, folded)
    assert is_open
    box = re.search(rf'<input[^>]*name="item_ids"[^>]*value="{folded[0]}"[^>]*>', html)
    assert "checked" in box.group(0)
