"""The transcript page marks names written as the catalog spells them; one click undoes one.

Undoing puts the heard words back in the sentence and its word, keeps the correction as
undone (who, when), adds a sentence edit and an audit event, refreshes the mentions, and holds
through that refresh. Another organisation's sentence or correction is a 404.
"""

from __future__ import annotations

from html import unescape

import pytest
from sqlalchemy import select

from media.clips.discovery import MENTIONS_JOB, refresh_mentions
from media.clips.models import Mention
from media.recordings.models import Recording
from media.transcripts.models import NameCorrection, Sentence, SentenceEdit, Word
from portal.audit.models import AuditEvent
from portal.auth.models import Role
from portal.extensions import db
from portal.jobs.models import Job
from tests.media.transcripts.spoken import store_spoken
from tests.portal.helpers import count_rows, fetch, in_english

HTMX = {"HX-Request": "true"}
HEARD = [["这款", "匪", "翠", "手镯", "和", "皮修", "吊坠。"], ["今天", "天气", "很", "好。"]]


@pytest.fixture
def corrected(app, merchant_org, make_item):
    """A recording whose first sentence had two names corrected: 匪翠 → 翡翠, 皮修 → 貔貅."""
    make_item(merchant_org, sku="B-1", name="翡翠手镯", aliases=[])
    with app.app_context():
        recording_id = store_spoken(merchant_org.id, HEARD)
        sentence = db.session.scalar(select(Sentence).where(Sentence.position == 0))
        fixes = db.session.scalars(select(NameCorrection).order_by(NameCorrection.start_char))
        return {
            "recording": recording_id,
            "sentence": sentence.id,
            "fixes": [fix.id for fix in fixes],
        }


def _undo_url(ids, fix):
    return (
        f"/media/recordings/{ids['recording']}/sentences/{ids['sentence']}/corrections/{fix}/undo"
    )


def _sentence(app, ids):
    return fetch(app, Sentence, Sentence.id == ids["sentence"])


def test_page_marks_each_corrected_name_with_what_was_heard(client_as, merchant, corrected):
    page = in_english(client_as(merchant)).get(f"/media/recordings/{corrected['recording']}")

    html = unescape(page.text)
    assert page.status_code == 200
    assert '这款<mark class="name-fix" title="Heard: 匪翠">翡翠</mark>手镯和' in html
    assert '<mark class="name-fix" title="Heard: 皮修">貔貅</mark>吊坠。' in html
    assert "Undo “翡翠” (heard “匪翠”)" in html
    assert _undo_url(corrected, corrected["fixes"][0]) in html
    assert html.count('class="name-fix"') == 2


def test_merchant_undoes_a_correction(app, client_as, merchant, corrected):
    first, second = corrected["fixes"]

    answer = in_english(client_as(merchant)).post(_undo_url(corrected, first), headers=HTMX)

    assert answer.status_code == 200
    html = unescape(answer.text)
    assert html.startswith(f'<li id="sentence-{corrected["sentence"]}"')
    assert '这款匪翠手镯和<mark class="name-fix" title="Heard: 皮修">貔貅</mark>吊坠。' in html
    assert _sentence(app, corrected).text == "这款匪翠手镯和貔貅吊坠。"
    undone = fetch(app, NameCorrection, NameCorrection.id == first)
    assert undone.undone_at is not None
    assert undone.undone_by_id == merchant.id
    later = fetch(app, NameCorrection, NameCorrection.id == second)
    assert (later.start_char, later.end_char, later.undone_at) == (7, 9, None)
    edit = fetch(app, SentenceEdit, SentenceEdit.sentence_id == corrected["sentence"])
    assert (edit.old_text, edit.new_text) == (
        "这款翡翠手镯和貔貅吊坠。",
        "这款匪翠手镯和貔貅吊坠。",
    )
    assert edit.user_id == merchant.id
    event = fetch(app, AuditEvent, AuditEvent.action == "sentence.correction_undone")
    assert (event.details["heard"], event.details["written"]) == ("匪翠", "翡翠")
    assert fetch(app, Word, Word.text == "匪翠") is not None
    assert count_rows(app, Job, Job.kind == MENTIONS_JOB) == 1


def test_undo_holds_through_a_mentions_refresh(app, client_as, merchant, corrected):
    client_as(merchant).post(_undo_url(corrected, corrected["fixes"][0]), headers=HTMX)

    with app.app_context():
        refresh_mentions(db.session.get(Recording, corrected["recording"]))
        kinds = db.session.scalars(select(Mention.kind)).all()

    assert _sentence(app, corrected).text == "这款匪翠手镯和貔貅吊坠。"
    assert kinds == ["pinyin"]  # found by its sound, no longer by its spelling
    page = client_as(merchant).get(f"/media/recordings/{corrected['recording']}")
    assert unescape(page.text).count('class="name-fix"') == 1


def test_undo_without_javascript_returns_to_the_sentence(app, client_as, merchant, corrected):
    answer = client_as(merchant).post(_undo_url(corrected, corrected["fixes"][1]))

    assert answer.status_code == 302
    start_s = _sentence(app, corrected).start_s  # the page opens the transcript's piece there
    assert answer.location == (
        f"/media/recordings/{corrected['recording']}?t={start_s}#sentence-{corrected['sentence']}"
    )
    assert _sentence(app, corrected).text == "这款翡翠手镯和皮修吊坠。"


def test_undoing_twice_changes_nothing_more(app, client_as, merchant, corrected):
    browser = client_as(merchant)
    url = _undo_url(corrected, corrected["fixes"][0])

    browser.post(url, headers=HTMX)
    again = browser.post(url, headers=HTMX)

    assert again.status_code == 200
    assert _sentence(app, corrected).text == "这款匪翠手镯和貔貅吊坠。"
    assert count_rows(app, SentenceEdit) == 1


def test_hand_edited_sentence_shows_no_correction_and_refuses_undo(
    app, client_as, merchant, corrected
):
    browser = in_english(client_as(merchant))
    sentence_url = f"/media/recordings/{corrected['recording']}/sentences/{corrected['sentence']}"
    browser.post(sentence_url, data={"text": "这款翡翠手镯和貔貅挂件。"}, headers=HTMX)

    page = browser.get(f"/media/recordings/{corrected['recording']}")
    refused = browser.post(_undo_url(corrected, corrected["fixes"][0]), headers=HTMX)

    assert 'class="name-fix"' not in page.text
    assert refused.status_code == 400
    assert "This sentence was corrected by hand" in unescape(refused.text)
    assert _sentence(app, corrected).edited_text == "这款翡翠手镯和貔貅挂件。"
    assert fetch(app, NameCorrection, NameCorrection.id == corrected["fixes"][0]).undone_at is None


def test_merchant_of_another_org_gets_404_and_changes_nothing(
    app, client_as, make_org, make_user, corrected
):
    outsider = client_as(make_user(Role.MERCHANT, make_org("other")))

    answer = outsider.post(_undo_url(corrected, corrected["fixes"][0]), headers=HTMX)

    assert answer.status_code == 404
    assert _sentence(app, corrected).text == "这款翡翠手镯和貔貅吊坠。"
    assert count_rows(app, NameCorrection, NameCorrection.undone_at.is_not(None)) == 0


def test_correction_of_another_sentence_is_404(app, client_as, merchant, corrected):
    with app.app_context():
        other = db.session.scalar(select(Sentence.id).where(Sentence.position == 1))
    url = (
        f"/media/recordings/{corrected['recording']}/sentences/{other}"
        f"/corrections/{corrected['fixes'][0]}/undo"
    )

    assert client_as(merchant).post(url, headers=HTMX).status_code == 404
    assert count_rows(app, NameCorrection, NameCorrection.undone_at.is_not(None)) == 0
