"""Finding items with a stream's list: link numbers count as mentions, listed items win ties on
shared names, items off the list are still found and marked in the workshop."""

from __future__ import annotations

import json

from sqlalchemy import select

from media.clips.models import Mention
from media.transcripts.models import Sentence, Transcript, Word
from portal.catalog.models import Item
from portal.extensions import db
from tests.media.recordings.stream.conftest import HTMX, add

SPOKEN = [
    "大家看3号链接，冰种的。",  # the bangle by its link number
    "我1号发货。",  # a date: no item, though 1 is a link number below
    "这款冰种手镯很漂亮。",  # an alias of the bangle and of the look-alike
    "和田玉吊坠也不错。",  # the pendant, not on the list
]


def transcribe(app, org, recording_id: int, texts: list[str] = SPOKEN) -> None:
    """Store ``texts`` as the recording's transcript: one word per character, 0.2 s each."""
    with app.app_context():
        transcript = Transcript(
            org_id=org.id, recording_id=recording_id, language="zh", model_name="test"
        )
        db.session.add(transcript)
        db.session.flush()
        start = 0
        for position, text in enumerate(texts):
            db.session.add(
                Sentence(org_id=org.id, transcript_id=transcript.id, position=position,
                         start_ms=start, end_ms=start + 200 * len(text), text=text)
            )  # fmt: skip
            db.session.add_all(
                Word(transcript_id=transcript.id, sentence_position=position,
                     start_ms=start + 200 * n, end_ms=start + 200 * (n + 1), text=char,
                     probability=0.9)
                for n, char in enumerate(text)
            )  # fmt: skip
            start += 200 * len(text) + 500
        db.session.commit()


def found(app, recording_id: int) -> list[tuple[int, str, str]]:
    """(sentence, SKU, kind) of every stored mention."""
    with app.app_context():
        rows = db.session.execute(
            select(Mention.sentence_position, Item.sku, Mention.kind)
            .join(Item, Item.id == Mention.item_id)
            .where(Mention.recording_id == recording_id)
            .order_by(Mention.sentence_position, Item.sku, Mention.kind)
        )
        return [tuple(row) for row in rows]


def find_again(browser, recording_id: int) -> None:
    response = browser.post(f"/media/recordings/{recording_id}/mentions")
    assert response.status_code == 302


def test_stream_list_links_numbers_and_wins_ties_and_items_off_it_are_still_found(
    app, client_as, merchant, merchant_org, add_recording, catalog, make_item
):
    make_item(merchant_org, "JD-009", name="冰种飘花手镯", aliases=["冰种手镯"])
    recording_id = add_recording(merchant_org)
    transcribe(app, merchant_org, recording_id)
    browser = client_as(merchant)
    add(browser, recording_id, catalog["pearl"], catalog["bangle"], catalog["bangle"])
    browser.post(
        f"/media/recordings/{recording_id}/items/{catalog['bangle'].id}/number",
        data={"link_number": "3"},
    )

    find_again(browser, recording_id)

    assert found(app, recording_id) == [
        (0, "JD-001", "link"),
        (2, "JD-001", "exact"),  # the look-alike JD-009 says the same alias but is not listed
        (3, "HT-002", "exact"),
    ]


def test_without_a_list_shared_names_count_for_both_items_and_numbers_for_none(
    app, client_as, merchant, merchant_org, add_recording, catalog, make_item
):
    make_item(merchant_org, "JD-009", name="冰种飘花手镯", aliases=["冰种手镯"])
    recording_id = add_recording(merchant_org)
    transcribe(app, merchant_org, recording_id)
    browser = client_as(merchant)

    find_again(browser, recording_id)

    assert found(app, recording_id) == [
        (2, "JD-001", "exact"),
        (2, "JD-009", "exact"),
        (3, "HT-002", "exact"),
    ]
    assert (
        "Not on this stream's list"
        not in browser.get(f"/media/recordings/{recording_id}/workshop").text
    )


def test_workshop_marks_only_found_items_that_are_off_the_list(
    app, client_as, merchant, merchant_org, add_recording, catalog
):
    recording_id = add_recording(merchant_org)
    transcribe(app, merchant_org, recording_id, ["冰种翡翠手镯和和田玉吊坠。"] * 3)
    browser = client_as(merchant)
    add(browser, recording_id, catalog["bangle"], **HTMX)

    find_again(browser, recording_id)
    page = browser.get(f"/media/recordings/{recording_id}/workshop").text

    lanes = page[page.index('class="timeline"') : page.index("</section>")]
    assert "Not on this stream's list" in lanes.split("和田玉吊坠")[1].split("</div>")[0]
    assert "Not on this stream's list" not in lanes.split("冰种翡翠手镯")[1].split("</div>")[0]


def test_suggestion_about_an_item_off_the_list_is_marked(
    app, client_as, merchant, merchant_org, add_recording, catalog
):
    recording_id = add_recording(merchant_org)
    talk = ["和田玉吊坠的玉质很细腻，和田玉吊坠的雕工也好，大家看看和田玉吊坠。"] * 12
    transcribe(app, merchant_org, recording_id, talk)
    browser = client_as(merchant)
    add(browser, recording_id, catalog["bangle"])

    find_again(browser, recording_id)
    page = browser.get(f"/media/recordings/{recording_id}/workshop").text

    suggestions = page[page.index('id="suggestions"') :]
    assert 'class="card suggestion"' in suggestions
    assert "Not on this stream's list" in suggestions.split("</li>")[0]


def test_suggestions_api_and_export_say_the_list_and_which_items_are_on_it(
    app, client_as, merchant, merchant_org, add_recording, catalog
):
    recording_id = add_recording(merchant_org)
    talk = ["和田玉吊坠的玉质很细腻，和田玉吊坠的雕工也好，大家看看和田玉吊坠。"] * 12
    transcribe(app, merchant_org, recording_id, talk)
    browser = client_as(merchant)
    find_again(browser, recording_id)
    url = f"/api/recordings/{recording_id}/suggestions.json"

    before = browser.get(url).get_json()
    add(browser, recording_id, catalog["bangle"])
    after = browser.get(url).get_json()
    printed = app.test_cli_runner().invoke(args=["clips", "export", str(recording_id)])

    assert before["stream_items"] == []
    assert {i["on_list"] for s in before["suggestions"] for i in s["items"]} == {None}
    assert after["stream_items"] == [{"link": 1, "sku": "JD-001", "name": "冰种翡翠手镯"}]
    found = {(i["sku"], i["on_list"]) for s in after["suggestions"] for i in s["items"]}
    assert found == {("HT-002", False)}
    assert json.loads(printed.output) == after
