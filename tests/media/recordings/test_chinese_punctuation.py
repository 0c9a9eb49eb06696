"""Recognised Chinese shows full-width punctuation and no stray spaces, without breaking the
name corrections, whose offsets point into the text as recognised; a person's edit is stored
tidy too, and the undo of a correction still works."""

from __future__ import annotations

from html import unescape

import pytest
from sqlalchemy import select

from media.transcripts.models import NameCorrection, Sentence
from portal.extensions import db
from tests.media.transcripts.spoken import store_spoken
from tests.portal.helpers import fetch, in_english

HTMX = {"HX-Request": "true"}
HEARD = [["哈喽", "哈喽,", " 这款", "匪", "翠", "手镯", " 很好."]]


@pytest.fixture
def heard(app, merchant_org, make_item):
    """A recording whose one sentence has half-width marks, spaces and a corrected name."""
    make_item(merchant_org, sku="B-1", name="翡翠手镯", aliases=[])
    with app.app_context():
        recording_id = store_spoken(merchant_org.id, HEARD)
        sentence = db.session.scalar(select(Sentence))
        fix = db.session.scalar(select(NameCorrection))
        return {"recording": recording_id, "sentence": sentence.id, "fix": fix.id}


def test_transcript_shows_chinese_punctuation_and_keeps_the_correction_mark(
    client_as, merchant, heard
):
    page = in_english(client_as(merchant)).get(f"/media/recordings/{heard['recording']}")

    html = unescape(page.text)
    assert "哈喽哈喽，这款" in html
    assert '<mark class="name-fix" title="Heard: 匪翠">翡翠</mark>手镯很好。' in html


def test_undo_of_a_correction_still_finds_the_name(app, client_as, merchant, heard):
    url = (
        f"/media/recordings/{heard['recording']}/sentences/{heard['sentence']}"
        f"/corrections/{heard['fix']}/undo"
    )

    answer = client_as(merchant).post(url, headers=HTMX)

    assert answer.status_code == 200
    assert "哈喽哈喽，这款匪翠手镯很好。" in unescape(answer.text)
    assert fetch(app, Sentence, Sentence.id == heard["sentence"]).text.count("匪翠") == 1


def test_a_persons_edit_is_stored_with_chinese_punctuation(app, client_as, merchant, heard):
    url = f"/media/recordings/{heard['recording']}/sentences/{heard['sentence']}"

    saved = client_as(merchant).post(url, data={"text": "哈喽, 家人们 晚上好! 看 A货, 18mm"})

    assert saved.status_code in (200, 302)
    sentence = fetch(app, Sentence, Sentence.id == heard["sentence"])
    assert sentence.edited_text == "哈喽，家人们晚上好！看 A货，18mm"


def test_saving_the_shown_text_unchanged_is_no_edit(app, client_as, merchant, heard):
    url = f"/media/recordings/{heard['recording']}/sentences/{heard['sentence']}"
    shown = fetch(app, Sentence, Sentence.id == heard["sentence"]).shown_text

    client_as(merchant).post(url, data={"text": shown})

    assert fetch(app, Sentence, Sentence.id == heard["sentence"]).edited_text is None
