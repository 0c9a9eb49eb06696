"""Invisible characters typed into a clip and its item never reach the library or the kit."""

from __future__ import annotations

import io
import zipfile

from sqlalchemy import update

from media.clips.models import Clip, ClipState
from portal.catalog.models import Category
from portal.extensions import db
from tests.portal.helpers import fetch, in_english
from tests.support.invisible import invisible_in, sprinkled_all

TITLE, DESCRIPTION, CUE = "糯冰手镯讲解", "种水好\n起胶感强", "这款手镯水头很好"
NAME, ALIAS = "糯冰翡翠手镯", "糯冰镯"


def _edit_item(browser, item, category_id):
    return browser.post(
        f"/catalog/items/{item.id}/edit",
        data={
            "sku": item.sku, "name": sprinkled_all(NAME), "aliases": sprinkled_all(ALIAS),
            "category_id": str(category_id), "price": "", "description": "", "cert_lab": "NGTC",
            "cert_number": "N-1", "cert_grade": "",
        },
    )  # fmt: skip


def _edit_clip(browser, clip_id, item, cue_id):
    details = browser.post(
        f"/media/clips/{clip_id}/details",
        data={"title": sprinkled_all(TITLE), "description": sprinkled_all(DESCRIPTION),
              "item_ids": [item.id]},
    )  # fmt: skip
    assert details.status_code == 302
    cue = browser.post(f"/media/clips/{clip_id}/cues/{cue_id}", data={"text": sprinkled_all(CUE)})
    assert cue.status_code in (200, 302)
    facts = browser.post(f"/media/clips/{clip_id}/key-facts", data={"cue_ids": [cue_id]})
    assert facts.status_code == 302


def _stored(app, clip_id):
    with app.app_context():
        clip = db.session.get(Clip, clip_id)
        item = clip.items[0]
        return (
            clip.title,
            clip.description,
            clip.cues[0].text,
            clip.key_facts,
            item.name,
            item.aliases,
        )


def test_merchant_text_with_invisible_characters_is_published_and_packed_without_them(
    app, client, client_as, merchant, trainer, merchant_org, make_item, make_library_clip,
    write_media,
):  # fmt: skip
    category_id = fetch(app, Category, Category.name_zh == "翡翠").id
    item = make_item(merchant_org, sku="JADE-1", name="旧名", cert_lab="NGTC", cert_number="N-1",
                     category_id=category_id)  # fmt: skip
    clip_id = make_library_clip(merchant_org, state=ClipState.DRAFT, item=item, cue_texts=("旧",))
    with app.app_context():
        cue_id = db.session.get(Clip, clip_id).cues[0].id
    browser = in_english(client_as(merchant))

    assert _edit_item(browser, item, category_id).status_code == 302
    _edit_clip(browser, clip_id, item, cue_id)

    assert _stored(app, clip_id) == (TITLE, DESCRIPTION, CUE, [CUE], NAME, [ALIAS])
    with app.app_context():
        db.session.execute(update(Clip).where(Clip.id == clip_id).values(state=ClipState.APPROVED))
        db.session.commit()
    write_media(clip_id)
    assert client_as(trainer).post(f"/review/clips/{clip_id}/publish").status_code == 302
    for url in ("/library/", f"/library/clips/{clip_id}", f"/library/items/{item.id}",
                f"/share/{clip_id}", "/library/feed.json", "/library/feed.atom"):  # fmt: skip
        page = client.get(url)
        assert page.status_code == 200, url
        assert TITLE in page.text, url
        assert invisible_in(page.text) == [], url
    kit = zipfile.ZipFile(io.BytesIO(browser.get(f"/media/clips/{clip_id}/kit.zip").data))
    for name in ("post.txt", "card.json", "subtitles.srt"):
        assert invisible_in(kit.read(name).decode()) == [], name
    assert kit.read("post.txt").decode().startswith(f"{TITLE}\n\n{DESCRIPTION}\n\n")
    assert f"#{NAME}" in kit.read("post.txt").decode()
