"""Correcting a transcript sentence so it names an item offers the misheard form as an alias."""

from sqlalchemy import select

from media.transcripts.models import Sentence
from portal.catalog.models import Item
from portal.extensions import db

HTMX = {"HX-Request": "true"}


def test_merchant_correcting_a_misheard_item_name_is_offered_the_alias(
    app, transcribed, client_as, merchant, merchant_org, make_item
):
    item = make_item(merchant_org, sku="BRACELET", name="jade bracelet", aliases=[])
    with app.app_context():
        sentence = db.session.scalar(select(Sentence).where(Sentence.text.contains("angle")))
        assert sentence is not None, "Whisper should hear 'This bangle is real jadeite.'"
        sentence_id, heard = sentence.id, sentence.text
    misheard = "bangle" if "bangle" in heard else "angle"
    browser = client_as(merchant)
    browser.get("/?lang=en")
    url = f"/media/recordings/{transcribed}/sentences/{sentence_id}"

    saved = browser.post(
        url, data={"text": heard.replace(misheard, "jade bracelet", 1)}, headers=HTMX
    )

    assert saved.status_code == 200
    assert "Add it as an alias" in saved.text
    assert f'name="alias" value="{misheard}"' in saved.text
    browser.post(f"/media/items/{item.id}/aliases", data={"alias": misheard})
    with app.app_context():
        assert db.session.get(Item, item.id).aliases == [misheard]


def test_correcting_without_naming_an_item_offers_nothing(app, transcribed, client_as, merchant):
    with app.app_context():
        sentence = db.session.scalars(select(Sentence).order_by(Sentence.position)).first()
    browser = client_as(merchant)
    saved = browser.post(
        f"/media/recordings/{transcribed}/sentences/{sentence.id}",
        data={"text": "Hello everyone."},
        headers=HTMX,
    )
    assert saved.status_code == 200
    assert 'name="alias"' not in saved.text
