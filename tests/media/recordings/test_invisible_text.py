"""A transcript sentence or an alias typed with invisible characters is stored without them."""

from sqlalchemy import select

from media.transcripts.models import Sentence
from portal.catalog.models import Item
from portal.extensions import db
from tests.support.invisible import invisible_in, sprinkled_all

HTMX = {"HX-Request": "true"}


def test_merchant_correcting_a_sentence_or_adding_an_alias_stores_no_invisible_characters(
    app, transcribed, client_as, merchant, merchant_org, make_item
):
    item = make_item(merchant_org, sku="BANGLE", name="jade bangle", aliases=[])
    with app.app_context():
        sentence_id = db.session.scalars(select(Sentence.id).order_by(Sentence.position)).first()
    browser = client_as(merchant)

    saved = browser.post(
        f"/media/recordings/{transcribed}/sentences/{sentence_id}",
        data={"text": sprinkled_all("这款手镯水头很好")},
        headers=HTMX,
    )
    alias = browser.post(f"/media/items/{item.id}/aliases", data={"alias": sprinkled_all("白玉")})

    assert saved.status_code == 200
    assert invisible_in(saved.text) == []
    assert alias.status_code in (200, 302)
    with app.app_context():
        assert db.session.get(Sentence, sentence_id).shown_text == "这款手镯水头很好"
        assert db.session.get(Item, item.id).aliases == ["白玉"]
