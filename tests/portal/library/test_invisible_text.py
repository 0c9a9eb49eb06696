"""Invisible characters typed into a clip and its item never reach the library or the kit."""

from __future__ import annotations

import io
import zipfile

from media.clips.models import Clip, ClipState
from portal.catalog.models import Category
from portal.extensions import db
from tests.portal.helpers import fetch, forms_of, in_english
from tests.support.invisible import invisible_in, sprinkled_all

TITLE, DESCRIPTION, CUE = "糯冰手镯讲解", "种水好\n起胶感强", "这款手镯水头很好"
NAME, ALIAS = "糯冰翡翠手镯", "糯冰镯"
HTMX = {"HX-Request": "true"}


def _edit_item(browser, item, category_id):
    return browser.post(
        f"/catalog/items/{item.id}/edit",
        data={
            "sku": item.sku, "name": sprinkled_all(NAME), "aliases": sprinkled_all(ALIAS),
            "category_id": str(category_id), "price": "", "description": "", "cert_lab": "NGTC",
            "cert_number": "N-1", "cert_grade": "",
        },
    )  # fmt: skip


def _edit_details(browser, clip_id, item):
    return browser.post(
        f"/media/clips/{clip_id}/details",
        data={"title": sprinkled_all(TITLE), "description": sprinkled_all(DESCRIPTION),
              "item_ids": [item.id]},
    )  # fmt: skip


def _post_form(browser, page_url, action, **changes):
    (form,) = [f for f in forms_of(browser.get(page_url).text) if f.action == action]
    return browser.post(form.action, data=form.fields | changes)


def _publish(merchant_browser, trainer_browser, clip_id):
    """Submit the clip's version, approve it and publish it, as the pages do."""
    review = f"/review/clips/{clip_id}"
    submitted = _post_form(merchant_browser, f"/media/clips/{clip_id}", f"{review}/submit")
    assert submitted.status_code == 302
    approved = _post_form(trainer_browser, review, f"{review}/decision", decision="approve")
    assert approved.status_code == 302
    assert trainer_browser.post(f"{review}/publish").status_code == 302


def _stored(app, clip_id):
    with app.app_context():
        clip = db.session.get(Clip, clip_id)
        item = clip.items[0]
        return clip.title, clip.description, item.name, item.aliases


def test_merchant_text_with_invisible_characters_is_published_and_packed_without_them(
    app, client, client_as, merchant, trainer, merchant_org, make_item, make_library_clip,
    write_media,
):  # fmt: skip
    category_id = fetch(app, Category, Category.name_zh == "翡翠").id
    item = make_item(merchant_org, sku="JADE-1", name="旧名", cert_lab="NGTC", cert_number="N-1",
                     category_id=category_id)  # fmt: skip
    clip_id = make_library_clip(merchant_org, state=ClipState.READY, item=item, cue_texts=(CUE,))
    write_media(clip_id)
    browser = in_english(client_as(merchant))

    assert _edit_item(browser, item, category_id).status_code == 302
    assert _edit_details(browser, clip_id, item).status_code == 302

    assert _stored(app, clip_id) == (TITLE, DESCRIPTION, NAME, [ALIAS])
    _publish(browser, in_english(client_as(trainer)), clip_id)
    for url in ("/library/", f"/library/clips/{clip_id}", f"/library/items/{item.id}",
                f"/share/{clip_id}", "/library/feed.json", "/library/feed.atom"):  # fmt: skip
        page = client.get(url)
        assert page.status_code == 200, url
        assert TITLE in page.text, url
        assert invisible_in(page.text) == [], url
    kit = zipfile.ZipFile(io.BytesIO(browser.get(f"/media/clips/{clip_id}/kit.zip").data))
    for name in ("post.txt", "card.json", "subtitles.srt"):
        assert invisible_in(kit.read(name).decode()) == [], name
    post = kit.read("post.txt").decode()
    assert post.startswith(f"{TITLE}\n\n{DESCRIPTION}\n\n")
    assert f"#{NAME}" in post


def test_merchant_subtitle_line_and_key_fact_are_stored_without_invisible_characters(
    app, client_as, merchant, merchant_org, make_library_clip
):
    clip_id = make_library_clip(merchant_org, state=ClipState.DRAFT, cue_texts=("旧",))
    with app.app_context():
        cue_id = db.session.get(Clip, clip_id).cues[0].id
    browser = client_as(merchant)

    saved = browser.post(
        f"/media/clips/{clip_id}/cues/{cue_id}", data={"text": sprinkled_all(CUE)}, headers=HTMX
    )
    picked = browser.post(f"/media/clips/{clip_id}/key-facts", data={"cue_ids": [cue_id]})

    assert (saved.status_code, picked.status_code) == (200, 302)
    assert invisible_in(saved.text) == []
    with app.app_context():
        clip = db.session.get(Clip, clip_id)
        assert (clip.cues[0].text, clip.key_facts) == (CUE, [CUE])
